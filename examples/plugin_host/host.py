"""A plugin host: loads the plugin in the folder named on the command line.

    python examples/plugin_host/host.py examples/plugin_host/plugins/good
"""
import importlib
import pathlib
import sys

from importspy import ContractViolation

host_folder = pathlib.Path(__file__).resolve().parent
plugin_folder = pathlib.Path(sys.argv[1]).resolve()
sys.path[:0] = [str(plugin_folder), str(host_folder)]

try:
    plugin = importlib.import_module("extension")
except ContractViolation as violation:
    print(f"rejected plugin {plugin_folder.name}:\n{violation}")
    sys.exit(1)

extension = plugin.Extension()
print(f"loaded plugin {plugin_folder.name}: {extension.add_extension('hello')} ({extension.describe()})")
