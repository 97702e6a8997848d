"""importspy lint: contract errors and warnings, without any module."""

import json

import pytest

from conftest import EXAMPLE

CASES = {
    "duplicate variable": ("variables:\n  - name: a\n  - name: a\n", "duplicate-entry", 3),
    "duplicate method": ("classes:\n  - name: C\n    methods:\n      - name: m\n      - name: m\n", "duplicate-entry", 5),
    "duplicate argument": ("functions:\n  - name: f\n    arguments:\n      - name: x\n      - name: x\n", "duplicate-entry", 5),
    "duplicate deployment": ("deployments:\n  - arch: x86_64\n  - arch: amd64\n", "duplicate-entry", 3),
    "duplicate python": ("deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        pythons:\n          - version: '3.11'\n          - version: '3.11'\n",
                         "duplicate-entry", 7),
    "duplicate secret": ("deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        environment:\n          secrets: [T, T]\n", "duplicate-entry", 6),
    "conflicting value": ("filename: a.py\nvariables:\n  - {name: x, value: 1}\ndeployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n"
                          "        pythons:\n          - modules:\n              - filename: a.py\n                variables:\n                  - {name: x, value: 2}\n",
                          "conflicting-rules", 12),
    "conflicting return annotation": ("functions:\n  - {name: f, return_annotation: int}\ndeployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n"
                                      "        pythons:\n          - modules:\n              - functions:\n                  - {name: f, return_annotation: str}\n",
                                      "conflicting-rules", 10),
    "module entry for another file": ("filename: a.py\ndeployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        pythons:\n"
                                      "          - modules:\n              - filename: b.py\n", "unreachable-deployment", 8),
    "empty version range": ("deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        pythons:\n          - version: '>=3.13,<3.12'\n",
                            "unreachable-deployment", 6),
}


def test_the_bundled_example_is_clean(project):
    result = project.cli("lint", str(EXAMPLE / "spymodel.yml"))
    assert result.returncode == 0 and "0 warnings" in result.stdout


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_warning(project, case):
    text, code, line = CASES[case]
    contract = project.write("c.yml", text)
    result = project.cli("lint", str(contract))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract}:{line}:" in result.stdout and f"[{code}]" in result.stdout, result.stdout
    document = json.loads(project.cli("lint", str(contract), "--format", "json").stdout)
    assert document["ok"] is False and [w["code"] for w in document["files"][0]["warnings"]] == [code]


def test_equivalent_annotations_do_not_conflict(project):
    contract = project.write("c.yml", "variables:\n  - {name: x, annotation: 'List[int]'}\ndeployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n"
                                      "        pythons:\n          - modules:\n              - variables:\n                  - {name: x, annotation: 'list[int]'}\n")
    assert project.cli("lint", str(contract)).returncode == 0


def test_a_contract_that_does_not_load_is_an_error(project):
    good = project.write("good.yml", "filename: a.py\n")
    bad = project.write("bad.yml", "functions:\n  - name: f\n    retrun_annotation: str\n")
    result = project.cli("lint", str(good), str(bad))
    assert result.returncode == 2 and f"{bad}:3:5: invalid contract" in result.stdout
    document = json.loads(project.cli("lint", str(good), str(bad), "--format", "json").stdout)
    assert [f["ok"] for f in document["files"]] == [True, False] and document["files"][1]["error"]["line"] == 3


def test_summary_counts_errors_without_a_dangling_conjunction(project):
    good = project.write("good.yml", "filename: a.py\n")
    bad = project.write("bad.yml", "functions:\n  - name: f\n    retrun_annotation: str\n")
    assert project.cli("lint", str(good), str(bad)).stdout.endswith("2 contracts checked: 0 warnings, 1 error.\n")
    assert project.cli("lint", str(good)).stdout.endswith("1 contract checked: 0 warnings, 0 errors.\n")


