import os
if os.environ.get("IMPORTSPY_NEVER_SET"):
    def register(plugin):
        pass
