import sys
flag = 0
setattr(sys.modules[__name__], 'flag', 1)
if flag:
    import json as register
