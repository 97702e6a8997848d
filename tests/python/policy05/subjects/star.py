"""A subject whose names partly come from a star import."""
from os.path import *


def register(host):
    return host
