x = flag = register = mode = run = VERSION = 0
class Base:
    pass
if x == 1:
            VERSION = Base = b'x'
