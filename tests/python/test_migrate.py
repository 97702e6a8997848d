"""importspy migrate: ImportSpy 0.x contracts into the versioned schema, nothing lost."""

import importspy
from conftest import EXAMPLE

OLD = """# The host's contract, written for ImportSpy 0.4
%YAML 1.2
---
filename: extension.py   # the plugin file
variables:
  - name: engine
    value: docker
classes:
  - name: Extension
    superclasses:
      - name: Plugin
"""


def test_adds_the_version_and_keeps_every_comment_and_line(project):
    old = project.write("old.yml", OLD)
    result = project.cli("migrate", str(old))
    assert result.returncode == 0, result.stderr
    assert result.stdout == OLD.replace("---\n", "---\nimportspy: 1\n")
    assert importspy.parse_contract(result.stdout, "new").schema_version == 1


def test_migrated_contract_judges_modules_exactly_as_before(project):
    old = project.write("old.yml", (EXAMPLE / "spymodel.yml").read_text())
    new = project.root / "new.yml"
    assert project.cli("migrate", str(old), "-o", str(new)).returncode == 0
    for plugin in ("good", "bad"):
        target = str(EXAMPLE / "plugins" / plugin / "extension.py")
        before = [v.to_dict() for v in importspy.check(target, str(old)).violations]
        after = [v.to_dict() for v in importspy.check(target, str(new)).violations]
        assert before == after


def test_in_place_and_already_versioned(project):
    old = project.write("c.yml", "filename: a.py\n")
    assert project.cli("migrate", str(old), "-o", str(old)).returncode == 0
    assert old.read_text() == "importspy: 1\nfilename: a.py\n"
    again = project.cli("migrate", str(old))
    assert again.returncode == 0 and "already in the versioned schema" in again.stderr and again.stdout == old.read_text()


def test_invalid_or_flow_style_contracts_are_not_migrated(project):
    broken = project.write("broken.yml", "functions:\n  - name: f\n    retrun_annotation: str\n")
    result = project.cli("migrate", str(broken), "-o", str(broken))
    assert result.returncode == 2 and "broken.yml:3:5" in result.stderr
    assert "retrun_annotation" in broken.read_text()  # nothing written
    flow = project.write("flow.yml", "{filename: a.py}\n")
    assert project.cli("migrate", str(flow)).returncode == 2
