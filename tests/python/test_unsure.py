"""Unsure means no: a rule that needs what the source cannot show is violated (CLI exit 1, the import
hook refuses in enforce mode, reports in warn and audit modes), unless the contract opts out explicitly."""

import json
import textwrap

DECORATED = """
    def wrap(f):
        return lambda *a: None


    @wrap
    def register(host):
        return host
"""

DYNAMIC_IMPORT = """
    import importlib

    def register(host):
        return host

    NAME = "sub" + "process"
    tool = importlib.import_module(NAME)
"""


def violations_of(result):
    """The violations of the one target a `check --format json` of one file reports (docs/report-format.md)."""
    [target] = json.loads(result.stdout)["targets"]
    return target["violations"]


def test_cli_a_literal_dunder_import_is_judged_by_a_forbidden_rule(project):
    project.write("plugin.py", "sp = __import__('subprocess')\n")
    project.write("contract.yml", "importspy: 1\nimports:\n  forbidden: [subprocess]\n")
    result = project.cli("check", "plugin.py", "-s", "contract.yml", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    [violation] = violations_of(result)
    assert violation["code"] == "import-forbidden" and violation["actual"] == "import subprocess"


def test_cli_a_literal_import_module_is_judged_by_an_allow_list(project):
    project.write("plugin.py", "import importlib as il\nsock = il.import_module('socket')\n")
    project.write("contract.yml", "importspy: 1\nimports:\n  allowed: [importlib]\n")
    result = project.cli("check", "plugin.py", "-s", "contract.yml", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    assert [v["code"] for v in violations_of(result)] == ["import-not-allowed"]


def test_cli_a_computed_import_makes_import_rules_unverifiable_exit_1(project):
    project.write("plugin.py", DYNAMIC_IMPORT)
    project.write("contract.yml", "importspy: 1\nimports:\n  forbidden: [subprocess]\n")
    result = project.cli("check", "plugin.py", "-s", "contract.yml", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    [violation] = violations_of(result)
    assert violation["code"] == "import-unverifiable"
    assert violation["actual"] == "importlib.import_module(NAME)"


def test_cli_imports_allow_opts_the_contract_out_explicitly(project):
    project.write("plugin.py", DYNAMIC_IMPORT)
    project.write("contract.yml", "importspy: 1\nwhen_unsure: {imports: allow}\nimports:\n  forbidden: [subprocess]\n")
    result = project.cli("check", "plugin.py", "-s", "contract.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_a_required_function_behind_an_unknown_decorator_is_unverifiable(project):
    project.write("plugin.py", DECORATED)
    project.write("contract.yml", "importspy: 1\nfunctions:\n  - name: register\n")
    result = project.cli("check", "plugin.py", "-s", "contract.yml", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    assert [v["code"] for v in violations_of(result)] == ["definition-unverifiable"]
    allowed = project.write("allowed.yml", "importspy: 1\nwhen_unsure: {definitions: allow}\nfunctions:\n  - name: register\n")
    assert project.cli("check", "plugin.py", "-s", str(allowed)).returncode == 0


def test_cli_a_module_that_changes_its_namespace_is_denied_by_default(project):
    project.write("plugin.py", "import sys\n\ndef register(host):\n    return host\n\nsys.modules[__name__].__dict__['extra'] = 1\n")
    project.write("contract.yml", "importspy: 1\nfunctions:\n  - name: register\n")
    result = project.cli("check", "plugin.py", "-s", "contract.yml", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    [violation] = violations_of(result)
    assert violation["code"] == "namespace-unverifiable"
    assert violation["actual"] == "`sys.modules[__name__]` at line 6"
    project.write("allow.yml", "importspy: 1\nwhen_unsure: allow\nfunctions:\n  - name: register\n")
    assert project.cli("check", "plugin.py", "-s", "allow.yml").returncode == 0


def hook(project, mode):
    project.write("app/__init__.py", "")
    project.write("app/plugins/__init__.py", "")
    project.write("app/plugins/dyn.py", DYNAMIC_IMPORT)
    project.write("contract.yml", "importspy: 1\nimports:\n  forbidden: [subprocess]\n")
    code = textwrap.dedent(f"""
        import importspy, warnings
        warnings.simplefilter('always')
        finder = importspy.install({{'app.plugins.*': {{'contract': 'contract.yml', 'mode': {mode!r}}}}})
        try:
            import app.plugins.dyn
            print('imported', [d['decision'] for d in finder.decisions], [d['violations'] for d in finder.decisions])
        except importspy.ContractViolation as e:
            print('rejected', [v.code for v in e.violations])
    """)
    return project.run("-c", code)


def test_hook_enforce_refuses_a_module_whose_imports_are_unverifiable(project):
    result = hook(project, "enforce")
    assert result.stdout.strip() == "rejected ['import-unverifiable']", result.stdout + result.stderr


def test_hook_warn_reports_and_imports(project):
    result = hook(project, "warn")
    assert result.stdout.strip() == "imported ['warned'] [['import-unverifiable']]", result.stdout + result.stderr
    assert "import-unverifiable" in result.stderr


def test_hook_audit_records_and_imports(project):
    result = hook(project, "audit")
    assert result.stdout.strip() == "imported ['recorded'] [['import-unverifiable']]", result.stdout + result.stderr


def test_the_schema_and_the_engine_agree_on_when_unsure():
    import subprocess
    import sys

    import jsonschema
    import pytest
    import yaml

    import importspy

    schema = json.loads(subprocess.run([sys.executable, "-m", "importspy", "schema"], capture_output=True, text=True, check=True).stdout)
    validator = jsonschema.Draft7Validator(schema)
    valid = ["when_unsure: deny\n", "when_unsure: allow\n", "when_unsure: {namespace: allow}\n",
             "when_unsure: {namespace: allow, imports: deny, definitions: allow}\n"]
    invalid = ["when_unsure: maybe\n", "when_unsure: {names: allow}\n", "when_unsure: {imports: maybe}\n", "when_unsure: [deny]\n"]
    for text in valid:
        assert list(validator.iter_errors(yaml.safe_load(text))) == [], text
        importspy.parse_contract(text, "valid")
    for text in invalid:
        assert list(validator.iter_errors(yaml.safe_load(text))), text
        with pytest.raises(importspy.ContractError):
            importspy.parse_contract(text, "invalid")


def test_cli_the_cpython_parser_sees_imports_by_code_as_the_reader_does(project):
    project.write("literal.py", "import importlib as il\nsp = il.import_module('subprocess')\n")
    project.write("computed.py", DYNAMIC_IMPORT)
    project.write("contract.yml", "importspy: 1\nimports:\n  forbidden: [subprocess]\n")
    for parser in ("reader", "cpython"):
        literal = project.cli("check", "literal.py", "-s", "contract.yml", "--parser", parser, "--format", "json")
        assert [v["code"] for v in violations_of(literal)] == ["import-forbidden"], (parser, literal.stdout + literal.stderr)
        computed = project.cli("check", "computed.py", "-s", "contract.yml", "--parser", parser, "--format", "json")
        assert [v["code"] for v in violations_of(computed)] == ["import-unverifiable"], (parser, computed.stdout + computed.stderr)
