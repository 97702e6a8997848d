"""The host's plugin API. Importing it validates the importing plugin against spymodel.yml."""
from importspy import Spy


class Plugin:
    """Every plugin derives from this."""

    def describe(self):
        return type(self).__name__


# Embedded mode: the module importing this one (the plugin) is checked here, before its own code
# goes on. A plugin that breaks the contract gets importspy.ContractViolation from its import line.
caller = Spy().importspy(filepath="spymodel.yml")
