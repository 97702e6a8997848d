"""How broken architecture rules show their chains, through the real command line in every format: chains
through the same middle merged into one group, an import made at several lines shown once with every line,
the hint naming the import whose removal breaks the most chains."""

import json
import re
import xml.etree.ElementTree as ElementTree

from conftest import REPO, assert_valid_sarif

# plant.low.a and plant.low.b reach plant.high.x through plant.mid.hub; plant.low.c imports plant.high.y.
PLANT = {
    "plant/__init__.py": "",
    "plant/low/__init__.py": "",
    "plant/low/a.py": "import plant.mid.hub\n\n\ndef later():\n    import plant.mid.hub\n",
    "plant/low/b.py": "from plant.mid import hub\n",
    "plant/low/c.py": "import plant.high.y\n",
    "plant/mid/__init__.py": "",
    "plant/mid/hub.py": "import plant.high.x\n",
    "plant/high/__init__.py": "",
    "plant/high/x.py": "",
    "plant/high/y.py": "",
}

RULES = """\
architecture_rules:
  rules:
    - name: low never reaches high
      type: forbidden
      source_modules: [plant.low]
      forbidden_modules: [plant.high]
"""

MERGED = """\
      chain 1: plant.low.c -> plant.high.y
        plant/low/c.py:1: plant.low.c imports plant.high.y
      chains 2, 3: plant.low.a & plant.low.b -> plant.mid.hub -> plant.high.x
        plant/low/a.py:1: plant.low.a imports plant.mid.hub (lines 1, 5)
        plant/low/b.py:1: plant.low.b imports plant.mid.hub
        plant/mid/hub.py:1: plant.mid.hub imports plant.high.x
"""

HINT = "cut the import `plant.mid.hub -> plant.high.x` (plant/mid/hub.py:1), which 2 of the rule's 3 chains take"


def plant(project):
    for name, text in PLANT.items():
        project.write(name, text)
    project.write("rules.yml", RULES)
    return project


def check(project, *args, env=None):
    return project.cli("check", "--package", "plant", "-s", "rules.yml", "--no-cache", *args, env=env)


def rules_result(document):
    [target] = [t for t in document["targets"] if t["target"] == "architecture_rules"]
    return target


def test_text_merges_chains_through_the_same_middle_and_lists_each_import_once_with_every_line(project):
    result = check(plant(project))
    assert result.returncode == 1, result.stderr
    assert MERGED in result.stdout
    assert "hint: " + HINT + ", or excuse it" in result.stdout


def test_the_reports_section_of_the_docs_shows_what_the_command_prints(project):
    page = (REPO / "docs" / "architecture-rules.md").read_text(encoding="utf-8")
    [shown] = re.findall(r"```\n(  architecture-forbidden [^\n]*`plant.low`.*?)```", page, re.S)
    result = check(plant(project))
    assert shown in result.stdout


def test_json_keeps_every_chain_with_every_line_and_adds_the_groups(project):
    result = check(plant(project), "--format", "json")
    assert result.returncode == 1, result.stderr
    [violation] = rules_result(json.loads(result.stdout))["violations"]
    assert [[step["module"] for step in chain] for chain in violation["chains"]] == [
        ["plant.low.c", "plant.high.y"],
        ["plant.low.a", "plant.mid.hub", "plant.high.x"],
        ["plant.low.b", "plant.mid.hub", "plant.high.x"],
    ]
    assert violation["chains"][1][0]["line"] == 1
    assert violation["chains"][1][0]["lines"] == [1, 5]
    assert violation["chains"][2][0]["lines"] == [1]
    assert violation["chains"][1][-1]["lines"] == []
    assert violation["chain_groups"] == [
        {"chains": [0], "steps": [["plant.low.c"], ["plant.high.y"]]},
        {"chains": [1, 2], "steps": [["plant.low.a", "plant.low.b"], ["plant.mid.hub"], ["plant.high.x"]]},
    ]
    assert violation["hint"].startswith(HINT)


def test_sarif_keeps_a_code_flow_per_chain_each_naming_its_group(project):
    result = check(plant(project), "--format", "sarif")
    assert result.returncode == 1
    document = assert_valid_sarif(result.stdout)
    [found] = [r for r in document["runs"][0]["results"] if r["ruleId"] == "architecture-forbidden"]
    assert [flow["properties"]["chainGroup"] for flow in found["codeFlows"]] == [0, 1, 1]
    assert found["properties"]["chainGroups"][1]["chains"] == [1, 2]
    first_step = found["codeFlows"][1]["threadFlows"][0]["locations"][0]["location"]
    assert first_step["message"]["text"] == "plant.low.a imports plant.mid.hub (lines 1, 5)"


def test_github_annotation_shows_the_merged_groups(project):
    result = check(plant(project), "--format", "github")
    assert result.returncode == 1
    [line] = [line for line in result.stdout.splitlines() if "architecture-forbidden" in line]
    message = line.split("::", 2)[2].replace("%0A", "\n")
    assert "\nplant.low.a & plant.low.b -> plant.mid.hub -> plant.high.x\n" in message
    assert "\n  plant/low/a.py:1: plant.low.a imports plant.mid.hub (lines 1, 5)\n" in message
    assert "fix: " + HINT in message


def test_the_github_job_summary_places_a_broken_rule_at_its_first_import(project):
    plant(project).write("pyproject.toml", """
        [[tool.importspy.packages]]
        package = "plant"
        contract = "rules.yml"
        """)
    summary = project.root / "summary.md"
    result = project.cli("check", "--format", "github", "--no-cache", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1, result.stderr
    assert "| `plant/low/c.py:1` | `architecture-forbidden` |" in summary.read_text()


def test_check_package_in_github_format_writes_the_job_summary_too(project):
    summary = project.root / "summary.md"
    result = check(plant(project), "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1, result.stderr
    assert "| `plant/low/c.py:1` | `architecture-forbidden` |" in summary.read_text()


def test_check_package_writes_no_job_summary_outside_the_github_format(project):
    summary = project.root / "summary.md"
    result = check(plant(project), "--format", "json", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1, result.stderr
    assert not summary.exists()


def test_junit_failure_shows_the_merged_groups(project):
    result = check(plant(project), "--format", "junit")
    assert result.returncode == 1
    [case] = [c for c in ElementTree.fromstring(result.stdout).iter("testcase") if c.get("name") == "architecture_rules"]
    assert MERGED in case.find("failure").text


def test_html_report_carries_the_merged_groups_with_each_import_at_its_file_and_line(project):
    result = check(plant(project), "--format", "html")
    assert result.returncode == 1
    [data] = re.findall(r'<script type="application/json" id="importspy-data">(.*?)</script>', result.stdout, re.S)
    [violation] = rules_result(json.loads(data))["violations"]
    groups = violation["chain_groups"]
    assert [group["modules"] for group in groups] == ["plant.low.c -> plant.high.y", "plant.low.a & plant.low.b -> plant.mid.hub -> plant.high.x"]
    assert groups[1]["chains"] == "chains 2, 3"
    assert groups[1]["links"][0] == {"place": "plant/low/a.py:1", "text": "plant.low.a imports plant.mid.hub (lines 1, 5)"}
