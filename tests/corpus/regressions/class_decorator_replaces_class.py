def replace(c):
    return 'gone'
@replace
class Plugin:
    def run(self):
        pass
