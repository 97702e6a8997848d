"""Import rules through the real command line: `imports:` and `requires:` in contracts, `check --package`,
`importspy graph`."""

import json
import sys

import pytest


def violations_of(result):
    """The violations of the one target a `check --format json` of one file reports (docs/report-format.md)."""
    [target] = json.loads(result.stdout)["targets"]
    return target["violations"]


def write_app(project):
    project.write("app/__init__.py", "from . import core\n")
    project.write("app/core.py", """
        import os
        from app import db

        def run():
            import requests
            return db
        """)
    project.write("app/db.py", """
        from typing import TYPE_CHECKING
        from .core import run
        if TYPE_CHECKING:
            from app.cli import Shell
        """)
    project.write("app/cli.py", "import app.core\n")


def test_a_forbidden_import_is_reported_at_its_line_and_lazy_ones_say_so(project):
    write_app(project)
    project.write("rules.yml", "imports:\n  forbidden: [requests, app.cli]\n")
    result = project.cli("check", "app/core.py", "-s", "rules.yml", "--format", "json")
    assert result.returncode == 1, result.stderr
    [violation] = violations_of(result)
    assert violation["code"] == "import-forbidden"
    assert violation["path"] == "imports"
    assert violation["expected"] == "requests"
    assert violation["actual"] == "import requests"
    assert "lazy" in violation["message"]


def test_type_checking_imports_count_only_when_the_contract_says_so(project):
    write_app(project)
    project.write("default.yml", "imports:\n  forbidden: [app.cli]\n")
    project.write("typed.yml", "imports:\n  forbidden: [app.cli]\n  type_checking: true\n")
    assert project.cli("check", "app/db.py", "-s", "default.yml").returncode == 0
    result = project.cli("check", "app/db.py", "-s", "typed.yml")
    assert result.returncode == 1
    assert "import-forbidden" in result.stdout and "TYPE_CHECKING" in result.stdout


def test_allowed_lists_every_import_outside_them_with_relative_imports_resolved(project):
    write_app(project)
    # A dotted name places the module in its package: `from .core import run` is app.core.
    project.write("allowed.yml", "imports:\n  allowed: [typing, app.core]\n")
    result = project.cli("check", "app.db", "-s", "allowed.yml", "--format", "json")
    assert result.returncode == 0, result.stdout
    project.write("narrow.yml", "imports:\n  allowed: [typing]\n")
    result = project.cli("check", "app.db", "-s", "narrow.yml", "--format", "json")
    [violation] = violations_of(result)
    assert violation["code"] == "import-not-allowed"
    assert violation["actual"] == "from app.core import run"


def test_contract_errors_in_the_imports_section_are_located(project):
    project.write("m.py", "import os\n")
    project.write("bad.yml", "imports:\n  forbiden: [os]\n")
    result = project.cli("check", "m.py", "-s", "bad.yml")
    assert result.returncode == 2
    assert "bad.yml:2:3" in result.stderr + result.stdout
    assert "did you mean `forbidden`" in result.stderr + result.stdout


def test_graph_prints_modules_edges_and_the_cycle_once(project):
    write_app(project)
    result = project.cli("graph", "app")
    assert result.returncode == 0, result.stderr
    assert "app.core (app/core.py)\n  -> app.db (line 2)\n" in result.stdout
    assert "  -> app.cli (line 4, TYPE_CHECKING)" in result.stdout
    assert result.stdout.count("cycle:") == 1
    assert "cycle: app.core app.db" in result.stdout
    assert "4 modules, 5 imports, 5 edges, 1 cycle" in result.stdout


def test_graph_json_and_dot_and_a_dotted_name_found_without_importing(project):
    write_app(project)
    project.write("app/__init__.py", "from . import core\nraise SystemExit('imported!')\n")
    document = json.loads(project.cli("graph", "app", "--format", "json").stdout)
    names = [m["name"] for m in document["modules"]]
    assert names == ["app", "app.cli", "app.core", "app.db"]
    core = document["modules"][2]
    assert core["imports"] == [{"module": "app.db", "lines": [2], "lazy": False, "type_checking": False, "main_guard": False}]
    assert document["cycles"] == [["app.core", "app.db"]]
    dot = project.cli("graph", "app", "--format", "dot", cwd=project.root / "app")
    assert dot.returncode == 0, dot.stderr
    assert '"app.db" -> "app.cli" [label="4", style=dotted];' in dot.stdout


