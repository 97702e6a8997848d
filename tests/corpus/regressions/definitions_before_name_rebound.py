class Base:
    pass
__name__ = '__main__'
