size = 1
if (size := 2):
    pass
