try:
    __version__ = '1.0'
except ValueError as err:
    pass
