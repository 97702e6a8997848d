x = (1 +
     2) \
    + 3
if True:
	pass
lambda: (yield)
