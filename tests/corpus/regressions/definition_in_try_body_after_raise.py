try:
    raise ValueError
    def _replace(f):
        '''doc'''
except ValueError as err:
    pass
