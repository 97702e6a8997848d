from ｓubprocess import run
