"""The host's plugin base class."""


class Plugin:
    """Every plugin derives from this."""
