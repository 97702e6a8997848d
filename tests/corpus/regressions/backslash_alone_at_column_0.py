if False:
    x = 1
\
y = 2
