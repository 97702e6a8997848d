class t:
    TYPE_CHECKING = True
if t.TYPE_CHECKING:
    x = 1
else:
    x = 2
