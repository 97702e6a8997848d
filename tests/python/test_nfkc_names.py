"""Names as CPython binds them: CPython NFKC-normalises every identifier while parsing, so
`import ｓubprocess` (fullwidth s) imports `subprocess` and `def ｒegister` binds `register`. Static
mode, runtime mode and the import hook must judge the module CPython runs."""

import json
import sys

import pytest

FULLWIDTH_IMPORT = "import \uff53ubprocess\n"  # ｓubprocess
FULLWIDTH_DEF = "def \uff52egister(\uff53elf, \uff4b=1):\n    return \uff4b\n"  # ｒegister(ｓelf, ｋ=1)


def codes_of(result):
    [target] = json.loads(result.stdout)["targets"]
    return [v["code"] for v in target["violations"]]


def test_cpython_imports_the_normalised_module_of_a_fullwidth_import(project):
    project.write("m.py", FULLWIDTH_IMPORT + "print(subprocess.__name__)\n")
    result = project.run("m.py")
    assert result.stdout.strip() == "subprocess", result.stderr


@pytest.mark.parametrize("mode", ["static", "runtime"])
def test_a_fullwidth_import_of_a_forbidden_module_is_forbidden(project, mode):
    project.write("m.py", FULLWIDTH_IMPORT)
    project.write("rules.yml", "imports:\n  forbidden: [subprocess]\n")
    result = project.cli("check", "m.py", "-s", "rules.yml", "--mode", mode, "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    assert codes_of(result) == ["import-forbidden"]


@pytest.mark.parametrize("mode", ["static", "runtime"])
def test_a_function_defined_with_a_fullwidth_name_is_present_under_its_normalised_name(project, mode):
    project.write("m.py", FULLWIDTH_DEF)
    project.write("c.yml", "functions:\n  - name: register\n    arguments:\n      - name: self\n      - name: k\n")
    result = project.cli("check", "m.py", "-s", "c.yml", "--mode", mode, "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_contract_written_with_fullwidth_names_meets_the_code_on_the_nfkc_form(project):
    project.write("m.py", "import subprocess\ndef register(self, k=1):\n    return k\n")
    project.write("c.yml", "imports:\n  forbidden: [\uff53ubprocess]\nfunctions:\n  - name: \uff52egister\n")
    result = project.cli("check", "m.py", "-s", "c.yml", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    assert codes_of(result) == ["import-forbidden"]


def test_the_import_hook_refuses_a_module_that_imports_a_forbidden_module_by_a_fullwidth_name(project):
    project.write("rules.yml", "imports:\n  forbidden: [subprocess]\n")
    project.write("app/__init__.py", "")
    project.write("app/plugin.py", FULLWIDTH_IMPORT + "EXECUTED = True\n")
    code = (
        "import importspy, sys\n"
        "importspy.install({'app.*': 'rules.yml'})\n"
        "try:\n"
        "    import app.plugin\n"
        "    print('accepted', 'subprocess' in sys.modules)\n"
        "except importspy.ContractViolation as e:\n"
        "    print('rejected', e.violations[0].code, 'app.plugin' in sys.modules)\n"
    )
    result = project.run("-c", code)
    assert result.stdout.strip() == "rejected import-forbidden False", result.stdout + result.stderr
