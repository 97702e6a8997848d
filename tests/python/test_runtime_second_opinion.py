"""Runtime mode is a second opinion: what the live module binds decides, not what its source shows.

Each case is a module whose source shows a definition that does not exist once it has run (a branch not
taken, a name rebound or deleted at run time, a class decorator that replaces the class, a module that
puts another object in its place in sys.modules). Each is checked in every runtime front, in a real
interpreter: `importspy check --mode runtime`, `importspy.check(..., mode="runtime")`, an import hook
rule with `runtime: true`, and embedded `Spy` (the importer defines the name above its import line).
"""

import json
import textwrap

import pytest

CASES = {
    # name: (module body, contract, the violation code the live module gives)
    "a_function_defined_in_a_branch_not_taken": (
        """
        import os
        if os.environ.get("IMPORTSPY_TEST_NEVER_SET"):
            def register(app):
                return app
        """,
        "functions:\n  - name: register\n    arguments:\n      - name: app\n",
        "function-missing",
    ),
    "a_variable_assigned_in_a_branch_not_taken": (
        """
        import os
        if os.environ.get("IMPORTSPY_TEST_NEVER_SET"):
            api_level = 2
        """,
        "variables:\n  - name: api_level\n    value: 2\n",
        "variable-missing",
    ),
    "a_class_a_decorator_replaces_by_a_function": (
        """
        def sealed(cls):
            def make(*args):
                return None
            return make

        @sealed
        class Plugin:
            def run(self):
                return 1
        """,
        "classes:\n  - name: Plugin\n    methods:\n      - name: run\n        arguments:\n          - name: self\n",
        "class-missing",
    ),
    "a_class_a_decorator_rebuilds_without_its_methods": (
        """
        def rebuild(cls):
            return type(cls.__name__, (), {})

        @rebuild
        class Plugin:
            def run(self):
                return 1
        """,
        "classes:\n  - name: Plugin\n    methods:\n      - name: run\n        arguments:\n          - name: self\n",
        "method-missing",
    ),
    "a_function_rebound_after_its_definition": (
        """
        def register(app):
            return app
        for register in [print]:
            pass
        """,
        "functions:\n  - name: register\n    arguments:\n      - name: app\n",
        "function-missing",
    ),
    "a_function_deleted_at_run_time": (
        """
        def register(app):
            return app
        globals().pop("register")
        """,
        "functions:\n  - name: register\n    arguments:\n      - name: app\n",
        "function-missing",
    ),
}

# Replacing the module in sys.modules changes what an import gives, not the importer's own namespace:
# embedded mode checks the importer's namespace, so this case is for the other fronts only.
REPLACED = (
    """
    import sys
    import types

    def register(app):
        return app

    sys.modules[__name__] = types.ModuleType(__name__)
    """,
    "functions:\n  - name: register\n    arguments:\n      - name: app\n",
    "function-missing",
)
WHOLE_MODULE_CASES = {**CASES, "a_module_that_replaces_itself_in_sys_modules": REPLACED}


def json_codes(stdout):
    return [v["code"] for target in json.loads(stdout)["targets"] for v in target.get("violations", [])]


def write_case(project, case, module="target"):
    body, contract, _ = WHOLE_MODULE_CASES[case]
    project.write("contract.yml", contract)
    return project.write(f"{module}.py", body)


