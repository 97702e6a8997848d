"""A plugin that breaks the host's contract (../../spymodel.yml) in several ways."""
from plugin_base import Plugin

engine = "podman"
api_level = 1


class Extension:
    extension_name = "extension_value"

    def __init__(self):
        self.extension_instance_name = "something else"

    def add_extension(self, message):
        return message


def register(priority=5, host=None):
    return Extension()
