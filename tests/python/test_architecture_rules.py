"""Architecture rules (`architecture_rules:` in a contract) through the real command line, over the small
layered package of docs/architecture-rules.md (tests/python/architecture/bookshop)."""

import json
import re
import shutil
import xml.etree.ElementTree as ElementTree

import pytest
import yaml
from conftest import REPO, assert_valid_sarif
from pypi_packages import PyPIUnreachable, unpacked

FIXTURE = REPO / "tests" / "python" / "architecture"


@pytest.fixture
def shop(project):
    shutil.copytree(FIXTURE / "bookshop", project.root / "bookshop")
    shutil.copy(FIXTURE / "architecture.yml", project.root / "architecture.yml")
    return project


def check(project, *args, contract="architecture.yml"):
    return project.cli("check", "--package", "bookshop", "-s", contract, "--no-cache", *args)


def docs_section(heading):
    """The section of docs/architecture-rules.md under `heading` (a line starting so), up to the next one."""
    page = (REPO / "docs" / "architecture-rules.md").read_text(encoding="utf-8")
    [section] = re.findall("^" + re.escape(heading) + r".*?\n(.*?)(?=^## |\Z)", page, re.S | re.M)
    return section


def architecture_target(result):
    document = json.loads(result.stdout)
    [target] = [t for t in document["targets"] if t["target"] == "architecture_rules"]
    return target


def rules_with(shop, **changes):
    """architecture.yml with rules changed: {rule index: {option: value}}; None deletes an option."""
    contract = yaml.safe_load((shop.root / "architecture.yml").read_text())
    for index, options in changes.items():
        rule = contract["architecture_rules"]["rules"][int(index.lstrip("r"))]
        for key, value in options.items():
            if value is None:
                rule.pop(key, None)
            else:
                rule[key] = value
    shop.write("changed.yml", yaml.safe_dump(contract, sort_keys=False))
    return "changed.yml"


def test_each_broken_rule_is_one_violation_with_its_chain_and_a_line_at_every_step(shop):
    result = check(shop, "--format", "json")
    assert result.returncode == 1, result.stderr
    target = architecture_target(result)
    found = [(v["code"], v["chains"][0][0]["module"], v["chains"][0][-1]["module"]) for v in target["violations"]]
    assert found == [
        ("architecture-layers", "bookshop.utils.money", "bookshop.api.views"),
        ("architecture-forbidden", "bookshop.utils.money", "bookshop.api.views"),
        ("architecture-forbidden", "bookshop.utils.money", "bookshop.services.orders"),
        ("architecture-forbidden", "bookshop.utils.money", "bookshop.db.models"),
        ("architecture-independence", "bookshop.services.orders", "bookshop.services.billing"),
        ("architecture-private", "bookshop.cli", "bookshop.services._pricing"),
    ]
    to_db = target["violations"][3]["chains"][0]
    assert [(step["file"], step["line"]) for step in to_db] == [
        ("bookshop/utils/money.py", 1), ("bookshop/api/views.py", 1), ("bookshop/services/orders.py", 3), ("bookshop/db/models.py", 0)]
    # Every other module is still checked against the contract's module rules (none here): compliant.
    assert all(t["ok"] for t in json.loads(result.stdout)["targets"] if t["target"] != "architecture_rules")


def test_the_text_report_lists_each_import_of_a_chain_at_its_file_and_line_with_the_import_to_cut(shop):
    result = check(shop)
    assert result.returncode == 1
    assert "architecture-forbidden architecture_rules.rules[1].forbidden_modules: `bookshop.utils` imports `bookshop.db`" in result.stdout
    assert "chain 1: bookshop.utils.money -> bookshop.api.views -> bookshop.services.orders -> bookshop.db.models" in result.stdout
    assert "bookshop/services/orders.py:3: bookshop.services.orders imports bookshop.db.models" in result.stdout
    assert 'hint: cut the import `bookshop.utils.money -> bookshop.api.views` (bookshop/utils/money.py:1)' in result.stdout


