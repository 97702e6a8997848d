from . import helpers
from .localpkg import thing
import localpkg
import plugin
from os import path, sep
import json, os.path
