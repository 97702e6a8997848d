"""The tutorials under docs/tutorials/ are run as written, in an empty folder, block by block.

A fenced block with `title="PATH"` is a file, written (again) at that point. A `console` block holds
commands (`$ ...`), each run with bash in that folder, and the output the tutorial shows: the whole of what
the command printed, line for line (`...` in a line stands for any text within that line: a temporary
path, a time; never for lines left out, but for a traceback's stack, shown `  ...` as in doctest). The exit status the
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


def trimmed(lines: list[str]) -> list[str]:
    """The lines without trailing spaces, and without blank lines at either end."""
    lines = [line.rstrip() for line in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def without_stack(lines: list[str]) -> list[str]:
    """The lines with each traceback's stack (the indented lines after `Traceback (most recent call
    last):`, which differ from one Python version to the next) written `  ...`, as doctest reads them."""
    kept: list[str] = []
    in_stack = False
    for line in lines:
        if in_stack and line.startswith(" "):
            continue
        in_stack = line == "Traceback (most recent call last):"
        kept.append(line)
        if in_stack:
            kept.append("  ...")
    return kept


def assert_shown(expected: list[str], output: str, where: str) -> None:
    """The output is the expected lines, all of them and nothing else, in order; each expected line matches
    its output line whole (`...` standing for any text within the line; a traceback's stack is `  ...`)."""
    wanted, printed = trimmed(expected), without_stack(trimmed(output.splitlines()))
    shown = "\n".join(printed)
    for number, (line, actual) in enumerate(zip(wanted, printed), 1):
        if not pattern_of(line).fullmatch(actual):
            raise AssertionError(f"{where}: output line {number} is\n  {actual}\nbut the tutorial shows\n  {line}\nThe command printed:\n{shown}")
    if len(printed) > len(wanted):
        raise AssertionError(f"{where}: the tutorial leaves out the output from line {len(wanted) + 1} on. The command printed:\n{shown}")
    if len(printed) < len(wanted):
        raise AssertionError(f"{where}: the tutorial shows {len(wanted) - len(printed)} line(s) more than the command printed:\n{shown}")


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
    with pytest.raises(AssertionError):  # a line left out
        assert_shown(["first", "third"], "first\nsecond\nthird\n", "here")
    with pytest.raises(AssertionError):  # a line shown that was not printed
        assert_shown(["first", "second"], "first\n", "here")
    with pytest.raises(AssertionError):  # a line matches whole, not in part
        assert_shown(["is 2"], "variable `api_level` is 2\n", "here")
    assert_shown(["old.py violates .../spymodel.yml", ""], "\nold.py violates /tmp/x/spymodel.yml  \n\n", "here")
    stack = 'Traceback (most recent call last):\n  File "<string>", line 1, in <module>\n    import old_plugin\nValueError: no\n'
    assert_shown(["Traceback (most recent call last):", "  ...", "ValueError: no"], stack, "here")
    with pytest.raises(AssertionError):  # the exception itself is compared
        assert_shown(["Traceback (most recent call last):", "  ...", "ValueError: yes"], stack, "here")
