"""The README's example (scripts/example.sh), run by the interpreter under test: so every wheel's fresh
environment runs it, in both forms, with a compliant and a non-compliant plugin."""

import os
import subprocess
import sys

import pytest

from conftest import EXAMPLE

TOKEN = "example-token-never-printed"


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, PLUGIN_HOST_MODE="production", PLUGIN_HOST_TOKEN=TOKEN)
    return subprocess.run([sys.executable, *arguments], capture_output=True, text=True, env=environment, cwd=EXAMPLE.parents[1])


@pytest.mark.parametrize(("plugin", "status"), [("good", 0), ("bad", 1)])
def test_cli_form_checks_the_plugin_without_running_it(plugin, status):
    result = run("-m", "importspy", "check", f"examples/plugin_host/plugins/{plugin}/extension.py", "-s", "examples/plugin_host/spymodel.yml")
    assert result.returncode == status, result.stdout + result.stderr
    if plugin == "bad":
        assert "variable-value-mismatch" in result.stdout and "argument-missing" in result.stdout
    assert TOKEN not in result.stdout + result.stderr


@pytest.mark.parametrize(("plugin", "status", "said"), [("good", 0, "loaded plugin good"), ("bad", 1, "rejected plugin bad")])
def test_embedded_form_admits_the_compliant_plugin_and_rejects_the_other(plugin, status, said):
    result = run("examples/plugin_host/host.py", f"examples/plugin_host/plugins/{plugin}")
    assert result.returncode == status, result.stdout + result.stderr
    assert said in result.stdout
    assert TOKEN not in result.stdout + result.stderr
