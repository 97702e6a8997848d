import sys
if sys.version_info[:2] != [3, 11]:
    x = 1
else:
    x = 2
