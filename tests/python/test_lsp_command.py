"""`importspy lsp` as a command: its help, and the message without the protocol library."""

from __future__ import annotations

import subprocess
import sys


def test_without_pygls_the_command_names_the_extra():
    code = "import sys; sys.modules['pygls'] = None; sys.modules['lsprotocol'] = None\nfrom importspy.__main__ import main\nsys.exit(main(['lsp']))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2
    assert "pip install 'importspy[lsp]'" in result.stderr
    assert result.stdout == ""


def test_the_command_is_in_the_help():
    result = subprocess.run([sys.executable, "-m", "importspy", "lsp", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "language server" in result.stdout
