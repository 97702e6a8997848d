type Point[T: int, *Ts, **P] = tuple[T, *Ts]
def g[T](x: T) -> T: ...
class C[T](Base[T]): pass
match x:
    case [1, *rest] if rest: pass
    case {"k": v, **kw}: pass
    case C(a=1) | None: pass