def test_sarif_places_each_violation_at_its_first_import_with_a_code_flow_per_chain(shop):
    result = check(shop, "--format", "sarif")
    assert result.returncode == 1
    document = assert_valid_sarif(result.stdout)
    results = [r for r in document["runs"][0]["results"] if r["ruleId"] == "architecture-forbidden"]
    to_db = results[2]
    assert to_db["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bookshop/utils/money.py"
    assert to_db["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    steps = to_db["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [(s["location"]["physicalLocation"]["artifactLocation"]["uri"], s["location"]["physicalLocation"]["region"]["startLine"])
            for s in steps[:3]] == [("bookshop/utils/money.py", 1), ("bookshop/api/views.py", 1), ("bookshop/services/orders.py", 3)]
    assert to_db["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 12


def test_github_annotates_the_first_import_and_junit_carries_the_chains(shop):
    github = check(shop, "--format", "github")
    assert github.returncode == 1
    assert any(line.startswith("::error file=bookshop/cli.py,line=4,title=importspy architecture-private::") for line in github.stdout.splitlines())
    junit = check(shop, "--format", "junit")
    assert junit.returncode == 1
    [case] = [c for c in ElementTree.fromstring(junit.stdout).iter("testcase") if c.get("name") == "architecture_rules"]
    failure = case.find("failure").text
    assert "bookshop/api/views.py:1: bookshop.api.views imports bookshop.services.orders" in failure


def test_excused_imports_and_uncounted_marks_keep_the_rules(shop):
    excuse = ["bookshop.utils.money -> bookshop.api.views"]
    contract = rules_with(shop, r0={"ignore_imports": excuse}, r1={"ignore_imports": excuse}, r2={"lazy_imports": False},
                          r3={"ignore_imports": ["bookshop.cli -> bookshop.services.*"]})
    result = check(shop, contract=contract)
    assert result.returncode == 0, result.stdout


def test_a_stale_excuse_fails_by_default_and_only_warns_when_asked(shop):
    stale = ["bookshop.db.* -> bookshop.api"]
    result = check(shop, "--format", "json", contract=rules_with(shop, r2={"ignore_imports": stale, "lazy_imports": False}))
    codes = [v["code"] for v in architecture_target(result)["violations"]]
    assert "architecture-ignore-unmatched" in codes
    warn = rules_with(shop, r2={"ignore_imports": stale, "lazy_imports": False, "unmatched_ignore_imports_alerting": "warn"})
    target = architecture_target(check(shop, "--format", "json", contract=warn))
    assert "architecture-ignore-unmatched" not in [v["code"] for v in target["violations"]]
    assert [w["code"] for w in target["warnings"]] == ["architecture-ignore-unmatched"]
    assert "warning architecture-ignore-unmatched" in check(shop, contract=warn).stdout


def test_lazy_imports_count_unless_the_rule_leaves_them_out(shop):
    target = architecture_target(check(shop, "--format", "json", contract=rules_with(shop, r2={"lazy_imports": False})))
    assert "architecture-independence" not in [v["code"] for v in target["violations"]]
    target = architecture_target(check(shop, "--format", "json", contract=rules_with(shop, r2={"type_checking_imports": None})))
    [independence] = [v for v in target["violations"] if v["code"] == "architecture-independence"]
    assert independence["chains"][0][0]["line"] == 7  # the TYPE_CHECKING import, now counted, comes first


def test_a_misspelt_option_is_a_contract_error_at_its_line_and_column(shop):
    shop.write("bad.yml", """
        architecture_rules:
          rules:
            - name: utils know nothing
              type: forbidden
              source_modules: [bookshop.utils]
              forbiden_modules: [bookshop.api]
        """)
    result = check(shop, contract="bad.yml")
    assert result.returncode == 2
    assert "bad.yml:6:7" in result.stderr + result.stdout
    assert "did you mean `forbidden_modules`?" in result.stderr + result.stdout


def test_a_module_the_package_lacks_is_reported_not_ignored(shop):
    result = check(shop, "--format", "json", contract=rules_with(shop, r0={"layers": ["bookshop.cli", "bookshop.web", "bookshop.utils"]}))
    codes = [v["code"] for v in architecture_target(result)["violations"]]
    assert "architecture-module-missing" in codes
    result = check(shop, "--format", "json", contract=rules_with(shop, r0={"layers": ["bookshop.cli", "(bookshop.web)", "bookshop.utils"]}))
    assert "architecture-module-missing" not in [v["code"] for v in architecture_target(result)["violations"]]


def test_the_json_schema_accepts_the_documented_contract():
    import subprocess
    import sys

    import jsonschema

    schema = json.loads(subprocess.run([sys.executable, "-m", "importspy", "schema"], capture_output=True, text=True, check=True).stdout)
    jsonschema.validate(yaml.safe_load((FIXTURE / "architecture.yml").read_text()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"architecture_rules": {"rules": [{"name": "x", "type": "layerz"}]}}, schema)


def test_the_documented_example_is_the_fixture_and_its_output_is_what_the_command_prints(shop):

    page = docs_section("## A small example")
    shown_files = dict(re.findall(r'```(?:python|yaml) title="([^"]+)"\n(.*?)```', page, re.S))
    assert set(shown_files) >= {"architecture.yml", "bookshop/cli.py", "bookshop/utils/money.py"}
    for name, text in shown_files.items():
        assert text == (FIXTURE / name).read_text(encoding="utf-8"), f"docs/architecture-rules.md shows {name} unlike the fixture"
    [shown] = re.findall(r"```console\n\$ importspy check --package bookshop -s architecture.yml --no-cache\n(.*?)```", page, re.S)
    result = check(shop)
    assert result.returncode == 1
    assert result.stdout == shown


def test_a_second_run_serves_the_rules_verdict_from_the_cache_with_its_chains_and_an_edit_reruns_it(shop):
    first = shop.cli("check", "--package", "bookshop", "-s", "architecture.yml", "--format", "json")
    second = shop.cli("check", "--package", "bookshop", "-s", "architecture.yml", "--format", "json")
    assert first.returncode == second.returncode == 1
    assert architecture_target(first)["cached"] is False
    assert architecture_target(second)["cached"] is True
    assert architecture_target(second)["violations"] == architecture_target(first)["violations"]
    shop.write("bookshop/utils/money.py", "def rounded(amount: float) -> float:\n    return round(amount, 2)\n")
    third = architecture_target(shop.cli("check", "--package", "bookshop", "-s", "architecture.yml", "--format", "json"))
    assert third["cached"] is False
    assert "architecture-layers" not in [v["code"] for v in third["violations"]]


def test_the_project_settings_packages_judge_the_rules_too(shop):
    shop.write("pyproject.toml", """
        [[tool.importspy.packages]]
        package = "bookshop"
        contract = "architecture.yml"
        """)
    result = shop.cli("check", "--format", "json", "--no-cache")
    assert result.returncode == 1, result.stderr
    assert [v["code"] for v in architecture_target(result)["violations"]].count("architecture-forbidden") == 3


def test_the_graph_picture_draws_the_layers_as_bands_and_highlights_every_broken_chain(shop):
    page = shop.cli("graph", "bookshop", "--format", "html", "-s", "architecture.yml")
    assert page.returncode == 0, page.stderr
    data = page.stdout
    # The page's data is JSON with <, > and & written as \u escapes.
    assert '"name":"bookshop.cli"' in data and '"name":"bookshop.utils"' in data
    assert '"kind":"rule","label":"architecture-layers: bookshop.utils.money -\\u003e bookshop.api.views"' in data
    assert '"label":"architecture-private: bookshop.cli -\\u003e bookshop.services._pricing"' in data
    picture = shop.cli("graph", "bookshop", "--format", "svg", "-s", "architecture.yml")
    assert picture.returncode == 0, picture.stderr
    assert picture.stdout.count('class="cluster band"') == 5
    assert ">bookshop.services</text>" in picture.stdout


def test_the_graph_draws_rules_in_pictures_only_and_needs_them_in_the_contract(shop):
    text = shop.cli("graph", "bookshop", "--format", "json", "-s", "architecture.yml")
    assert text.returncode == 2
    assert "are drawn in pictures (--format svg or html); `importspy check --package bookshop -s architecture.yml` reports them" in text.stderr
    (shop.root / "plain.yml").write_text("variables: []\n")
    none = shop.cli("graph", "bookshop", "--format", "html", "-s", "plain.yml")
    assert none.returncode == 2
    assert "plain.yml has no `architecture_rules:` to draw" in none.stderr


# The worked example of docs/architecture-rules.md: a published release, fetched from PyPI as it is.
HTTPX = "httpx==0.28.1"
HTTPX_WHEEL_SHA256 = "d909fcccc110f8c7faf814ca82a9a4d816bc5a6dbfea25d6591d6985b8ba59ad"  # httpx-0.28.1-py3-none-any.whl


@pytest.fixture(scope="module")
def httpx_release(tmp_path_factory):
    try:
        return unpacked(HTTPX, tmp_path_factory.mktemp("pypi"), sha256=HTTPX_WHEEL_SHA256)
    except PyPIUnreachable as error:
        pytest.skip(f"the worked example needs {HTTPX} from PyPI, which cannot be reached: {error}")


def test_the_worked_example_on_httpx_prints_what_the_docs_show(project, httpx_release):
    page = docs_section("## A worked example: httpx")
    contracts = dict(re.findall(r'```yaml title="([^"]+)"\n(.*?)```', page, re.S))
    assert set(contracts) == {"architecture.yml", "runtime.yml"}
    shown = dict(re.findall(r"```console\n\$ importspy check --package httpx -s (\S+) --no-cache\n(.*?)```", page, re.S))
    assert set(shown) == set(contracts)
    shutil.copytree(httpx_release / "httpx", project.root / "httpx")
    for name, text in contracts.items():
        project.write(name, text)
        result = project.cli("check", "--package", "httpx", "-s", name, "--no-cache")
        assert result.returncode == 1, result.stderr
        assert result.stdout == shown[name], f"docs/architecture-rules.md shows another output for {name}"
    # Either way out the page names keeps the rule.
    for added in ("      lazy_imports: false\n", '      ignore_imports: ["httpx._utils -> httpx._urls"]\n'):
        kept = contracts["runtime.yml"].replace("      type_checking_imports: false\n", "      type_checking_imports: false\n" + added)
        assert kept != contracts["runtime.yml"]
        project.write("kept.yml", kept)
        result = project.cli("check", "--package", "httpx", "-s", "kept.yml", "--no-cache")
        assert result.returncode == 0, result.stdout
