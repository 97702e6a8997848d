import json
import nsdir.part
import sys
from .. import plugin
