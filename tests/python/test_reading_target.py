"""One rule for every static mode: sources are read for a target platform and Python (`--for`), by default
the interpreter running the command, in `check MODULE`, `check --package`, `graph` and `generate` alike."""

import json
import sys

import pytest

WINDOWS_ONLY_IMPORT = """
import sys

if sys.platform == "win32":
    from app import registry
"""

RULES = "imports:\n  forbidden: [app.registry]\n"


@pytest.fixture
def app(project):
    project.write("app/__init__.py", "")
    project.write("app/registry.py", "")
    project.write("app/core.py", WINDOWS_ONLY_IMPORT)
    project.write("rules.yml", RULES)
    return project


def forbidden_in(result, target):
    by_target = {entry["target"]: entry for entry in json.loads(result.stdout)["targets"]}
    return [v["code"] for v in by_target[target]["violations"]]


@pytest.mark.skipif(sys.platform == "win32", reason="the branch is this interpreter's own")
@pytest.mark.parametrize("reading_for, forbidden", [(None, False), ("here", False), ("win32", True), ("win32:3.12", True), ("any", True)])
def test_a_module_and_its_package_give_the_same_verdict_for_each_target(app, reading_for, forbidden):
    option = ["--for", reading_for] if reading_for else []
    alone = app.cli("check", "app/core.py", "-s", "rules.yml", "--format", "json", "--no-cache", *option)
    package = app.cli("check", "--package", "app", "-s", "rules.yml", "--format", "json", "--no-cache", *option)
    assert alone.returncode == package.returncode == (1 if forbidden else 0), alone.stderr + package.stderr
    [target] = json.loads(alone.stdout)["targets"]
    assert [v["code"] for v in target["violations"]] == (["import-forbidden"] if forbidden else [])
    assert forbidden_in(package, "app.core") == (["import-forbidden"] if forbidden else [])


@pytest.mark.skipif(sys.platform == "win32", reason="the branch is this interpreter's own")
def test_the_graph_is_read_for_the_same_target(app):
    def edges(*option):
        result = app.cli("graph", "app", "--format", "json", *option)
        assert result.returncode == 0, result.stderr
        by_name = {m["name"]: m for m in json.loads(result.stdout)["modules"]}
        return [i["module"] for i in by_name["app.core"]["imports"]]

    assert edges() == []
    assert edges("--for", "win32") == ["app.registry"]
    assert edges("--for", "any") == ["app.registry"]


def test_version_conditions_follow_the_named_python(project):
    project.write("app/__init__.py", "")
    project.write("app/modern.py", "")
    project.write("app/core.py", "import sys\nif sys.version_info >= (3, 12):\n    from app import modern\n")

    def edges(target):
        result = project.cli("graph", "app", "--format", "json", "--for", target)
        assert result.returncode == 0, result.stderr
        return [i["module"] for m in json.loads(result.stdout)["modules"] if m["name"] == "app.core" for i in m["imports"]]

    assert edges("linux:3.10") == []
    assert edges("linux:3.12") == ["app.modern"]


@pytest.mark.skipif(sys.version_info >= (3, 15), reason="lazy import is this interpreter's syntax")
def test_syntax_follows_the_named_python(project):
    project.write("m.py", "lazy import json\n")
    project.write("rules.yml", "imports:\n  forbidden: [json]\n")
    assert project.cli("check", "m.py", "-s", "rules.yml").returncode == 2
    result = project.cli("check", "m.py", "-s", "rules.yml", "--for", "linux:3.15", "--format", "json")
    assert result.returncode == 1, result.stderr
    [target] = json.loads(result.stdout)["targets"]
    assert [v["code"] for v in target["violations"]] == ["import-forbidden"]


@pytest.mark.skipif(sys.platform == "win32", reason="the branch is this interpreter's own")
def test_a_cached_verdict_is_never_served_for_another_target(app):
    first = app.cli("check", "app/core.py", "-s", "rules.yml")
    assert first.returncode == 0, first.stderr
    second = app.cli("check", "app/core.py", "-s", "rules.yml", "--for", "win32")
    assert second.returncode == 1, second.stdout + second.stderr
    package = app.cli("check", "--package", "app", "-s", "rules.yml")
    assert package.returncode == 0, package.stderr
    package_for_windows = app.cli("check", "--package", "app", "-s", "rules.yml", "--for", "win32")
    assert package_for_windows.returncode == 1, package_for_windows.stdout


@pytest.mark.parametrize("spec, says", [("beos", "unknown platform `beos`"), ("linux:2.7", "the version must read 3.N"),
                                        ("linux:3.x", "the version must read 3.N, with N from 6 on"),
                                        ("linux:3.5", "the version must read 3.N, with N from 6 on")])
def test_an_unknown_target_is_a_usage_error_saying_what_is_accepted(app, spec, says):
    result = app.cli("check", "app/core.py", "-s", "rules.yml", "--for", spec)
    assert result.returncode == 2
    assert result.stderr.startswith(f"importspy: error: --for `{spec}`: {says}; expected `any` (every branch), `here` (this interpreter)"), result.stderr


def test_generate_reads_for_the_named_target(project):
    project.write("m.py", "import sys\nif sys.platform == 'win32':\n    def only_on_windows(): ...\n")
    assert "only_on_windows" not in project.cli("generate", "m.py", "--for", "linux").stdout
    assert "only_on_windows" in project.cli("generate", "m.py", "--for", "win32").stdout


@pytest.mark.skipif(sys.platform == "win32", reason="the branch is this interpreter's own")
def test_a_command_run_in_process_leaves_the_api_reading_for_this_interpreter(project):
    # `generate --for win32` caches the facts it read for Windows; the API in the same process reads for here.
    project.write("m.py", "import sys\nif sys.platform == 'win32':\n    def only_on_windows(): ...\n")
    project.write("needs.yml", "functions:\n  - name: only_on_windows\n")
    program = (
        "import contextlib, io, importspy, importspy.__main__ as cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert cli.main(['generate', 'm.py', '--for', 'win32']) == 0\n"
        "report = importspy.check('m.py', 'needs.yml')\n"
        "print([v.code for v in report.violations])\n"
    )
    result = project.run("-c", program)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['function-missing']"
