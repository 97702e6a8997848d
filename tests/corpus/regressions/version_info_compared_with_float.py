import sys
if sys.version_info[0] == 3.0:
    x = 1
else:
    x = 2
