class Tool:
    run = staticmethod(print)
