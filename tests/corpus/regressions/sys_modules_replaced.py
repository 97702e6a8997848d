import sys, types
x = 1
sys.modules[__name__] = types.SimpleNamespace(x=2)
