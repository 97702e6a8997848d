"""ImportSpy 0.5 admission policies through our command line (docs/policies-0.5.md); the comparison with
importspy==0.5.0 itself is test_policy05_differential.py."""

import json


def check(project, *args, env=None):
    return project.run("-m", "importspy", "check", *args, env=env)


def test_a_0_5_policy_is_decided_with_the_0_5_exit_status_and_document(project):
    project.write("plugin.py", "import json\n")
    project.write("deny.yml", "schema_version: 1\npolicy_id: no-plan9\nruntime:\n  os: [plan9]\n")
    result = check(project, "plugin.py", "-s", "deny.yml", "-f", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert document["decision"] == "DENY"
    assert document["contract_identity"] == "no-plan9"
    assert [item["code"] for item in document["violations"]] == ["ISPY-R101"]
    assert document["violations"][0]["expected"] == ["plan9"]
    assert document["subject"] == str((project.root / "plugin.py").resolve())
    assert [item["kind"] for item in document["dependencies"]] == ["stdlib"]


def test_a_policy_error_names_file_line_and_column_and_exits_2(project):
    project.write("plugin.py", "x = 1\n")
    project.write("typo.yml", "schema_version: 1\nruntime:\n  platfrom: [linux]\n")
    result = check(project, "plugin.py", "-s", "typo.yml", "-f", "json")
    assert result.returncode == 2
    violation = json.loads(result.stdout)["violations"][0]
    assert violation["code"] == "ISPY-C101"
    assert violation["message"].startswith("typo.yml:3:3: invalid policy: unknown key `platfrom` in `runtime`")
    assert "Allowed keys here: python, os, architecture, implementation, environment." in violation["message"]


def test_the_human_report_ends_with_the_decision(project):
    project.write("plugin.py", "x = 1\n")
    project.write("ok.yml", "schema_version: 1\nruntime:\n  python: '>=3.8'\n")
    result = check(project, "plugin.py", "-s", "ok.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["ImportSpy Admission Report", f"Source: {(project.root / 'plugin.py').resolve()}"]
    assert lines[2:4] == ["Preflight: parsed without target execution", "Contract: ok.yml"]
    assert lines[-2:] == ["Decision: ADMIT", "Target module was not executed."]


def test_the_sidecar_policy_is_found_without_s(project):
    project.write("plugin.py", "x = 1\n")
    project.write("plugin.importspy.yml", "schema_version: 1\nruntime:\n  python: '<3'\n")
    result = check(project, "plugin.py", "-f", "json")
    assert result.returncode == 1
    assert [item["code"] for item in json.loads(result.stdout)["violations"]] == ["ISPY-R102"]


def test_sarif_output_lists_the_codes_as_rules(project):
    project.write("plugin.py", "x = 1\n")
    project.write("deny.yml", "schema_version: 1\nruntime:\n  os: [plan9]\n")
    result = check(project, "plugin.py", "-s", "deny.yml", "-f", "sarif")
    assert result.returncode == 1
    run = json.loads(result.stdout)["runs"][0]
    assert run["tool"]["driver"]["rules"] == [{"id": "ISPY-R101"}]
    assert run["properties"]["decisions"] == ["DENY"]


def test_a_0_4_contract_keeps_0_4_semantics(project):
    project.write("plugin.py", "def register(host):\n    return host\n")
    project.write("spymodel.yml", "functions:\n  - name: register\n  - name: unregister\n")
    result = check(project, "plugin.py", "-s", "spymodel.yml", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert "decision" not in report  # our report, not a 0.5 decision document


def test_tool_importspy_subjects_no_longer_breaks_0_4_checks(project):
    project.write("pyproject.toml", '[project]\nname = "p"\nversion = "0"\n[tool.importspy]\n'
                                    'subjects = [{path = "plugin.py", contract = "plugin.importspy.yml"}]\n')
    project.write("plugin.py", "def register(host):\n    return host\n")
    project.write("spymodel.yml", "functions:\n  - name: register\n")
    result = check(project, "plugin.py", "-s", "spymodel.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_project_folder_is_decided_subject_by_subject(project):
    project.write("pyproject.toml", '[tool.importspy]\nsubjects = [{path = "a.py", contract = "ok.yml"}, {path = "b.py", contract = "no.yml"}]\n')
    project.write("a.py", "x = 1\n")
    project.write("b.py", "x = 1\n")
    project.write("ok.yml", "schema_version: 1\n")
    project.write("no.yml", "schema_version: 1\nruntime:\n  implementation: [PyPy]\n")
    result = check(project, ".", "-f", "json")
    assert result.returncode == 1
    assert [item["decision"] for item in json.loads(result.stdout)] == ["ADMIT", "DENY"]


def test_a_subjects_entry_outside_the_project_is_a_configuration_error(project):
    project.write("inner/pyproject.toml", '[tool.importspy]\nsubjects = [{path = "../a.py", contract = "ok.yml"}]\n')
    project.write("a.py", "x = 1\n")
    project.write("inner/ok.yml", "schema_version: 1\n")
    result = check(project, "inner", "-f", "json")
    assert result.returncode == 2
    assert json.loads(result.stdout)[0]["violations"][0]["code"] == "ISPY-C101"


def test_record_writes_hashes_host_and_decision_without_variable_values(project):
    import hashlib

    project.write("plugin.py", "import json\n")
    policy = project.write("ok.yml", "schema_version: 1\nruntime:\n  environment:\n    SECRET_TOKEN: null\n")
    result = check(project, "plugin.py", "-s", "ok.yml", "--record", "record.json", env={"SECRET_TOKEN": "hunter2-value"})
    assert result.returncode == 0, result.stdout + result.stderr
    text = (project.root / "record.json").read_text()
    assert "hunter2-value" not in text
    entry = json.loads(text)["decisions"][0]
    assert entry["decision"] == "ADMIT"
    assert entry["policy_sha256"] == hashlib.sha256(policy.read_bytes()).hexdigest()
    assert entry["source_sha256"] == hashlib.sha256(b"import json\n").hexdigest()
    assert entry["host"]["os"] and entry["timestamp"].endswith("Z")


def test_an_unwritable_record_is_reported_and_exits_2(project):
    project.write("plugin.py", "x = 1\n")
    project.write("ok.yml", "schema_version: 1\n")
    result = check(project, "plugin.py", "-s", "ok.yml", "--record", str(project.root / "no" / "such" / "folder" / "r.json"))
    assert result.returncode == 2
    assert "cannot write the decision record" in result.stderr
