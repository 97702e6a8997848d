class Base:
    pass
while True:
    Base = True
    break
