class sys:
    platform = 'win32'
if sys.platform == 'win32':
    x = 1
else:
    x = 2
