"""``importspy-core``: runs the engine's own command line, installed inside the package (``importspy/bin``).

The program itself is C++ and reads no Python; this launcher only finds it and hands over the process.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin")
    program = os.path.join(folder, "importspy-core.exe" if os.name == "nt" else "importspy-core")
    if not os.path.isfile(program):
        sys.exit(f"importspy-core: {program} is missing; this installation of ImportSpy was built without its command-line tool")
    if os.name == "nt":  # no exec on Windows: run it and pass its exit status on
        import subprocess

        sys.exit(subprocess.call([program, *sys.argv[1:]]))
    os.execv(program, [program, *sys.argv[1:]])