def test_graph_json_gives_one_edge_per_imported_module_with_its_lines(project):
    project.write("app/__init__.py", "")
    project.write("app/core.py", "x = 1\n")
    project.write("app/user.py", """
        from app.core import a, b, c
        import app.core

        def f():
            from app.core import d
        """)
    result = project.cli("graph", "app", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    user = next(m for m in document["modules"] if m["name"] == "app.user")
    # Three names on line 1, one on line 2, one lazy on line 5: one edge, each line once.
    assert user["imports"] == [{"module": "app.core", "lines": [1, 2, 5], "lazy": False, "type_checking": False, "main_guard": False}]
    assert document["summary"] == {"modules": 3, "imports": 3, "edges": 1, "cycles": 0}
    text = project.cli("graph", "app")
    assert "app.user (app/user.py)\n  -> app.core (lines 1, 2, 5 [lazy])\n" in text.stdout
    assert "3 modules, 3 imports, 1 edge, 0 cycles" in text.stdout


def test_graph_reports_no_cycle_for_a_module_importing_itself(project):
    project.write("app/__init__.py", "from . import helper\n")
    project.write("app/solo.py", "import app.solo\n")
    result = project.cli("graph", "app", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["cycles"] == []
    assert "0 cycles" in project.cli("graph", "app").stdout


def test_imports_under_a_main_guard_are_graphed_marked_and_judged_by_no_rule(project):
    project.write("app/__init__.py", "")
    project.write("app/cli.py", """
        import app.core
        if __name__ == "__main__":
            import requests
            from app import core
        """)
    project.write("app/core.py", """
        if __name__ == "__main__":
            from app import cli
        """)
    project.write("rules.yml", "imports:\n  forbidden: [requests]\n  no_cycles: true\n")
    assert project.cli("check", "app.cli", "-s", "rules.yml").returncode == 0
    assert project.cli("check", "--package", "app", "-s", "rules.yml").returncode == 0
    document = json.loads(project.cli("graph", "app", "--format", "json").stdout)
    by_name = {m["name"]: m for m in document["modules"]}
    assert by_name["app.core"]["imports"] == [{"module": "app.cli", "lines": [2], "lazy": False, "type_checking": False, "main_guard": True}]
    assert by_name["app.cli"]["imports"][0]["lines"] == [1, 4]
    assert by_name["app.cli"]["imports"][0]["main_guard"] is False
    assert document["cycles"] == []
    assert "  -> app.cli (line 2, __main__)" in project.cli("graph", "app").stdout


def test_a_pep_810_lazy_import_is_judged_and_reported_as_lazy(project):
    # Read for Python 3.15 (or for any version: `--for any`), whatever interpreter runs the check.
    project.write("app/__init__.py", "")
    project.write("app/m.py", "lazy import requests\nlazy = 1\n")
    project.write("rules.yml", "imports:\n  forbidden: [requests]\n")
    result = project.cli("check", "--package", "app", "-s", "rules.yml", "--format", "json", "--for", "linux:3.15")
    assert result.returncode == 1, result.stderr
    by_target = {target["target"]: target for target in json.loads(result.stdout)["targets"]}
    assert by_target["app"]["violations"] == []
    [violation] = by_target["app.m"]["violations"]
    assert violation["code"] == "import-forbidden"
    assert violation["actual"] == "import requests"
    assert "lazy" in violation["message"]


@pytest.mark.skipif(sys.version_info >= (3, 15), reason="lazy import is this interpreter's syntax")
def test_a_pep_810_lazy_import_checked_for_an_older_interpreter_is_its_syntax_error(project):
    project.write("m.py", "import os\nlazy import requests\n")
    project.write("rules.yml", "imports:\n  forbidden: [requests]\n")
    result = project.cli("check", "m.py", "-s", "rules.yml")
    assert result.returncode == 2
    minor = sys.version_info[1]
    assert f"m.py:2:1: error: not valid Python: `lazy import` (PEP 810) is Python 3.15 syntax, and this module is read for Python 3.{minor}" in result.stderr


def test_nested_class_imports_are_recorded_by_both_parsers(project):
    project.write("m.py", """
        class Outer:
            class Inner:
                import requests
        """)
    project.write("rules.yml", "imports:\n  forbidden: [requests]\n")
    for parser in ("reader", "cpython"):
        result = project.cli("check", "m.py", "-s", "rules.yml", "--parser", parser, "--format", "json")
        assert result.returncode == 1, (parser, result.stdout, result.stderr)
        [violation] = violations_of(result)
        assert violation["code"] == "import-forbidden"
        assert "class body" in violation["message"]


def test_graph_of_something_that_is_no_package_exits_two(project):
    result = project.cli("graph", "no.such.package")
    assert result.returncode == 2
    assert "neither a folder nor a package" in result.stderr


def test_a_dotted_name_of_a_module_is_not_a_package(project):
    write_app(project)
    project.write("contract.yml", "variables: []\n")
    for command in (("graph", "app.core"), ("check", "--package", "app.core", "-s", "contract.yml")):
        result = project.cli(*command)
        assert result.returncode == 2, result.stdout
        assert "`app.core` is a module (app/core.py), not a package; check it alone with `importspy check app.core`" in result.stderr


def test_check_package_applies_required_contracts_along_the_chain(project):
    write_app(project)
    project.write("contracts/db.yml", "functions:\n  - name: connect\n")
    project.write("contracts/app.yml", "requires:\n  - {module: app.db, contract: db.yml}\n")
    result = project.cli("check", "--package", "app", "-s", "contracts/app.yml", "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    by_target = {t["target"]: t for t in document["targets"]}
    assert set(by_target) == {"app", "app.cli", "app.core", "app.db"}
    [violation] = by_target["app"]["violations"]
    assert violation["code"] == "dependency-violation"
    assert violation["chain"] == ["app", "app.core", "app.db"]
    assert violation["dependency"]["violations"][0]["code"] == "function-missing"
    assert violation["dependency"]["contract"].endswith("db.yml")
    assert by_target["app.db"]["ok"] is True  # its own contract is not this one's requirement of itself
    text = project.cli("check", "--package", "app", "-s", "contracts/app.yml")
    assert text.returncode == 1
    assert "app -> app.core -> app.db" in text.stdout


def test_check_package_reads_whole_the_modules_whose_contracts_read_more_than_imports(project):
    # The package's contract reads imports alone, so most modules are read imports-only; the module
    # `requires:` names is read whole for its own contract, which finds the function it defines.
    write_app(project)
    project.write("app/db.py", "from .core import run\n\ndef connect(url: str) -> None:\n    pass\n")
    project.write("contracts/db.yml", "functions:\n  - name: connect\n    arguments:\n      - {name: url, annotation: str}\n")
    project.write("contracts/app.yml", "requires:\n  - {module: app.db, contract: db.yml}\nimports:\n  forbidden: [requests]\n")
    result = project.cli("check", "--package", "app", "-s", "contracts/app.yml", "--format", "json", "--no-cache")
    by_target = {t["target"]: t for t in json.loads(result.stdout)["targets"]}
    assert [v["code"] for v in by_target["app.core"]["violations"]] == ["import-forbidden"]
    assert by_target["app"]["ok"] is True and by_target["app.db"]["ok"] is True, result.stdout
    # A contract that reads definitions judges every module's whole facts, each as it is read.
    project.write("contracts/run.yml", "functions:\n  - name: run\nimports:\n  forbidden: [requests]\n")
    result = project.cli("check", "--package", "app", "-s", "contracts/run.yml", "--format", "json", "--no-cache")
    by_target = {t["target"]: t for t in json.loads(result.stdout)["targets"]}
    assert [v["code"] for v in by_target["app.core"]["violations"]] == ["import-forbidden"]  # it defines run
    for module in ("app", "app.cli", "app.db"):
        assert [v["code"] for v in by_target[module]["violations"]] == ["function-missing"], module


def test_check_package_without_a_contract_or_with_targets_is_a_usage_error(project):
    write_app(project)
    assert project.cli("check", "--package", "app").returncode == 2
    assert project.cli("check", "app/core.py", "--package", "app", "-s", "x.yml").returncode == 2


def test_a_file_path_is_placed_in_its_package_under_the_source_root(project):
    # `app/db.py` is module `app.db` (file targets are named under the project's source roots, as imported):
    # its relative import `from .core import run` is `app.core`, which the rule allows.
    write_app(project)
    project.write("allowed.yml", "imports:\n  allowed: [typing, app.core, app.models]\n")
    result = project.cli("check", "app/db.py", "-s", "allowed.yml", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    project.write("forbidden.yml", "imports:\n  forbidden: [app.core]\n")
    result = project.cli("check", "app/db.py", "-s", "forbidden.yml", "--format", "json")
    [violation] = violations_of(result)
    assert (violation["code"], violation["actual"]) == ("import-forbidden", "from app.core import run")


def test_both_parsers_record_lazy_and_type_checking_imports_alike(project):
    project.write("app/__init__.py", "")
    project.write("app/mixed.py", """
        import os
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            import requests
        def run():
            from app import secret
        class C:
            import csv
            def m(self):
                import json
        """)
    project.write("rules.yml", "imports:\n  forbidden: [requests, app.secret, json, csv]\n  type_checking: true\n")
    outputs = []
    for parser in ("reader", "cpython"):
        result = project.cli("check", "app.mixed", "-s", "rules.yml", "--parser", parser, "--format", "json", "--no-cache")
        assert result.returncode == 1, result.stderr
        outputs.append(violations_of(result))
    assert outputs[0] == outputs[1]
    messages = [v["message"] for v in outputs[0]]
    assert len(messages) == 4
    assert "TYPE_CHECKING" in messages[0] and "lazy" in messages[1] and "in a class body" in messages[2] and "lazy" in messages[3]


def test_a_module_that_cannot_be_read_is_an_error_of_its_own_and_the_others_are_checked(project):
    write_app(project)
    project.write("app/broken.py", "def f(:\n")
    project.write("rules.yml", "imports:\n  forbidden: [requests]\n")
    result = project.cli("check", "--package", "app", "-s", "rules.yml", "--format", "json")
    assert result.returncode == 2
    by_target = {t["target"]: t for t in json.loads(result.stdout)["targets"]}
    assert by_target["app.broken"]["error"]["file"].endswith("broken.py")
    assert by_target["app.broken"]["error"]["line"] == 1
    assert by_target["app.core"]["violations"][0]["code"] == "import-forbidden"
    graph = project.cli("graph", "app")
    assert graph.returncode == 2
    assert "broken.py:1:" in graph.stderr
    assert "app.core (app/core.py)" in graph.stdout


def test_a_symbolic_link_back_up_the_package_is_followed_once(project):
    write_app(project)
    (project.root / "app" / "sub").mkdir()
    (project.root / "app" / "sub" / "__init__.py").write_text("")
    (project.root / "app" / "sub" / "loop").symlink_to(project.root / "app", target_is_directory=True)
    result = project.cli("graph", "app", "--format", "json")
    assert result.returncode == 0, result.stderr
    names = [m["name"] for m in json.loads(result.stdout)["modules"]]
    assert names == ["app", "app.cli", "app.core", "app.db", "app.sub"]


def test_no_cycles_reports_the_package_cycle_once(project):
    write_app(project)
    project.write("rules.yml", "imports:\n  no_cycles: true\n")
    result = project.cli("check", "--package", "app", "-s", "rules.yml", "--format", "json")
    assert result.returncode == 1, result.stderr
    cycles = [(t["target"], v) for t in json.loads(result.stdout)["targets"] for v in t.get("violations", [])]
    assert len(cycles) == 1
    target, violation = cycles[0]
    assert target == "app.core"
    assert violation["code"] == "import-cycle"
    assert violation["chain"] == ["app.core", "app.db", "app.core"]



def test_a_module_checked_alone_follows_its_imports_for_no_cycles(project):
    # Checked on its own (a file, a dotted name, a [tool.importspy] target), a module's cycles are found along
    # the modules it reaches, read from their files: the one through it is reported on it.
    write_app(project)
    project.write("rules.yml", "imports:\n  no_cycles: true\n")
    for target in ("app.core", "app/core.py", "app/db.py"):
        result = project.cli("check", target, "-s", "rules.yml", "--format", "json")
        assert result.returncode == 1, (target, result.stdout, result.stderr)
        [violation] = violations_of(result)
        assert violation["code"] == "import-cycle"
        assert violation["chain"][0] == violation["chain"][-1] and len(violation["chain"]) == 3, violation
    # app.cli imports app.core but no module imports app.cli back (only under TYPE_CHECKING): no cycle through it.
    assert project.cli("check", "app/cli.py", "-s", "rules.yml").returncode == 0


def test_a_module_checked_alone_applies_required_contracts_along_its_imports(project):
    write_app(project)
    project.write("contracts/db.yml", "functions:\n  - name: connect\n")
    project.write("contracts/app.yml", "requires:\n  - {module: app.db, contract: db.yml}\n")
    result = project.cli("check", "app/cli.py", "-s", "contracts/app.yml", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    [violation] = violations_of(result)
    assert violation["code"] == "dependency-violation"
    assert violation["chain"] == ["app.cli", "app.core", "app.db"]
    assert violation["dependency"]["violations"][0]["code"] == "function-missing"
    # The result depends on app/db.py too, so it is never served from the cache: fixing the dependency
    # fixes the verdict on the next run.
    project.write("app/db.py", "from .core import run\n\ndef connect():\n    return run\n")
    again = project.cli("check", "app/cli.py", "-s", "contracts/app.yml")
    assert again.returncode == 0, again.stdout + again.stderr


def test_project_settings_apply_required_contracts_to_each_target(project):
    write_app(project)
    project.write("contracts/db.yml", "functions:\n  - name: connect\n")
    project.write("contracts/app.yml", "requires:\n  - {module: app.db, contract: db.yml}\n")
    project.write("pyproject.toml", '[tool.importspy]\ntargets = ["app/cli.py", "app/db.py"]\n'
                  '[[tool.importspy.contracts]]\nmatch = "app/*.py"\ncontract = "contracts/app.yml"\n')
    result = project.cli("check", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    by_target = {t["target"]: t for t in json.loads(result.stdout)["targets"]}
    assert [v["code"] for v in by_target["app/cli.py"]["violations"]] == ["dependency-violation"]
    assert by_target["app/db.py"]["ok"] is True  # a module is not its own dependency


def test_the_python_api_applies_required_contracts_and_no_cycles(project):
    write_app(project)
    project.write("contracts/db.yml", "functions:\n  - name: connect\n")
    project.write("contracts/app.yml", "requires:\n  - {module: app.db, contract: db.yml}\nimports:\n  no_cycles: true\n")
    script = (
        "import importspy\n"
        "report = importspy.check('app.core', 'contracts/app.yml')\n"
        "print(sorted(v.code for v in report.violations))\n"
    )
    result = project.run("-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['dependency-violation', 'import-cycle']"


def test_when_unsure_deny_refuses_a_module_that_changes_its_namespace_statically_only(project):
    project.write("plugin.py", "def register(host):\n    return host\n\nglobals()['extra'] = 1\n")
    project.write("unsure.yml", "importspy: 1\nwhen_unsure: deny\nfunctions:\n  - name: register\n")
    result = project.cli("check", "plugin.py", "-s", "unsure.yml", "--format", "json")
    [violation] = violations_of(result)
    assert result.returncode == 1 and violation["code"] == "namespace-unverifiable"
    assert violation["actual"] == "`globals(...)` at line 4"
    runtime = project.cli("check", "plugin.py", "-s", "unsure.yml", "--mode", "runtime")
    assert runtime.returncode == 0, runtime.stdout + runtime.stderr  # the live module is read: nothing is unsure


def test_project_settings_check_packages_whole_beside_their_targets(project):
    # `[[tool.importspy.packages]]` is `check --package` written once in the settings: `importspy check` with no
    # argument checks each package along its graph (each cycle once), after the `targets`.
    write_app(project)
    project.write("contracts/rules.yml", "imports:\n  no_cycles: true\n")
    project.write("contracts/plain.yml", "variables: []\n")
    project.write("tools/t.py", "x = 1\n")
    project.write("pyproject.toml", '[tool.importspy]\ntargets = ["tools"]\n'
                  '[[tool.importspy.contracts]]\nmatch = "tools/*.py"\ncontract = "contracts/plain.yml"\n'
                  '[[tool.importspy.packages]]\npackage = "app"\ncontract = "contracts/rules.yml"\n')
    result = project.cli("check", "--format", "json", "--no-cache")
    assert result.returncode == 1, result.stdout + result.stderr
    targets = json.loads(result.stdout)["targets"]
    assert [t["target"] for t in targets] == ["tools/t.py", "app", "app.cli", "app.core", "app.db"]
    cycles = [(t["target"], v["code"]) for t in targets for v in t.get("violations", [])]
    assert cycles == [("app.core", "import-cycle")]
    assert targets[1]["contract"] == "contracts/rules.yml"
    # Explicit targets take the place of the settings' targets and packages.
    assert project.cli("check", "tools/t.py", "-s", "contracts/plain.yml").returncode == 0


def test_a_package_of_the_settings_that_is_missing_or_has_a_broken_contract_is_a_target_error(project):
    project.write("contracts/broken.yml", "imports: [\n")
    project.write("pkg/__init__.py", "")
    project.write("pyproject.toml", '[tool.importspy]\n'
                  '[[tool.importspy.packages]]\npackage = "no.such.package"\ncontract = "contracts/broken.yml"\n'
                  '[[tool.importspy.packages]]\npackage = "pkg"\ncontract = "contracts/broken.yml"\n')
    result = project.cli("check", "--format", "json")
    assert result.returncode == 2, result.stdout + result.stderr
    errors = [(t["target"], t["error"]["code"]) for t in json.loads(result.stdout)["targets"]]
    assert errors == [("no.such.package", "contract-invalid"), ("pkg", "contract-invalid")]
    project.write("contracts/fine.yml", "variables: []\n")
    project.write("pyproject.toml", '[tool.importspy]\n[[tool.importspy.packages]]\npackage = "no.such.package"\ncontract = "contracts/fine.yml"\n')
    result = project.cli("check", "--format", "json")
    [target] = json.loads(result.stdout)["targets"]
    assert (target["target"], target["error"]["code"]) == ("no.such.package", "not-found")
    assert "neither a folder nor a package" in target["error"]["message"]


def test_a_packages_entry_without_its_keys_is_a_settings_error_at_its_line(project):
    project.write("pyproject.toml", '[tool.importspy]\n[[tool.importspy.packages]]\npackage = "app"\n')
    result = project.cli("check")
    assert result.returncode == 2
    assert "pyproject.toml:2:" in result.stderr and "needs `package" in result.stderr, result.stderr
    project.write("pyproject.toml", '[tool.importspy]\n[[tool.importspy.packages]]\npackage = "app"\ncontract = "c.yml"\nmatch = "x"\n')
    result = project.cli("check")
    assert result.returncode == 2 and "unknown key `match`" in result.stderr, result.stderr


def test_check_package_results_are_cached_and_a_change_to_any_module_of_the_package_is_seen(project):
    write_app(project)
    project.write("contracts/db.yml", "functions:\n  - name: connect\n")
    project.write("contracts/app.yml", "requires:\n  - {module: app.db, contract: db.yml}\n")
    command = ("check", "--package", "app", "-s", "contracts/app.yml", "--format", "json")
    first = json.loads(project.cli(*command).stdout)
    second = json.loads(project.cli(*command).stdout)
    assert [t["cached"] for t in first["targets"]] == [False] * 4
    assert [t["cached"] for t in second["targets"]] == [True] * 4
    assert [t["ok"] for t in second["targets"]] == [t["ok"] for t in first["targets"]] == [False, False, False, True]
    # app.cli's verdict depends on app/db.py, two imports away: fixing that file changes it on the next run.
    project.write("app/db.py", "from .core import run\n\ndef connect():\n    return run\n")
    third = json.loads(project.cli(*command).stdout)
    assert [t["cached"] for t in third["targets"]] == [False] * 4
    assert all(t["ok"] for t in third["targets"]), third
    # So does a change to a required contract.
    project.write("contracts/db.yml", "functions:\n  - name: connect\n  - name: close\n")
    fourth = json.loads(project.cli(*command).stdout)
    assert [t["ok"] for t in fourth["targets"]] == [False, False, False, True]
    assert json.loads(project.cli(*command, "--no-cache").stdout)["targets"][0]["cached"] is False


def test_check_package_shards_split_the_modules_and_each_cycle_is_still_found(project):
    write_app(project)
    project.write("rules.yml", "imports:\n  no_cycles: true\n")
    seen = []
    for shard in ("1/2", "2/2"):
        result = project.cli("check", "--package", "app", "-s", "rules.yml", "--format", "json", "--shard", shard, "--no-cache")
        document = json.loads(result.stdout)
        seen += [(t["target"], [v["code"] for v in t.get("violations", [])]) for t in document["targets"]]
    assert sorted(seen) == [("app", []), ("app.cli", []), ("app.core", ["import-cycle"]), ("app.db", [])]
    assert project.cli("check", "--package", "app", "-s", "rules.yml", "--shard", "3/2").returncode == 2


def test_runtime_mode_and_the_import_hook_apply_required_contracts_from_the_source(project):
    # An importable package (write_app's has a real import cycle): app.cli -> app.core -> app.db.
    project.write("app/__init__.py", "")
    project.write("app/core.py", "from app import db\n")
    project.write("app/db.py", "x = 1\n")
    project.write("app/cli.py", "import app.core\n")
    project.write("contracts/db.yml", "functions:\n  - name: connect\n")
    project.write("contracts/app.yml", "requires:\n  - {module: app.db, contract: db.yml}\n")
    result = project.cli("check", "app.cli", "-s", "contracts/app.yml", "--mode", "runtime", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    [violation] = violations_of(result)
    assert (violation["code"], violation["chain"]) == ("dependency-violation", ["app.cli", "app.core", "app.db"])
    host = (
        "import importspy\n"
        "importspy.install({'app.cli': 'contracts/app.yml'})\n"
        "try:\n"
        "    import app.cli\n"
        "    print('admitted')\n"
        "except ImportError as error:\n"
        "    print('refused', [v.code for v in error.violations])\n"
    )
    refused = project.run("-c", host)
    assert refused.stdout.strip() == "refused ['dependency-violation']", refused.stdout + refused.stderr
    project.write("app/db.py", "def connect():\n    return 1\n")
    admitted = project.run("-c", host)
    assert admitted.stdout.strip() == "admitted", admitted.stdout + admitted.stderr


def test_a_dotted_name_is_the_package_when_a_module_of_the_same_name_is_beside_it(project):
    # As CPython imports it: in one folder, app/tool/__init__.py wins over app/tool.py. Static checks read
    # that same file, whether the name is a target or an import followed for `requires:`.
    project.write("app/__init__.py", "")
    project.write("app/tool.py", "value = 1\n")
    project.write("app/tool/__init__.py", "value = 2\n")
    project.write("contract.yml", "variables:\n  - name: value\n    value: 2\n")
    imported = project.run("-c", "import app.tool; print(app.tool.value)")
    assert imported.stdout.strip() == "2"
    result = project.cli("check", "app.tool", "-s", "contract.yml", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["targets"][0]["file"] == "app/tool/__init__.py"
    script = "import importspy\nprint(importspy.check('app.tool', 'contract.yml').ok)\n"
    assert project.run("-c", script).stdout.strip() == "True"
