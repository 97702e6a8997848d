x = flag = register = mode = run = VERSION = 0
try:
    raise ValueError
except ValueError as VERSION:
    def register(b0, *, k=1) -> 'str':
        pass
