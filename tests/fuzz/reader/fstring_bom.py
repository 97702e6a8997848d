x = f"{a!r:>{w}} {f"{b}"}"
y = rb"\\x"
