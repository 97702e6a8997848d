from collections import OrderedDict as Base
class Base:
    pass
class Plugin(Base):
    pass
