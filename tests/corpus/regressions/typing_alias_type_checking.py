import typing as tp
if tp.TYPE_CHECKING:
    import subprocess
    x = 1
else:
    x = 2
