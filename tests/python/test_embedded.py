"""Embedded mode: Spy().importspy(filepath=...) in a protected module validates its real importer."""

import hashlib
import json

import pytest

CONTRACT = """
filename: {filename}
variables:
  - name: before_import
    value: 1
  - name: after_import
    value: 2
functions:
  - name: defined_later
    arguments:
      - name: x
classes:
  - name: Later
    methods:
      - name: run
        arguments:
          - name: self
"""

PROTECTED = """
from importspy import Spy
caller = Spy().importspy(filepath="contract.yml")
"""

IMPORTER_BODY = """
after_import = 2
def defined_later(x):
    return x
class Later:
    def run(self):
        return 1
"""


def make_importer(project, filename, import_line, body=IMPORTER_BODY):
    project.write("contract.yml", CONTRACT.format(filename=filename))
    project.write("protected.py", PROTECTED)
    project.write(filename, "before_import = 1\n" + import_line + "\n" + body)


def test_import_statement_validates_the_importer_mid_import(project):
    make_importer(project, "importer.py", "import protected")
    result = project.run("-c", "import importer; print('ok', importer.protected.caller.__name__)")
    assert result.returncode == 0, result.stderr
    assert "ok importer" in result.stdout


def test_from_import_validates_the_importer(project):
    make_importer(project, "importer.py", "from protected import caller")
    result = project.run("-c", "import importer; print('ok', importer.caller.__name__)")
    assert result.returncode == 0, result.stderr
    assert "ok importer" in result.stdout


def test_importlib_import_module_validates_the_importer(project):
    make_importer(project, "importer.py", "import importlib; importlib.import_module('protected')")
    result = project.run("-c", "import importer")
    assert result.returncode == 0, result.stderr


def test_function_level_import_validates_the_whole_module(project):
    project.write("contract.yml", CONTRACT.format(filename="importer.py"))
    project.write("protected.py", PROTECTED)
    project.write(
        "importer.py",
        "before_import = 1\n" + IMPORTER_BODY + "\ndef load():\n    import protected\n    return protected.caller\n",
    )
    result = project.run("-c", "import importer; print('caller', importer.load().__name__)")
    assert result.returncode == 0, result.stderr
    assert "caller importer" in result.stdout


def test_the_importer_is_found_through_nested_packages(project):
    project.write("contract.yml", CONTRACT.format(filename="plugin.py"))
    project.write("host/__init__.py", "")
    project.write("host/api/__init__.py", "from .protected import caller\n")
    project.write("host/api/protected.py", PROTECTED.replace("contract.yml", "../../contract.yml"))
    project.write("plugins/__init__.py", "")
    project.write("plugins/deep/__init__.py", "")
    project.write("plugins/deep/plugin.py", "before_import = 1\nfrom host.api import caller\n" + IMPORTER_BODY)
    result = project.run("-c", "import plugins.deep.plugin as p; print('caller', p.caller.__name__)")
    assert result.returncode == 0, result.stderr
    # The package __init__ that re-exports the protected module is not mistaken for the importer.
    assert "caller plugins.deep.plugin" in result.stdout


def test_the_script_importing_the_protected_module_is_validated_as_main(project):
    make_importer(project, "importer.py", "import protected")
    result = project.run("importer.py")
    assert result.returncode == 0, result.stderr


def test_a_violating_importer_is_stopped_at_its_import_line(project):
    make_importer(project, "importer.py", "import protected", body="after_import = 3\n")
    result = project.run("-c", "import importer")
    assert result.returncode != 0
    assert "importspy.ContractViolation" in result.stderr
    assert "variable-value-mismatch variables.after_import" in result.stderr
    assert "function-missing functions.defined_later" in result.stderr
    assert "class-missing classes.Later" in result.stderr
    assert 'importer.py", line 2' in result.stderr  # raised from the import line


def test_the_importer_is_never_executed_twice(project):
    project.write("contract.yml", "filename: importer.py\nvariables:\n  - name: marker\n")
    project.write("protected.py", PROTECTED)
    project.write(
        "importer.py",
        """
        import builtins
        builtins.EXECUTIONS = getattr(builtins, "EXECUTIONS", 0) + 1
        import protected
        marker = True
        """,
    )
    result = project.run("-c", "import builtins, importer; print('executions', builtins.EXECUTIONS)")
    assert result.returncode == 0, result.stderr
    assert "executions 1" in result.stdout


