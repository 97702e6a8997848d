level = 1
def setup():
    global level
    level = 2
setup()
