# only on CPython 3.12, 3.13: a format spec that runs to the end of the line
x = 1
f'__{
    x:d
}__'
