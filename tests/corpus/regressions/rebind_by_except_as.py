err = 1
try:
    raise ValueError
except ValueError as err:
    pass
