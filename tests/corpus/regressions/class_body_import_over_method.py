class Tool:
    def run(self):
        pass
    from os import getcwd as run
