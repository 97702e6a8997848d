def ｒegister(host, priority=10):
    return host