@pytest.mark.parametrize("case", sorted(WHOLE_MODULE_CASES))
def test_cli_runtime_mode_reports_what_the_live_module_lacks(project, case):
    path = write_case(project, case)
    result = project.cli("check", str(path), "-s", "contract.yml", "--mode", "runtime", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    codes = json_codes(result.stdout)
    assert WHOLE_MODULE_CASES[case][2] in codes, result.stdout


@pytest.mark.parametrize("case", sorted(WHOLE_MODULE_CASES))
def test_api_runtime_mode_reports_what_the_live_module_lacks(project, case):
    write_case(project, case)
    result = project.run("-c", textwrap.dedent("""
        import importspy
        report = importspy.check("target.py", "contract.yml", mode="runtime")
        print([v.code for v in report.violations])
    """))
    assert result.returncode == 0, result.stderr
    assert WHOLE_MODULE_CASES[case][2] in eval(result.stdout.strip().splitlines()[-1]), result.stdout


@pytest.mark.parametrize("case", sorted(WHOLE_MODULE_CASES))
def test_api_runtime_mode_by_dotted_name_reports_what_the_live_module_lacks(project, case):
    write_case(project, case)
    result = project.run("-c", textwrap.dedent("""
        import importspy
        report = importspy.check("target", "contract.yml", mode="runtime")
        print([v.code for v in report.violations])
    """))
    assert result.returncode == 0, result.stderr
    assert WHOLE_MODULE_CASES[case][2] in eval(result.stdout.strip().splitlines()[-1]), result.stdout


@pytest.mark.parametrize("case", sorted(WHOLE_MODULE_CASES))
def test_import_hook_runtime_rule_rejects_what_the_live_module_lacks(project, case):
    write_case(project, case, module="plugins/target")
    project.write("plugins/__init__.py", "")
    result = project.run("-c", textwrap.dedent("""
        import importspy
        importspy.install({'plugins.*': {'contract': 'contract.yml', 'runtime': True}})
        try:
            import plugins.target
        except importspy.ContractViolation as e:
            print('rejected', [v.code for v in e.violations])
        else:
            print('accepted')
    """))
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert last.startswith("rejected"), result.stdout + result.stderr
    assert WHOLE_MODULE_CASES[case][2] in last, result.stdout


PROTECTED = """
from importspy import Spy
caller = Spy().importspy(filepath="contract.yml")
"""


@pytest.mark.parametrize("case", sorted(CASES))
def test_embedded_spy_rejects_an_importer_whose_definitions_above_the_import_did_not_run(project, case):
    body, contract, code = CASES[case]
    project.write("contract.yml", contract)
    project.write("protected.py", PROTECTED)
    project.write("importer.py", textwrap.dedent(body) + "\nimport protected\n")
    result = project.run("-c", textwrap.dedent("""
        import importspy
        try:
            import importer
        except importspy.ContractViolation as e:
            print('rejected', [v.code for v in e.violations])
        else:
            print('accepted')
    """))
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert last.startswith("rejected"), result.stdout + result.stderr
    assert code in last, result.stdout


def test_embedded_spy_still_reads_definitions_below_the_import_from_the_source(project):
    project.write("contract.yml", "functions:\n  - name: register\n    arguments:\n      - name: app\n")
    project.write("protected.py", PROTECTED)
    project.write("importer.py", "import protected\n\ndef register(app):\n    return app\n")
    result = project.run("-c", "import importer; print('ok')")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_runtime_mode_keeps_annotations_as_written_for_the_definition_that_ran(project):
    project.write("contract.yml", textwrap.dedent("""
        functions:
          - name: register
            arguments:
              - name: app
                annotation: App
            return_annotation: Optional[App]
    """))
    project.write("apps.py", "class App:\n    pass\n")
    path = project.write("target.py", textwrap.dedent("""
        from typing import Optional
        from apps import App

        def register(app: App) -> Optional[App]:
            return app
    """))
    result = project.cli("check", str(path), "-s", "contract.yml", "--mode", "runtime")
    assert result.returncode == 0, result.stdout + result.stderr


def test_runtime_mode_takes_the_annotation_of_the_function_that_ran_not_of_a_later_definition(project):
    project.write("contract.yml", textwrap.dedent("""
        functions:
          - name: register
            arguments:
              - name: app
                annotation: int
    """))
    path = project.write("target.py", textwrap.dedent("""
        def register(app: str):
            return app

        first = register

        def register(app: int):
            return app

        for register in [first]:
            pass
    """))
    result = project.cli("check", str(path), "-s", "contract.yml", "--mode", "runtime", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    assert json_codes(result.stdout) == ["argument-annotation-mismatch"]