def test_violation_is_catchable_as_import_error_and_value_error_with_structured_fields(project):
    make_importer(project, "importer.py", "import protected", body="after_import = 3\n")
    result = project.run(
        "-c",
        """
import importspy
for kind in (ImportError, ValueError, importspy.ContractViolation):
    try:
        import importer
    except kind as error:
        v = error.violations[0]
        print(kind.__name__, v.code, v.category, v.context, v.path, v.expected, v.actual, bool(v.message), bool(v.hint))
        print(type(error.report).__name__, error.report.ok)
""",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "ImportError variable-value-mismatch mismatch module variables.after_import 2 3 True True"
    assert lines[1] == "Report False"
    assert lines[2].startswith("ValueError ")
    assert lines[4].startswith("ContractViolation ")


def test_a_rejected_importer_can_be_retried_after_being_fixed(project):
    make_importer(project, "importer.py", "import protected", body="after_import = 3\n")
    script = """
import importlib, pathlib, sys, importspy
try:
    import importer
except importspy.ContractViolation:
    print("rejected")
sys.modules.pop("importer", None); sys.modules.pop("protected", None)
path = pathlib.Path("importer.py")
path.write_text(path.read_text().replace("after_import = 3", {body!r}))
importlib.invalidate_caches()
import importer
print("accepted")
""".format(body=IMPORTER_BODY)
    result = project.run("-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["rejected", "accepted"]


def test_relative_contract_path_is_found_beside_the_protected_module(project):
    project.write("api/contract.yml", "filename: importer.py\n")
    project.write("api/protected.py", PROTECTED)
    project.write("importer.py", f"import sys; sys.path.insert(0, {str(project.root / 'api')!r})\nimport protected\n")
    elsewhere = project.root / "elsewhere"
    elsewhere.mkdir()
    result = project.run("-c", "import importer", cwd=elsewhere)
    assert result.returncode == 0, result.stderr


def test_relative_contract_path_falls_back_to_the_working_directory(project):
    project.write("api/protected.py", PROTECTED)
    project.write("importer.py", "import sys; sys.path.insert(0, 'api')\nimport protected\n")
    project.write("contract.yml", "filename: importer.py\n")
    result = project.run("-c", "import importer")
    assert result.returncode == 0, result.stderr


def test_missing_contract_raises_contract_error_naming_the_path(project):
    project.write("protected.py", PROTECTED.replace("contract.yml", "missing.yml"))
    result = project.run("-c", "import protected")
    assert result.returncode != 0
    assert "importspy.ContractError" in result.stderr
    assert "missing.yml" in result.stderr and "does not exist" in result.stderr


def test_broken_contract_raises_contract_error_with_line_and_column(project):
    project.write("contract.yml", "functions:\n  - name: f\n    retrun_annotation: str\n")
    project.write("protected.py", PROTECTED)
    project.write("importer.py", "import protected\n")
    result = project.run(
        "-c",
        "import importspy\ntry:\n    import importer\nexcept importspy.ContractError as e:\n    print(e.line, e.column, e.kind, 'return_annotation' in e.hint, isinstance(e, ValueError))",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3 5 unknown-key True True"


def test_info_module_validates_that_module(project):
    project.write("contract.yml", "filename: target.py\nvariables:\n  - name: value\n    value: 42\n")
    project.write("target.py", "value = 42\n")
    project.write("protected.py", "import target\nfrom importspy import Spy\ncaller = Spy().importspy(filepath='contract.yml', info_module=target)\n")
    result = project.run("-c", "import protected; print(protected.caller.__name__)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "target"


def test_log_level_enables_debug_logging(project):
    make_importer(project, "importer.py", "import protected")
    project.write("protected.py", "import logging\nfrom importspy import Spy\ncaller = Spy().importspy(filepath='contract.yml', log_level=logging.DEBUG)\n")
    result = project.run("-c", "import importer")
    assert result.returncode == 0, result.stderr
    assert "DEBUG:importspy:importer of" in result.stderr
    assert "compliant" in result.stderr


def test_protected_module_run_as_a_script_checks_only_the_environment(project):
    project.write("contract.yml", "filename: somewhere_else.py\n")
    project.write("protected.py", PROTECTED + "print('caller', caller)\n")
    result = project.run("protected.py")
    assert result.returncode == 0, result.stderr
    assert "caller None" in result.stdout


def test_environment_violation_in_embedded_mode(project):
    project.write(
        "contract.yml",
        "deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        environment:\n          secrets: [IMPORTSPY_TEST_SECRET]\n"
        "  - arch: aarch64\n    systems:\n      - os: linux\n        environment:\n          secrets: [IMPORTSPY_TEST_SECRET]\n",
    )
    project.write("protected.py", PROTECTED)
    project.write("importer.py", "import protected\n")
    rejected = project.run("-c", "import importer")
    assert "secret-missing" in rejected.stderr
    accepted = project.run("-c", "import importer", env={"IMPORTSPY_TEST_SECRET": "hunter2-value"})
    assert accepted.returncode == 0, accepted.stderr
    assert "hunter2-value" not in accepted.stderr + accepted.stdout


# The module validates whoever imports it, not only the first importer. Once the
# protected module is in sys.modules, each later import statement naming it checks the module that runs it
# (once per importing module, while its file is unchanged).
SECOND_CONTRACT = "variables:\n  - name: api_level\n    value: 2\n"


def protected_api(project):
    project.write("contract.yml", SECOND_CONTRACT)
    project.write("api/__init__.py", "")
    project.write("api/protected.py", PROTECTED.replace("contract.yml", "../contract.yml"))


@pytest.mark.parametrize(
    "module,import_line",
    [
        ("bad.py", "import api.protected"),
        ("bad.py", "from api.protected import caller"),
        ("bad.py", "from api import protected"),
        ("api/bad.py", "from . import protected"),
        ("api/bad.py", "from .protected import caller"),
    ],
)
def test_a_later_importer_of_a_cached_protected_module_is_checked(project, module, import_line):
    protected_api(project)
    project.write("good.py", "api_level = 2\nimport api.protected\n")
    project.write(module, f"api_level = 1\n{import_line}\n")
    name = module[:-3].replace("/", ".")
    result = project.run("-c", f"import good, sys\nassert 'api.protected' in sys.modules\nimport {name}")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "importspy.ContractViolation" in result.stderr and "variable-value-mismatch variables.api_level" in result.stderr, result.stderr
    assert f'{module}", line 2' in result.stderr, result.stderr  # raised from the importer's import line


def test_a_compliant_later_importer_goes_on_and_is_checked_once(project):
    protected_api(project)
    project.write("api/protected.py", "import logging\nfrom importspy import Spy\ncaller = Spy().importspy(filepath='../contract.yml', log_level=logging.DEBUG)\n")
    project.write("first.py", "api_level = 2\nimport api.protected\n")
    project.write("second.py", "api_level = 2\ndef load():\n    from api.protected import caller\n    return caller\n")
    result = project.run("-c", "import first, second\nfor _ in range(3): second.load()\nprint('ok')")
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
    checks = [line for line in result.stderr.splitlines() if "second" in line and "api.protected" in line and "compliant" in line]
    assert len(checks) == 1, result.stderr


def test_a_later_importer_through_a_re_exporting_package_is_checked(project):
    project.write("contract.yml", SECOND_CONTRACT)
    project.write("host/__init__.py", "")
    project.write("host/api/__init__.py", "from .protected import caller\n")
    project.write("host/api/protected.py", PROTECTED.replace("contract.yml", "../../contract.yml"))
    project.write("good.py", "api_level = 2\nfrom host.api import caller\n")
    project.write("bad.py", "api_level = 1\nfrom host.api import caller\n")
    result = project.run("-c", "import good\nimport bad")
    assert result.returncode == 1 and "variable-value-mismatch" in result.stderr, result.stdout + result.stderr


def test_the_program_itself_is_checked_when_it_imports_the_protected_module_later(project):
    protected_api(project)
    project.write("good.py", "api_level = 2\nimport api.protected\n")
    result = project.run("-c", "import good\nfrom api.protected import caller")  # __main__ has no api_level
    assert result.returncode == 1 and "variable-missing variables.api_level" in result.stderr, result.stderr


def test_unrelated_imports_and_imports_that_are_not_import_statements_are_left_alone(project):
    protected_api(project)
    project.write("api/protected.py", "from importspy import Spy\nclass Thing:\n    pass\ncaller = Spy().importspy(filepath='../contract.yml')\n")
    project.write("good.py", "api_level = 2\nimport api.protected\n")
    project.write("bad.py", "api_level = 1\nimport api.protected\n")
    result = project.run("-c", """
import good, importspy, pickle
import builtins
seen = []
original = builtins.__import__
def counting(name, *args, **kwargs):
    seen.append(name)
    return original(name, *args, **kwargs)
builtins.__import__ = counting            # another tool's import wrapper, over ImportSpy's
import json
# pickle imports api.protected itself (by __import__, from C): __main__ runs no import statement naming it
thing = pickle.loads(pickle.dumps(good.api.protected.Thing()))
print(type(thing).__name__, "json" in seen)
try:
    import bad                            # an import statement, through the other wrapper: checked
except importspy.ContractViolation:
    print("bad refused")
""")
    assert result.returncode == 0 and result.stdout.split("\n")[:2] == ["Thing True", "bad refused"], result.stdout + result.stderr


def test_a_cold_check_does_not_leave_the_hook_an_importer_without_its_digest(project):
    # Spy's cold check reads its importer without the file's SHA-256 when no rule pins the file; the
    # import hook, reading the same file later in the process, still records the file's digest.
    project.write("contract.yml", "filename: importer.py\nvariables:\n  - name: api_level\n    value: 2\n")
    project.write("policy.yml", "variables:\n  - name: api_level\n    value: 2\n")
    project.write("protected.py", PROTECTED)
    project.write("importer.py", "api_level = 2\nimport protected\n")
    log = project.root / "audit.jsonl"
    program = (
        "import sys, importspy\n"
        "import importer\n"
        "del sys.modules['importer']\n"
        f"importspy.install({{'importer': 'policy.yml'}}, audit_log={str(log)!r})\n"
        "import importer\n"
    )
    result = project.run("-c", program)
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(e["module"], e["decision"]) for e in entries] == [("importer", "accepted")]
    assert entries[0]["sha256"] == hashlib.sha256((project.root / "importer.py").read_bytes()).hexdigest()
