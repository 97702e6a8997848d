"""The README's example (scripts/example.sh), run by the interpreter under test: so every wheel's fresh
environment runs it, in both forms, with a compliant and a non-compliant plugin."""

import os
import re
import shlex
import subprocess
import sys

import pytest

from conftest import EXAMPLE, REPO

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


def readme_report_block() -> tuple[str, str]:
    """(command, shown output) of the README's "What a report looks like": its console block."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What a report looks like\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"^```console\n\$ (?P<command>[^\n]+)\n(?P<output>.*?)^```$", section, re.M | re.S)
    assert block, "the README shows its report as a console block: `$ COMMAND`, then the output"
    return block["command"], block["output"]


def example_script_check_commands() -> list[str]:
    """The `importspy check` commands scripts/example.sh prints (`$ ...`), one per plugin it checks."""
    script = (REPO / "scripts" / "example.sh").read_text(encoding="utf-8")
    example = re.search(r"^example=(\S+)$", script, re.M)[1]
    plugins = re.search(r"^for plugin in ([\w ]+); do\n  run \.venv/bin/importspy check", script, re.M)[1].split()
    line = re.search(r"^  run (\.venv/bin/importspy check .*)$", script, re.M)[1]
    return [" ".join(shlex.split(line.replace("$example", example).replace("$plugin", plugin))) for plugin in plugins]


def test_the_readmes_report_is_the_real_output_of_its_quick_start():
    command, shown = readme_report_block()
    assert command in example_script_check_commands(), f"the README shows `{command}`, which ./scripts/example.sh does not run"
    arguments = shlex.split(command)
    assert arguments[0] == ".venv/bin/importspy"
    # As example.sh runs it: from the checkout, with the deployment's variables (the token's value differs
    # from this file's, and is never printed either way).
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "PYTHONPATH")}
    environment.update(PLUGIN_HOST_MODE="production", PLUGIN_HOST_TOKEN="example-token")
    result = subprocess.run([sys.executable, "-m", "importspy", *arguments[1:]], capture_output=True, text=True, env=environment, cwd=REPO)
    printed = result.stdout + result.stderr + f"(exit status {result.returncode})\n"
    assert shown == printed, "README.md's report differs from what the command prints: copy this in\n" + printed
