class Plugin(metaclass=type):
    def _set():
        global flag
        flag = 1e3
    _set()
