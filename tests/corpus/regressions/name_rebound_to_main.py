__name__ = '__main__'
if __name__ == '__main__':
    x = 1
else:
    x = 2
