import sys
if sys.platform in 'linux64':
    x = 1
else:
    x = 2
