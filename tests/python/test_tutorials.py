"""The tutorials under docs/tutorials/ are run as written, in an empty folder, block by block.

A fenced block with `title="PATH"` is a file, written (again) at that point. A `console` block holds
commands (`$ ...`), each run with bash in that folder, and the output the tutorial shows: every line of it
must appear, in order, in what the commands printed (`...` stands for any text). The exit status the
block's last command must end with is in the HTML comment before it, `<!-- exit: N -->`; the commands
before it must succeed.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

TUTORIALS = REPO / "docs" / "tutorials"
BLOCK = re.compile(r'(?:<!-- exit: (?P<exit>\d+) -->\n)?```(?P<lang>\w*)(?: title="(?P<title>[^"]+)")?\n(?P<body>.*?)```', re.S)


def blocks(tutorial: Path):
    for match in BLOCK.finditer(tutorial.read_text(encoding="utf-8")):
        line = tutorial.read_text(encoding="utf-8")[: match.start()].count("\n") + 1
        yield line, match


def console_commands(body: str):
    """[(command, [expected output lines])] of a console block."""
    steps = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def pattern_of(line: str) -> re.Pattern:
    return re.compile(".*".join(re.escape(part) for part in line.rstrip().split("...")))


def assert_shown(expected: list[str], output: str, where: str) -> None:
    """Every non-blank expected line matches an output line, in order."""
    lines = output.splitlines()
    position = 0
    for wanted in (line for line in expected if line.strip()):
        pattern = pattern_of(wanted)
        while position < len(lines) and not pattern.search(lines[position]):
            position += 1
        assert position < len(lines), f"{where}: the tutorial shows\n  {wanted}\nbut the command printed:\n{output}"
        position += 1


def tutorial_names():
    return sorted(path.name for path in TUTORIALS.glob("*.md"))


def test_there_is_a_tutorial_per_mode():
    assert tutorial_names() == ["gate-ci.md", "intercept-imports.md", "layer-a-package.md", "pin-and-lock.md", "protect-a-plugin-api.md"]


@pytest.mark.parametrize("name", tutorial_names())
def test_tutorial_runs_as_written(name, tmp_path):
    tutorial = TUTORIALS / name
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PYTHONPATH")}
    # `importspy` and `python` are those of the interpreter running the tests, as after `pip install importspy`.
    environment["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), environment.get("PATH", "")])
    ran = 0
    for line, block in blocks(tutorial):
        where = f"{tutorial.relative_to(REPO)}:{line}"
        if block["title"]:
            path = tmp_path / block["title"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block["body"], encoding="utf-8")
        elif block["lang"] == "console":
            assert block["exit"] is not None, f"{where}: a console block needs <!-- exit: N --> before it"
            steps = console_commands(block["body"])
            for index, (command, expected) in enumerate(steps):
                result = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120)
                ran += 1
                assert_shown(expected, result.stdout + result.stderr, f"{where}: `{command}`")
                status = int(block["exit"]) if index == len(steps) - 1 else 0
                assert result.returncode == status, f"{where}: `{command}` exited {result.returncode}, the tutorial says {status}:\n{result.stdout}{result.stderr}"
    assert ran > 0, f"{name} runs no command"


def test_the_checker_of_shown_output_rejects_output_that_differs():
    with pytest.raises(AssertionError):
        assert_shown(["variable `api_level` is 1"], "variable `api_level` is 2\n", "here")
    with pytest.raises(AssertionError):  # order matters
        assert_shown(["second", "first"], "first\nsecond\n", "here")
    assert_shown(["violates .../spymodel.yml"], "old.py violates /tmp/x/spymodel.yml\n", "here")
