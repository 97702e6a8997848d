import collections as Base
class Base:
    pass
class Base(Base, object):
        pass
