__version__ = '1.0'
del __version__
