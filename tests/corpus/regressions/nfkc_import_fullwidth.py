import ｓubprocess