def test_without_contracts_named_it_lints_the_contracts_of_the_project_settings(project):
    text, code, line = CASES["duplicate python"]
    project.write("contracts/plugin.yml", text)
    project.write("contracts/tool.yml", "filename: t.py\n")
    project.write("pyproject.toml", """
        [tool.importspy]
        targets = ["plugins"]
        [[tool.importspy.contracts]]
        match = "plugins/**/*.py"
        contract = "contracts/plugin.yml"
        [[tool.importspy.contracts]]
        match = "tools.*"
        contract = "contracts/tool.yml"
        [[tool.importspy.contracts]]
        match = "plugins/special.py"
        contract = "contracts/plugin.yml"
        """)
    result = project.cli("lint")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"contracts/plugin.yml:{line}:" in result.stdout and f"[{code}]" in result.stdout
    assert result.stdout.endswith("2 contracts checked: 1 warning, 0 errors.\n"), result.stdout
    document = json.loads(project.cli("lint", "--format", "json").stdout)
    assert [f["file"] for f in document["files"]] == ["contracts/plugin.yml", "contracts/tool.yml"]
    sub = project.root / "sub"
    sub.mkdir()
    assert project.cli("lint", cwd=sub).returncode == 1  # settings found upwards


def test_without_contracts_and_without_settings_it_says_what_to_give(project):
    result = project.cli("lint")
    assert result.returncode == 2 and "no contract given" in result.stderr and "[[tool.importspy.contracts]]" in result.stderr


POLICY_05 = "schema_version: 1\npolicy_id: plugins\nruntime:\n  python: '>=3.8'\ndependency_options:\n  unresolved: deny\nfunctions:\n  - name: register\n"


def test_a_0_5_policy_that_check_accepts_is_clean(project):
    policy = project.write("policies/plugin.yml", POLICY_05)
    project.write("plugin.py", "def register():\n    pass\n")
    assert project.cli("check", "plugin.py", "-s", str(policy)).returncode == 0
    result = project.cli("lint", str(policy))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 warnings, 0 errors" in result.stdout


def test_an_unknown_key_in_a_0_5_policy_is_an_error_at_its_line_and_column(project):
    policy = project.write("policies/plugin.yml", "schema_version: 1\nruntime:\n  platfrom: [linux]\n")
    result = project.cli("lint", str(policy))
    assert result.returncode == 2
    assert f"{policy}:3:3: invalid policy: unknown key `platfrom` in `runtime`" in result.stdout
    assert "  hint: Allowed keys here: python, os, architecture, implementation, environment." in result.stdout
    document = json.loads(project.cli("lint", str(policy), "--format", "json").stdout)
    error = document["files"][0]["error"]
    assert (document["ok"], error["file"], error["line"], error["column"]) == (False, str(policy), 3, 3)


def test_a_0_5_policy_without_schema_version_1_is_an_error(project):
    policy = project.write("policies/plugin.yml", "schema_version: 2\n")
    result = project.cli("lint", str(policy))
    assert result.returncode == 2 and f"{policy}:1:17: invalid policy: `schema_version` must be the integer 1" in result.stdout


def test_the_structural_keys_of_a_0_5_policy_are_linted_as_a_contract(project):
    policy = project.write("policies/plugin.yml", "schema_version: 1\nfunctions:\n  - name: register\n  - name: register\n")
    result = project.cli("lint", str(policy))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{policy}:4:" in result.stdout and "[duplicate-entry]" in result.stdout


def test_a_mistake_in_the_structural_keys_of_a_0_5_policy_is_located_in_the_policy(project):
    policy = project.write("policies/plugin.yml", "schema_version: 1\nruntime:\n  python: '>=3.8'\nfunctions:\n  - name: register\n    retrun_annotation: str\n")
    result = project.cli("lint", str(policy))
    assert result.returncode == 2
    assert f"{policy}:6:5: invalid contract: unknown key `retrun_annotation`" in result.stdout
