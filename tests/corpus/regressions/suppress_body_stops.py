import contextlib
x = 1
with contextlib.suppress(ZeroDivisionError):
    1 / 0
    x = 2
