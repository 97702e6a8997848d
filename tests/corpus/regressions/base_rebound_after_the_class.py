from missing_pkg import Base
class Plugin(Base, object):
    pass
import collections as Base
