"""A plugin that satisfies the host's contract (../../spymodel.yml)."""
from typing import Optional

from plugin_base import Plugin

engine = "docker"
plugin_name: str = "Example extension"
api_level = 2


class Extension(Plugin):
    extension_name = "extension_value"

    def __init__(self):
        self.extension_instance_name = "extension_instance_value"

    def add_extension(self, msg: str) -> str:
        return f"added {msg}"

    def remove_extension(self):
        return None


def register(host, priority: int = 10) -> Optional[Extension]:
    return Extension()
