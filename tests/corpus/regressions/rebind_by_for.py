flag = 1
for flag in [2]:
    pass
