"""ImportSpy 0.5.0's command line through our `importspy` console script (docs/cli.md, "ImportSpy 0.5
options"): one rule decides which checks are 0.5 admission checks, and 0.5's options are taken in every
form and every case; a plain `check` without a contract applies 0.5's default policy; the options are in
the help and the completion scripts; the text report names distribution versions.

The decisions themselves are compared with importspy==0.5.0 in test_policy05_differential.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CONSOLE_SCRIPT = Path(sys.executable).parent / "importspy"

DECISION_KEYS = [
    "schema_version", "subject", "source_hash", "contract_identity", "contract_hash", "engine_version",
    "environment", "dependencies", "evidence", "violations", "decision", "phases", "runtime_required",
    "target_executed", "timestamp",
]
CONTRACT_0_4 = "filename: plugin.py\nfunctions:\n  - name: register\n    arguments:\n      - name: host\n"
POLICY_0_5 = "schema_version: 1\npolicy_id: plugins\nruntime:\n  python: '>=3.8'\n"


def importspy(project, *args: str) -> subprocess.CompletedProcess:
    """The installed console script, as a user or a CI job runs it."""
    environment = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    environment["PYTHONPATH"] = os.pathsep.join([str(project.root), *map(str, project.extra_paths)])
    return subprocess.run([str(CONSOLE_SCRIPT), *args], cwd=project.root, env=environment, capture_output=True, text=True, timeout=120)


def document_of(result: subprocess.CompletedProcess):
    try:
        return json.loads(result.stdout)
    except ValueError:
        pytest.fail(f"not a JSON document (exit {result.returncode}):\n{result.stdout}{result.stderr}")


@pytest.fixture
def plugin(project):
    project.write("plugin.py", "import os\n\n\ndef register(host):\n    return host\n")
    return project


# ---- the rule: an option only 0.5 has makes a 0.5 admission check, whatever the contract ----------

def test_a_missing_policy_with_f_json_prints_0_5s_error_document_and_exits_2(plugin):
    result = importspy(plugin, "check", "plugin.py", "-s", "missing.yml", "-f", "json")
    assert result.returncode == 2, result.stdout + result.stderr
    document = document_of(result)
    assert list(document) == DECISION_KEYS
    assert (document["decision"], document["subject"]) == ("DENY", "plugin.py")
    assert [item["code"] for item in document["violations"]] == ["ISPY-C101"]
    assert "missing.yml" in document["violations"][0]["message"]


def test_a_folder_without_settings_with_f_json_prints_a_list_with_0_5s_error_document(plugin):
    (plugin.root / "noconfig").mkdir()
    result = importspy(plugin, "check", "noconfig", "-f", "json")
    assert result.returncode == 2, result.stdout + result.stderr
    document = document_of(result)
    assert isinstance(document, list) and len(document) == 1 and list(document[0]) == DECISION_KEYS
    assert [item["code"] for item in document[0]["violations"]] == ["ISPY-C101"]
    assert "[tool.importspy].subjects" in document[0]["violations"][0]["message"]


def test_a_0_4_contract_with_f_json_is_decided_as_0_5_reads_it(plugin):
    plugin.write("spymodel.yml", CONTRACT_0_4)
    result = importspy(plugin, "check", "plugin.py", "-s", "spymodel.yml", "-f", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    document = document_of(result)
    assert (document["decision"], document["contract_identity"], document["violations"]) == ("ADMIT", "spymodel.yml", [])


def test_a_0_4_contract_with_f_json_denies_a_missing_function_as_0_5_does(plugin):
    plugin.write("spymodel.yml", CONTRACT_0_4 + "  - name: unregister\n")
    result = importspy(plugin, "check", "plugin.py", "-s", "spymodel.yml", "-f", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    document = document_of(result)
    assert document["decision"] == "DENY" and [item["code"] for item in document["violations"]] == ["ISPY-S101"]


def test_a_mistake_in_a_0_4_contract_read_with_f_json_is_0_5s_configuration_error_with_its_place(plugin):
    plugin.write("spymodel.yml", "filename: plugin.py\nfuntions: []\n")
    result = importspy(plugin, "check", "plugin.py", "-s", "spymodel.yml", "-f", "json")
    assert result.returncode == 2
    violation = document_of(result)["violations"][0]
    assert violation["code"] == "ISPY-C101"
    assert violation["message"].startswith("spymodel.yml:2:1: invalid policy: unknown key `funtions`"), violation["message"]


def test_long_format_human_is_the_0_5_report_as_f_human(plugin):
    plugin.write("spymodel.yml", CONTRACT_0_4)
    short = importspy(plugin, "check", "plugin.py", "-s", "spymodel.yml", "-f", "human")
    long = importspy(plugin, "check", "plugin.py", "-s", "spymodel.yml", "--format", "human")
    assert (short.returncode, long.returncode) == (0, 0), short.stderr + long.stderr
    assert long.stdout == short.stdout and long.stdout.startswith("ImportSpy Admission Report\n")


@pytest.mark.parametrize("spelling", [
    ("-f", "json"), ("-fjson",), ("--format", "human"), ("--format=human",), ("--project-root", "."), ("--project-root=.",),
    ("--allow-network",), ("--record", "record.json"), ("--record=record.json",), ("-f", "sarif"),
], ids=lambda spelling: " ".join(spelling))
def test_every_spelling_of_every_0_5_option_makes_a_0_5_check_of_a_0_4_contract(plugin, spelling):
    plugin.write("spymodel.yml", CONTRACT_0_4)
    for order in ((*spelling, "plugin.py", "-s", "spymodel.yml"), ("plugin.py", "-s", "spymodel.yml", *spelling)):
        result = importspy(plugin, "check", *order)
        assert result.returncode == 0, result.stdout + result.stderr
        if spelling in (("-f", "json"), ("-fjson",)):
            assert document_of(result)["decision"] == "ADMIT"
        elif "sarif" in spelling:
            assert document_of(result)["runs"][0]["properties"]["decisions"] == ["ADMIT"]
        else:
            assert result.stdout.startswith("ImportSpy Admission Report\n") and "Decision: ADMIT" in result.stdout


def test_a_provider_named_in_either_form_is_loaded(plugin):
    for spelling in (("--provider", "nosuch"), ("--provider=nosuch",)):
        result = importspy(plugin, "check", "plugin.py", *spelling, "-f", "json")
        assert result.returncode == 2
        assert document_of(result)["violations"][0]["message"] == "Cannot load a selected evidence provider."


def test_a_script_reading_decision_from_f_json_works_whatever_the_contract(plugin):
    plugin.write("policy.yml", POLICY_0_5)
    plugin.write("spymodel.yml", CONTRACT_0_4)
    (plugin.root / "noconfig").mkdir()
    for arguments, status in [(("plugin.py", "-s", "policy.yml"), 0), (("plugin.py", "-s", "spymodel.yml"), 0), (("plugin.py",), 0),
                              (("plugin.py", "-s", "missing.yml"), 2), (("absent.py",), 1), (("noconfig",), 2)]:
        result = importspy(plugin, "check", *arguments, "-f", "json")
        assert result.returncode == status, (arguments, result.stdout + result.stderr)
        document = document_of(result)
        assert all(item["decision"] in ("ADMIT", "DENY") for item in (document if isinstance(document, list) else [document]))


def test_long_format_json_without_a_0_5_option_keeps_our_report_for_a_0_4_contract(plugin):
    plugin.write("spymodel.yml", CONTRACT_0_4)
    report = document_of(importspy(plugin, "check", "plugin.py", "-s", "spymodel.yml", "--format", "json"))
    assert "decision" not in report and "targets" in report


def test_an_option_0_5_lacks_beside_a_0_5_option_is_a_usage_error_naming_both(plugin):
    result = importspy(plugin, "check", "plugin.py", "-f", "json", "--no-cache")
    assert result.returncode == 2 and result.stdout == ""
    assert "`--no-cache` is not an option of an ImportSpy 0.5 admission check (`-f` makes this an ImportSpy 0.5 admission check" in result.stderr


def test_two_subjects_with_a_0_5_option_is_a_usage_error(plugin):
    plugin.write("other.py", "x = 1\n")
    result = importspy(plugin, "check", "plugin.py", "other.py", "--project-root", ".")
    assert result.returncode == 2 and result.stdout == ""
    assert "`--project-root` makes this an ImportSpy 0.5 admission check, which checks one subject" in result.stderr
    assert "found 2" in result.stderr


def test_f_with_a_format_0_5_lacks_is_a_usage_error_pointing_to_our_formats(plugin):
    result = importspy(plugin, "check", "plugin.py", "-f", "junit")
    assert result.returncode == 2 and result.stdout == ""
    assert "`-f junit`: ImportSpy 0.5's formats are human, json and sarif" in result.stderr


def test_f_without_its_value_is_a_usage_error(plugin):
    result = importspy(plugin, "check", "plugin.py", "-f")
    assert result.returncode == 2 and "`-f` needs a value: human, json or sarif" in result.stderr


# ---- a plain check without a contract: 0.5's default policy -----------------------------------------

def test_a_plain_check_without_a_contract_admits_under_0_5s_default_policy(plugin):
    result = importspy(plugin, "check", "plugin.py")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "ImportSpy Admission Report" and "Contract: default policy" in lines
    assert lines[-2:] == ["Decision: ADMIT", "Target module was not executed."]


def test_a_plain_check_without_a_contract_denies_an_unresolved_import_under_0_5s_default_policy(project):
    project.write("plugin.py", "import no_such_module_anywhere\n")
    result = importspy(project, "check", "plugin.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ISPY-D102 [error] Import `no_such_module_anywhere` could not be resolved." in result.stdout
    assert "Decision: DENY" in result.stdout


def test_a_plain_check_uses_a_sidecar_in_any_format(plugin):
    plugin.write("plugin.importspy.yml", CONTRACT_0_4 + "  - name: unregister\n")
    result = importspy(plugin, "check", "plugin.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contract: plugin.importspy.yml" in result.stdout and "ISPY-S101" in result.stdout


def test_a_plain_check_keeps_the_contract_the_project_settings_map(plugin):
    plugin.write("pyproject.toml", '[[tool.importspy.contracts]]\nmatch = "plugin.py"\ncontract = "spymodel.yml"\n')
    plugin.write("spymodel.yml", CONTRACT_0_4 + "  - name: unregister\n")
    result = importspy(plugin, "check", "plugin.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ImportSpy Admission Report" not in result.stdout and "unregister" in result.stdout


def test_the_0_x_form_without_a_contract_stays_a_usage_error(plugin):
    result = importspy(plugin, "plugin.py")
    assert result.returncode == 2 and "no contract given" in result.stderr


# ---- help and completion -------------------------------------------------------------------------

def test_check_help_lists_every_0_5_option(plugin):
    result = importspy(plugin, "check", "--help")
    assert result.returncode == 0, result.stderr
    for option in ("-f,--format", "--project-root", "--provider", "--allow-network", "--record", "human"):
        assert option in result.stdout, option
    assert "init" in importspy(plugin, "--help").stdout
    assert "0 admit, 1 deny, 2 configuration error, 3 tool failure" in importspy(plugin, "--help").stdout


def test_bash_completes_the_0_5_options_and_formats(plugin):
    script = plugin.root / "importspy.bash"
    script.write_text(importspy(plugin, "completion", "bash").stdout)

    def complete(*words):
        line = " ".join(f"'{word}'" for word in words)
        program = f'source "{script}"; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _importspy; printf "%s\\n" "${{COMPREPLY[@]}}"'
        return subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=60).stdout.split()

    assert complete("importspy", "check", "--pro") == ["--project-root", "--provider"]
    assert complete("importspy", "check", "--al") == ["--allow-network"]
    assert complete("importspy", "check", "--rec") == ["--record"]
    assert complete("importspy", "check", "-f", "h") == ["html", "human"]
    assert complete("importspy", "in") == ["init"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_name_the_0_5_options(plugin, shell):
    script = importspy(plugin, "completion", shell).stdout
    for option in ("project-root", "provider", "allow-network", "record", "human"):
        assert option in script, option


# ---- the text report ------------------------------------------------------------------------------

def test_the_text_report_names_the_version_of_each_distribution(project):
    site = project.root / "site"
    (site / "demo_pkg").mkdir(parents=True)
    (site / "demo_pkg" / "__init__.py").write_text("")
    info = site / "demo_pkg-1.2.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.2.0\n")
    (info / "top_level.txt").write_text("demo_pkg\n")
    (info / "RECORD").write_text("demo_pkg/__init__.py,,\n")
    project.extra_paths.append(site)
    project.write("plugin.py", "import demo_pkg\n")
    result = importspy(project, "check", "plugin.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "  demo_pkg: external (demo-pkg 1.2.0)" in result.stdout.splitlines()


def test_the_text_reports_of_a_folder_are_separated_by_a_blank_line(project):
    project.write("pyproject.toml", '[tool.importspy]\nsubjects = [{path = "a.py", contract = "p.yml"}, {path = "b.py", contract = "p.yml"}]\n')
    project.write("p.yml", POLICY_0_5)
    project.write("a.py", "x = 1\n")
    project.write("b.py", "x = 1\n")
    result = importspy(project, "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Target module was not executed.\n\nImportSpy Admission Report\n" in result.stdout


def test_a_check_of_one_file_with_an_option_of_ours_and_no_contract_points_to_the_default_policy(plugin):
    result = importspy(plugin, "check", "plugin.py", "-q")
    assert result.returncode == 2
    assert "no contract given (-s CONTRACT)" in result.stderr
    assert "without options of ours, `importspy check plugin.py` decides it by ImportSpy 0.5's default policy" in result.stderr


def test_a_format_0_5_lacks_for_a_0_5_policy_is_a_usage_error(plugin):
    plugin.write("policy.yml", POLICY_0_5)
    result = importspy(plugin, "check", "plugin.py", "-s", "policy.yml", "--format", "junit")
    assert result.returncode == 2 and result.stdout == ""
    assert "`--format junit`: this is an ImportSpy 0.5 admission check (what it reads is 0.5's), whose formats are human, json and sarif" in result.stderr


def test_the_text_report_blanks_control_characters_of_a_file_name(project):
    project.write("evil\x1b[2J\x1b]0;title\x07.py", "import os\n")
    result = importspy(project, "check", "evil\x1b[2J\x1b]0;title\x07.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "evil [2J ]0;title .py" in result.stdout
