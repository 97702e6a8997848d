"""`importspy lint-imports`: lint-imports' command line, report shape and exit statuses, and the CI
formats (docs/cli.md, "import-linter's contracts"). Its verdicts are compared with import-linter itself in
test_lint_imports_differential.py."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from lint_imports_fixture import ROOT, contract, make_project, ours

FORBIDDEN_INDIRECT = ROOT + contract("c", """
    name = high does not reach low
    type = forbidden
    source_modules = app.high
    forbidden_modules = app.low.db
    """)
KEPT = ROOT + contract("c", """
    name = the internal module is a leaf
    type = forbidden
    source_modules = app.medium._internal
    forbidden_modules = app.high
    """)
SEVERAL = ROOT + contract("one", """
    name = first
    type = independence
    modules =
        app.high
        app.medium._internal
    """) + contract("two", """
    name = second
    type = forbidden
    source_modules = app.low
    forbidden_modules = app.high
    """)


def test_the_text_report_has_lint_imports_shape(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", FORBIDDEN_INDIRECT + contract("k", """
        name = kept one
        type = forbidden
        source_modules = app.medium._internal
        forbidden_modules = app.high
        """))
    result = ours(tmp_path)
    assert result.returncode == 1, result.stderr
    text = result.stdout
    assert "Analyzed 12 files, " in text
    assert "high does not reach low BROKEN\nkept one KEPT\n" in text
    assert "Contracts: 1 kept, 1 broken." in text
    assert "Broken contracts" in text
    # every step of a chain names its file and line
    assert "app.high.views -> app.medium.service (app/high/views.py:l.1)" in text


def test_exit_status_is_zero_when_every_contract_is_kept(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", KEPT)
    result = ours(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_contract_option_limits_the_check_and_an_unknown_id_fails(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", SEVERAL)
    result = ours(tmp_path, "--contract", "one", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [c["name"] for c in json.loads(result.stdout)["contracts"]] == ["first"]
    missing = ours(tmp_path, "--contract", "nope")
    assert missing.returncode == 1
    assert "Could not find contract 'nope'." in missing.stderr


def test_named_configuration_files_and_the_older_config_option(tmp_path: Path) -> None:
    make_project(tmp_path, {}, "rules.ini", KEPT)
    (tmp_path / "other.toml").write_text(
        '[tool.importlinter]\nroot_package = "app"\n[[tool.importlinter.contracts]]\nname = "toml one"\ntype = "forbidden"\n'
        'source_modules = ["app.low"]\nforbidden_modules = ["app.high"]\n')
    both = ours(tmp_path, "rules.ini", "other.toml", "--format", "json")
    assert both.returncode == 1, both.stderr
    assert [c["name"] for c in json.loads(both.stdout)["contracts"]] == ["the internal module is a leaf", "toml one"]
    legacy = ours(tmp_path, "--config", "rules.ini")
    assert legacy.returncode == 0, legacy.stdout + legacy.stderr
    # With nothing named, nothing is found: rules.ini is no default name.
    none = ours(tmp_path)
    assert none.returncode == 1
    assert "no import-linter configuration" in none.stderr




def test_github_annotations_put_each_finding_on_its_own_import(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", ROOT + contract("c", """
        name = three layers
        type = layers
        layers =
            app.high
            app.medium
            app.low
        """))
    result = ours(tmp_path, "--format", "github")
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert lines, result.stdout
    # app.low.cache imports app.high.views directly on its line 1; app.low.db reaches it through util.helpers (line 2)
    assert any(line.startswith("::error file=app/low/cache.py,line=1,") for line in lines), lines
    assert any(line.startswith("::error file=app/low/db.py,line=2,") for line in lines), lines


def test_sarif_has_one_result_per_finding_located_in_the_module(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", FORBIDDEN_INDIRECT)
    result = ours(tmp_path, "--format", "sarif")
    assert result.returncode == 1, result.stderr
    results = json.loads(result.stdout)["runs"][0]["results"]
    assert len(results) == 1
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "app/high/views.py"
    assert location["region"]["startLine"] == 1
    assert results[0]["ruleId"] == "architecture-forbidden"


def test_junit_has_one_test_case_per_contract(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", SEVERAL)
    result = ours(tmp_path, "--format", "junit")
    assert result.returncode == 1, result.stderr
    cases = ElementTree.fromstring(result.stdout).findall(".//testcase")
    assert [case.get("name") for case in cases] == ["first", "second"]
    assert cases[0].find("failure") is None
    assert cases[1].find("failure") is not None


def test_json_names_each_contract_with_its_place_and_chains(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", FORBIDDEN_INDIRECT)
    result = ours(tmp_path, "--format", "json")
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert document["summary"] == {"contracts": 1, "kept": 0, "broken": 1, "warnings": 0, "modules": 12, "dependencies": 7}
    (only,) = document["contracts"]
    assert (only["id"], only["type"], only["file"], only["line"]) == ("c", "forbidden", ".importlinter", 4)
    chain = only["violations"][0]["chains"][0]
    assert [step["module"] for step in chain] == ["app.high.views", "app.medium.service", "app.low.db"]
    assert [(step["file"], step["line"]) for step in chain[:2]] == [("app/high/views.py", 1), ("app/medium/service.py", 1)]


def test_verbose_and_show_timings_report_progress_and_durations(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", KEPT)
    result = ours(tmp_path, "--verbose", "--show-timings", "--no-cache", "--no-logo", "--cache-dir", "x")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Verbose mode.\nBuilding import graph")
    assert "Checking the internal module is a leaf..." in result.stdout
    assert "the internal module is a leaf KEPT [" in result.stdout
    assert "Graph of app built in " in result.stdout


def test_an_unknown_option_is_a_usage_error(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", KEPT)
    result = ours(tmp_path, "--frobnicate")
    assert result.returncode == 2
    assert "frobnicate" in result.stderr


def test_a_module_that_is_not_python_stops_the_run_with_its_place(tmp_path: Path) -> None:
    make_project(tmp_path, {"app/low/db.py": "def broken(:\n"}, ".importlinter", KEPT)
    result = ours(tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("app/low/db.py:1:"), result.stderr


def test_files_with_other_root_packages_get_their_own_graph_and_the_counts_add_up(tmp_path: Path) -> None:
    make_project(tmp_path, {"other/__init__.py": "", "other/uses.py": "import app.low.db\n"}, "rules.ini", KEPT)
    (tmp_path / "other.ini").write_text("[importlinter]\nroot_package = other\ninclude_external_packages = True\n" + contract("o", """
        name = other stays out of app
        type = forbidden
        source_modules = other
        forbidden_modules = app
        """), encoding="utf-8")
    result = ours(tmp_path, "rules.ini", "other.ini", "--format", "json")
    document = json.loads(result.stdout)
    assert [c["kept"] for c in document["contracts"]] == [True, False]
    # 12 modules of app, 2 of other and `app` as an external package of the second graph; app's 7
    # dependencies and other.uses -> app
    assert (document["summary"]["modules"], document["summary"]["dependencies"]) == (15, 8)


def test_github_gives_a_stale_excuse_one_warning_however_many_findings(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", ROOT + contract("c", """
        name = three layers and a stale excuse
        type = layers
        layers =
            app.high
            app.medium
            app.low
        ignore_imports =
            app.medium.nothing -> app.high.views
        unmatched_ignore_imports_alerting = warn
        """))
    result = ours(tmp_path, "--format", "github")
    assert result.returncode == 1, result.stderr
    warnings = [line for line in result.stdout.splitlines() if line.startswith("::warning ")]
    assert len(warnings) == 1, result.stdout
    assert warnings[0].startswith("::warning file=.importlinter,line=12,col=5,")
    assert len([line for line in result.stdout.splitlines() if line.startswith("::error ")]) >= 2


def test_a_second_run_is_served_from_the_result_cache_until_a_module_changes(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", FORBIDDEN_INDIRECT)
    first = ours(tmp_path, "--verbose", "--format", "json")
    assert "Building import graph (cache directory is .importspy_cache)" in first.stdout
    second = ours(tmp_path, "--verbose", "--format", "json")
    assert second.stdout.startswith("Verbose mode.\nEvery contract's result is in the cache (.importspy_cache).\n")
    strip = lambda text: text[text.index("{"):]  # noqa: E731
    assert json.loads(strip(second.stdout)) == json.loads(strip(first.stdout))
    assert second.returncode == first.returncode == 1
    # The chain goes through app.medium.service: once it no longer imports app.low.db, the contract is kept.
    (tmp_path / "app" / "medium" / "service.py").write_text("def later():\n    return None\n", encoding="utf-8")
    third = ours(tmp_path, "--verbose", "--format", "json")
    assert "Building import graph" in third.stdout
    assert third.returncode == 0, third.stdout


def test_no_cache_neither_reads_nor_writes_it_and_cache_dir_moves_it(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", KEPT)
    assert ours(tmp_path, "--no-cache").returncode == 0
    assert not (tmp_path / ".importspy_cache").exists()
    assert ours(tmp_path, "--cache-dir", "elsewhere").returncode == 0
    assert (tmp_path / "elsewhere").is_dir() and not (tmp_path / ".importspy_cache").exists()
    again = ours(tmp_path, "--cache-dir", "elsewhere", "--verbose")
    assert "Every contract's result is in the cache (elsewhere)." in again.stdout


def test_an_edited_configuration_is_never_served_an_old_verdict(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", KEPT)
    assert ours(tmp_path).returncode == 0
    (tmp_path / ".importlinter").write_text(FORBIDDEN_INDIRECT, encoding="utf-8")
    assert ours(tmp_path).returncode == 1
