"""One spelling per option across commands, and options that mean the same with every kind of target."""

import json

import pytest
from conftest import EXAMPLE

CONTRACT = "variables:\n  - name: api_level\n    value: 2\n"


def plugins(project):
    project.write("contract.yml", CONTRACT)
    project.write("plugins/good.py", "api_level = 2\n")
    project.write("plugins/old.py", "api_level = 1\n")


@pytest.mark.parametrize("spelling", ["-o", "--output", "--output-file"])
def test_check_writes_its_report_with_every_spelling_of_the_output_option(project, spelling):
    plugins(project)
    result = project.cli("check", "plugins", "-s", "contract.yml", "--format", "json", spelling, "out/report.json")
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert json.loads((project.root / "out" / "report.json").read_text())["summary"]["violating"] == 1


@pytest.mark.parametrize("spelling", ["-o", "--output", "--output-file"])
def test_generate_lock_migrate_and_merge_take_every_spelling_of_the_output_option(project, spelling):
    plugins(project)
    assert project.cli("generate", "plugins/good.py", spelling, "generated.yml").returncode == 0
    assert "api_level" in (project.root / "generated.yml").read_text()
    assert project.cli("lock", "plugins", spelling, "my.lock").returncode == 0
    assert "plugins/good.py" in json.loads((project.root / "my.lock").read_text())["modules"]
    project.write("old.yml", (EXAMPLE / "spymodel.yml").read_text())
    assert project.cli("migrate", "old.yml", spelling, "new.yml").returncode == 0
    assert "importspy: 1" in (project.root / "new.yml").read_text()
    for shard in ("1/2", "2/2"):
        project.cli("check", "plugins", "-s", "contract.yml", "--format", "json", "--shard", shard, "-o", f"shard{shard[0]}.json")
    merged = project.cli("merge", "shard1.json", "shard2.json", spelling, "merged.json")
    assert merged.returncode == 1 and merged.stdout == "", merged.stderr
    assert len(json.loads((project.root / "merged.json").read_text())["targets"]) == 2


def package_with_requirement(project):
    project.write("app/__init__.py", "from . import core\n")
    project.write("app/core.py", "from app import db\n")
    project.write("app/db.py", "def connect(): ...\n")
    project.write("contracts/app.yml", "deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n  - arch: aarch64\n    systems:\n      - os: linux\n")


def test_dry_run_with_a_package_shows_each_modules_branch_and_rules_and_exits_zero(project):
    package_with_requirement(project)
    project.write("contracts/app.yml", "functions:\n  - name: missing\n")
    plain = project.cli("check", "--package", "app", "-s", "contracts/app.yml", "--no-cache")
    assert plain.returncode == 1 and "rules applied" not in plain.stdout
    dry = project.cli("check", "--package", "app", "-s", "contracts/app.yml", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "app.core against contracts/app.yml" in dry.stdout
    assert "rules applied (1):\n    functions.missing" in dry.stdout
    assert "function-missing" in dry.stdout  # and the reports themselves, as --dry-run gives for targets
    document = json.loads(project.cli("check", "--package", "app", "-s", "contracts/app.yml", "--dry-run", "--format", "json").stdout)
    assert [t["trace"]["rules"] for t in document["targets"]] == [["functions.missing"]] * 3


def test_dry_run_with_a_package_is_never_served_from_the_result_cache(project):
    package_with_requirement(project)
    project.write("contracts/app.yml", "functions:\n  - name: missing\n")
    assert project.cli("check", "--package", "app", "-s", "contracts/app.yml").returncode == 1  # fills the cache
    dry = project.cli("check", "--package", "app", "-s", "contracts/app.yml", "--dry-run")
    assert dry.returncode == 0 and dry.stdout.count("rules applied") == 3, dry.stdout


def test_a_package_report_goes_to_the_output_file(project):
    package_with_requirement(project)
    project.write("contracts/app.yml", "functions:\n  - name: missing\n")
    result = project.cli("check", "--package", "app", "-s", "contracts/app.yml", "--format", "json", "-o", "report.json")
    assert result.returncode == 1 and result.stdout == "", result.stderr
    assert len(json.loads((project.root / "report.json").read_text())["targets"]) == 3


def test_generated_contracts_and_lock_files_write_every_digest_in_one_form(project):
    plugins(project)
    contract = project.cli("generate", "plugins/good.py", "--with-hashes").stdout
    project.write("plugins/code.py", "def register(host):\n    return host\n")
    assert project.cli("lock", "plugins/code.py").returncode == 0
    lock = json.loads((project.root / "importspy.lock").read_text())
    [entry] = lock["modules"].values()
    digests = [entry["sha256"], *entry["definitions"].values()]
    assert digests and all(d.startswith("sha256:") and len(d) == 71 for d in digests), digests
    assert "sha256: \"sha256:" in contract  # the one form, the value `importspy hash` prints


def test_a_lock_file_written_with_bare_file_digests_is_still_read(project):
    plugins(project)
    assert project.cli("lock", "plugins").returncode == 0
    lock_file = project.root / "importspy.lock"
    lock = json.loads(lock_file.read_text())
    for entry in lock["modules"].values():
        entry["sha256"] = entry["sha256"].removeprefix("sha256:")  # as earlier versions wrote it
    lock_file.write_text(json.dumps(lock))
    result = project.cli("check", "plugins/good.py", "-s", "contract.yml", "--locked")
    assert result.returncode == 0, result.stdout + result.stderr
