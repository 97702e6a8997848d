class Config(dict):
    def run(self, priority0='win32', *, k=1_000):
        pass
    class run:
        pass
