def replace(f):
    return 42
@replace
def register(host):
    pass
