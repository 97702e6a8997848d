mode = 1
match 2:
    case mode:
        pass
