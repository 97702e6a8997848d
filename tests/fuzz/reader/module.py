import os
from .base import Plugin as P

__version__ = "1.0"

class A(P, metaclass=M):
    x: int = 1
    def m(self, a, /, b=2, *c, d, **e) -> "A": ...
    a = b = m

if sys.platform == "win32":
    def f(): pass
else:
    async def f(x: list[int] = [1, 2]) -> None: pass
