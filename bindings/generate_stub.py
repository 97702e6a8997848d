"""Build step: nanobind's stub generator over the extension just installed into the staging folder.

    python generate_stub.py STAGING_DIR STUBGEN_PY PATTERN_FILE

The staging folder holds importspy/_engine*.so but not yet importspy/__init__.py (scikit-build-core adds
the Python files to the wheel afterwards), so there `importspy` is only a namespace portion and an
importspy already installed in the build environment would win the import: the stub would describe the
previous build. Binding `importspy` to the staging folder first makes the generator see this build.
"""

import os
import runpy
import sys
import types

staging, stubgen, patterns = sys.argv[1:4]
package = types.ModuleType("importspy")
package.__path__ = [os.path.join(staging, "importspy")]
sys.modules["importspy"] = package
sys.argv = [stubgen, "-q", "-p", patterns, "-m", "importspy._engine", "-o", os.path.join(staging, "importspy", "_engine.pyi")]
runpy.run_path(stubgen, run_name="__main__")
