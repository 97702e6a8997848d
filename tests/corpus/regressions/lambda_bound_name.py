VERSION = lambda a, b=1: a
