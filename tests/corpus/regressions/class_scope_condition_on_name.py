class Config:
    if __name__ == '__main__':
        mode = 1
    else:
        mode = 2
