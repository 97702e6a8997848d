"""The HTML report (`check --format html`) and the graph page (`graph --format html|svg`) opened in a real
browser: headless Chromium (Debian's, installed by scripts/bootstrap.sh) over the DevTools protocol.
The DOM is checked for the numbers and elements, filters and clicks are used as a person would, and
screenshots are taken; with IMPORTSPY_SCREENSHOTS=DIR they are also kept there (docs/images/ holds the
documentation's, made this way from the bundled example)."""

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from browser import Browser, find_chromium

from conftest import EXAMPLE

pytestmark = pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed (scripts/bootstrap.sh installs it from Debian)")


@pytest.fixture(scope="module")
def browser():
    with Browser(width=1280, height=900) as opened:
        yield opened


def importspy(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "importspy", *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=environment)


def keep(shot: Path) -> None:
    assert shot.stat().st_size > 5000, "a screenshot of a drawn page is not a few bytes"
    if folder := os.environ.get("IMPORTSPY_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(folder) / shot.name)


def cards(browser: Browser) -> dict:
    return browser.evaluate(
        "Object.fromEntries(Array.from(document.querySelectorAll('[data-count]')).map(e=>[e.dataset.count,Number(e.querySelector('.n').textContent)]))")


@pytest.fixture(scope="module")
def example_report(tmp_path_factory) -> tuple[Path, dict]:
    """The bundled example's two plugins checked into one HTML report, and the same run as JSON."""
    folder = tmp_path_factory.mktemp("example")
    shutil.copytree(EXAMPLE, folder / "plugin_host")
    # As the example's host runs: in production mode (the contract's environment), so the good plugin complies.
    env = {"PLUGIN_HOST_MODE": "production", "PLUGIN_HOST_TOKEN": "example-token"}
    run = importspy("check", "plugin_host/plugins", "-s", "plugin_host/spymodel.yml", "--format", "html", "-o", "report.html", cwd=folder, env=env)
    assert run.returncode == 1, run.stderr
    as_json = importspy("check", "plugin_host/plugins", "-s", "plugin_host/spymodel.yml", "--format", "json", cwd=folder, env=env)
    return folder / "report.html", json.loads(as_json.stdout)


def test_report_shows_the_runs_numbers(browser, example_report, tmp_path):
    page, document = example_report
    browser.open(page)
    assert cards(browser) == document["summary"] | {"violations": document["summary"]["violations"]}
    assert browser.evaluate("document.querySelectorAll('#modules details.module').length") == document["summary"]["violating"]
    shown = browser.evaluate("Array.from(document.querySelectorAll('#modules .violation .code')).map(e=>e.textContent)")
    expected = [v["code"] for t in document["targets"] for v in t.get("violations", [])]
    assert sorted(shown) == sorted(expected)
    assert browser.evaluate("document.querySelectorAll('.chart.codes .bar').length") == len(set(expected))
    assert browser.console_errors == []
    keep(browser.screenshot(tmp_path / "html-report.png"))


def test_report_shows_the_source_and_the_contract_at_a_violation(browser, example_report):
    page, _ = example_report
    browser.open(page)
    excerpt = browser.evaluate(
        "(function(){var v=Array.from(document.querySelectorAll('.violation')).find(v=>v.dataset.code==='variable-value-mismatch');"
        "return Array.from(v.querySelectorAll('.excerpt')).map(x=>[x.querySelector('.where').textContent,x.querySelector('.l.at').textContent]);})()")
    assert len(excerpt) == 2
    assert excerpt[0][0].endswith("extension.py:4") and 'engine = "podman"' in excerpt[0][1]
    assert excerpt[1][0].endswith("spymodel.yml:5") and "name: engine" in excerpt[1][1]


def test_report_filters_by_code_category_file_and_search(browser, example_report, tmp_path):
    page, document = example_report
    browser.open(page)
    assert document["summary"]["compliant"] == 1
    code = browser.evaluate("document.querySelector('#filter-code option:nth-child(3)').value")
    browser.evaluate(f"var s=document.getElementById('filter-code');s.value='{code}';s.dispatchEvent(new Event('change'))")
    codes = browser.evaluate("Array.from(document.querySelectorAll('#modules .violation')).map(v=>v.dataset.code)")
    assert codes and set(codes) == {code}
    keep(browser.screenshot(tmp_path / "html-report-filtered.png"))
    browser.evaluate("var s=document.getElementById('filter-code');s.value='';s.dispatchEvent(new Event('change'))")
    browser.evaluate("var s=document.getElementById('filter-category');s.value='missing';s.dispatchEvent(new Event('change'))")
    categories = browser.evaluate("Array.from(document.querySelectorAll('#modules .violation .category')).map(v=>v.textContent.split(' ')[0])")
    assert categories and set(categories) == {"missing"}
    browser.evaluate("var s=document.getElementById('filter-category');s.value='';s.dispatchEvent(new Event('change'))")
    # The file box and the search box filter as one types (after a pause of the typing).
    browser.type_into("#filter-file", "good")
    browser.wait_until("document.getElementById('shown').textContent==='Showing 0 of 0 modules'")
    browser.evaluate("document.getElementById('show-compliant').click()")
    browser.wait_until("document.querySelectorAll('#modules details.module').length===1")
    assert browser.evaluate("document.querySelector('#modules .badge').textContent") == "compliant"
    browser.evaluate("document.getElementById('filter-file').value='';document.getElementById('show-compliant').click()")
    browser.type_into("#search", "api_level")
    browser.wait_until("document.querySelectorAll('#modules details.module').length===1")
    assert browser.evaluate("document.querySelector('#modules details.module').dataset.target").endswith("bad/extension.py")


def test_a_click_on_a_chart_bar_filters_by_its_code(browser, example_report):
    page, _ = example_report
    browser.open(page)
    label = browser.evaluate("document.querySelector('.chart.codes .bar:nth-of-type(2)').dataset.label")
    browser.click(".chart.codes .bar:nth-of-type(2) rect")
    chosen = browser.evaluate("document.getElementById('filter-code').value")
    assert chosen == label
    assert set(browser.evaluate("Array.from(document.querySelectorAll('#modules .violation')).map(v=>v.dataset.code)")) == {chosen}


def test_report_runs_no_script_from_a_hostile_name(browser, tmp_path):
    hostile = "<img src=x onerror=window.pwned=1>"
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / f"{hostile}.py").write_text(f"engine = '{hostile}</script><script>window.pwned=2</script>'\n")
    (tmp_path / "contract.yml").write_text(f"variables:\n  - name: engine\n    value: \"{hostile}\"\n")
    run = importspy("check", "plugins", "-s", "contract.yml", "--format", "html", "-o", "report.html", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    browser.open(tmp_path / "report.html")
    assert browser.evaluate("typeof window.pwned") == "undefined"
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    assert hostile in browser.evaluate("document.querySelector('#modules .name').textContent")


GRAPH_PACKAGE = {
    "shop/__init__.py": "",
    "shop/api.py": "from shop.core import orders\nfrom shop import cli\n",
    "shop/cli.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shop import api\nimport shop.api\n",
    "shop/core/__init__.py": "",
    "shop/core/orders.py": "from shop.core import money\n\ndef total():\n    from shop.core import tax\n    return tax\n",
    "shop/core/money.py": "",
    "shop/core/tax.py": "from shop.core import money\nif __name__ == '__main__':\n    import shop.cli\n",
}


@pytest.fixture(scope="module")
def graph_page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("graph")
    for name, text in GRAPH_PACKAGE.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    run = importspy("graph", "shop", "--format", "html", cwd=folder)
    assert run.returncode == 0, run.stderr
    (folder / "graph.html").write_text(run.stdout)
    return folder / "graph.html"


def test_graph_page_opens_at_the_package_with_subpackages_squashed(browser, graph_page, tmp_path):
    browser.open(graph_page)
    assert browser.evaluate("document.getElementById('counts').textContent") == "7 modules, 7 edges (8 import lines), 1 cycle"
    labels = browser.evaluate("Array.from(document.querySelectorAll('#stage g.node text')).map(t=>t.textContent).sort()")
    assert labels == ["__init__", "api", "cli", "core/ (4)"]
    assert browser.evaluate("document.querySelectorAll('#stage g.edge.cycle').length") == 2
    keep(browser.screenshot(tmp_path / "graph-page.png"))


def test_graph_page_click_on_a_module_lists_its_importers_and_imports(browser, graph_page):
    browser.open(graph_page)
    node = browser.evaluate("Array.from(document.querySelectorAll('#stage g.node')).find(g=>g.querySelector('text').textContent==='api').id")
    browser.click(f"#{node} text")
    assert browser.evaluate("document.getElementById('panel').dataset.selected") == "shop.api"
    importers = browser.evaluate("Array.from(document.querySelectorAll('#importers li')).map(li=>li.textContent)")
    imports = browser.evaluate("Array.from(document.querySelectorAll('#imports li button')).map(b=>b.textContent)")
    assert len(importers) == 1 and importers[0].startswith("shop.cli") and "TYPE_CHECKING" in importers[0] and "runtime" in importers[0]
    assert imports == ["shop.core.orders", "shop.cli"]
    # Following an import opens the subpackage's view with that module selected.
    browser.click("#imports li:first-child button")
    assert browser.evaluate("document.body.dataset.view") == "shop.core"
    assert browser.evaluate("document.getElementById('panel').dataset.selected") == "shop.core.orders"


def test_graph_page_opens_a_subpackage_and_styles_edges_by_kind(browser, graph_page, tmp_path):
    browser.open(graph_page)
    node = browser.evaluate("Array.from(document.querySelectorAll('#stage g.node.package'))[0].id")
    browser.click(f"#{node} text")
    browser.click("#open-package")
    assert browser.evaluate("document.body.dataset.view") == "shop.core"
    labels = browser.evaluate("Array.from(document.querySelectorAll('#stage g.node text')).map(t=>t.textContent).sort()")
    assert labels == ["__init__", "money", "orders", "tax"]
    assert browser.evaluate("document.querySelectorAll('#stage g.edge.lazy').length") == 1
    assert browser.evaluate("getComputedStyle(document.querySelector('#stage g.edge.lazy path')).strokeDasharray") != "none"
    keep(browser.screenshot(tmp_path / "graph-page-subpackage.png"))
    browser.click("#crumbs button")
    assert browser.evaluate("document.body.dataset.view") == "shop"


def test_graph_page_highlights_a_cycles_chain(browser, graph_page):
    browser.open(graph_page)
    assert browser.evaluate("document.querySelector('#chains .path').textContent") == "shop.api → shop.cli → shop.api"
    browser.click("#chains button")
    highlighted = browser.evaluate("Array.from(document.querySelectorAll('#stage g.node.hl text')).map(t=>t.textContent).sort()")
    assert highlighted == ["api", "cli"]
    assert browser.evaluate("document.querySelectorAll('#stage g.edge.hl').length") == 2


def test_graph_svg_is_one_svg_document(tmp_path):
    for name, text in GRAPH_PACKAGE.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    run = importspy("graph", "shop", "--format", "svg", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    root = ElementTree.fromstring(run.stdout)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    titles = sorted(t.text for t in root.iter("{http://www.w3.org/2000/svg}title"))
    assert "shop.core" in titles and "shop.api->shop.cli" in titles


def test_github_format_writes_the_job_summary(tmp_path, example_report):
    folder = example_report[0].parent
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    run = importspy("check", "plugin_host/plugins", "-s", "plugin_host/spymodel.yml", "--format", "github", cwd=folder,
                    env={"GITHUB_STEP_SUMMARY": str(summary), "IMPORTSPY_HTML_REPORT": "importspy-report.html"})
    assert run.returncode == 1
    assert run.stdout.startswith("::error ")
    text = summary.read_text()
    assert text.startswith("earlier step\n## ImportSpy: violations found")
    assert "| 2 | 0 | 2 | 0 |" in text  # the job's environment is not the host's production mode
    assert "importspy-report.html" in text


def test_github_format_without_a_summary_file_writes_none(tmp_path, example_report):
    folder = example_report[0].parent
    run = importspy("check", "plugin_host/plugins", "-s", "plugin_host/spymodel.yml", "--format", "github", cwd=folder)
    assert run.returncode == 1 and "summary" not in run.stderr


def test_check_package_writes_the_html_report_too(tmp_path):
    for name, text in GRAPH_PACKAGE.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "contract.yml").write_text("functions:\n  - name: total\n")
    run = importspy("check", "--package", "shop", "-s", "contract.yml", "--format", "html", "-o", "report.html", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    page = (tmp_path / "report.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and '<title>ImportSpy report: shop</title>' in page
    assert 'data-count="targets"><div class="n">7</div>' in page and 'data-count="compliant"><div class="n">1</div>' in page


def test_report_lists_an_architecture_rules_merged_chains_with_each_import_at_its_file_and_line(browser, tmp_path):
    from test_architecture_chains import PLANT, RULES

    for name, text in PLANT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "rules.yml").write_text(RULES)
    run = importspy("check", "--package", "plant", "-s", "rules.yml", "--no-cache", "--format", "html", "-o", "report.html", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    browser.open(tmp_path / "report.html")
    groups = browser.evaluate(
        "Array.from(document.querySelectorAll('.violation .chain-group')).map(g=>[g.querySelector('.path').textContent,"
        "Array.from(g.querySelectorAll('.chain-link')).map(l=>l.textContent)])")
    assert groups == [
        ["chain 1: plant.low.c -> plant.high.y", ["plant/low/c.py:1 plant.low.c imports plant.high.y"]],
        ["chains 2, 3: plant.low.a & plant.low.b -> plant.mid.hub -> plant.high.x",
         ["plant/low/a.py:1 plant.low.a imports plant.mid.hub (lines 1, 5)", "plant/low/b.py:1 plant.low.b imports plant.mid.hub",
          "plant/mid/hub.py:1 plant.mid.hub imports plant.high.x"]],
    ]
    # The excerpt of the code is at the first import of the first chain, not in the contract.
    places = browser.evaluate("Array.from(document.querySelectorAll('.violation .excerpt .where')).map(e=>e.textContent)")
    assert places == ["plant/low/c.py:1", "rules.yml:3"]
    assert browser.console_errors == []
    keep(browser.screenshot(tmp_path / "html-report-chains.png"))
