"""A subject that imports only the standard library."""
import json
import os

__version__ = "1.0"


def register(host):
    return json.dumps({"host": host, "cwd": os.getcwd()})
