class A: pass
class B(A): pass
class C(A): pass
class D(B, C): pass
class E(D, A, object):
    __x = 1
    def __m(self): pass
    del __m
try:
    import json
except ImportError:
    json = None
if __name__ == "__main__":
    main = 1
