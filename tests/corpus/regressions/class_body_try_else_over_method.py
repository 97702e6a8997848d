class Base:
    def run(self):
        pass
    try:
        import socket
    except ImportError:
        run = (3, 11)
    else:
        run = 1_000
