"""A subject that changes its own namespace when it runs: its source cannot show every name."""
import os

globals()["api_level"] = int(os.environ.get("API_LEVEL", "2"))


def register(host):
    return host


class Plugin:
    def run(self):
        return 1
