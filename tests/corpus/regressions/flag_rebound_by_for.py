import sys
WINDOWS = sys.platform == 'win32'
for WINDOWS in [True]:
    pass
if WINDOWS:
    x = 1
else:
    x = 2
