x = 1
globals()['x'] = 2
