import contextlib
value = 1
with contextlib.nullcontext(2) as value:
    pass
