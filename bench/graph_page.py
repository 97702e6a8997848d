"""The graph page at scale: `importspy graph PACKAGE --format html` on a real package, opened in headless
Chromium (tests/python/browser.py).

Run: .venv/bin/python bench/graph_page.py FOLDER PACKAGE
     e.g. pip download sympy --no-deps -d /tmp/s && unzip -q /tmp/s/sympy-*.whl 'sympy/*' -d /tmp/s/src
          .venv/bin/python bench/graph_page.py /tmp/s/src sympy
Measures: writing the page (Graphviz lays out every package's view), its size, the time until the top
package's view answers, and the time to open the largest subpackage's view and to select a module there.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "python"))
from browser import Browser  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path, help="the folder holding the package")
    parser.add_argument("package")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="importspy-graph-bench-") as scratch:
        page = Path(scratch) / "graph.html"
        started = time.monotonic()
        run = subprocess.run([sys.executable, "-m", "importspy", "graph", arguments.package, "--format", "html"], cwd=arguments.folder,
                             capture_output=True, text=True)
        results = {"write_s": round(time.monotonic() - started, 2)}
        if run.returncode not in (0, 2) or not run.stdout:
            sys.exit(f"importspy graph failed ({run.returncode}): {run.stderr}")
        page.write_text(run.stdout)
        results["page_bytes"] = page.stat().st_size
        with Browser() as browser:
            results["open_to_interactive_s"] = round(browser.open(page), 3)
            results["counts"] = browser.evaluate("document.getElementById('counts').textContent")
            results["views"] = browser.evaluate("JSON.parse(document.getElementById('graph-data').textContent).views.length")
            results["top_view"] = browser.evaluate("[document.querySelectorAll('#stage g.node').length, document.querySelectorAll('#stage g.edge').length]")
            # The largest subpackage, opened as its Open button does, then one of its modules selected.
            largest = browser.evaluate(
                "(function(){var v=JSON.parse(document.getElementById('graph-data').textContent).views.slice(1);"
                "v.sort(function(a,b){return b.nodes.length-a.nodes.length;});return v[0].package;})()")
            results["largest_subpackage"] = largest
            results["open_subpackage_ms"] = round(browser.evaluate(
                "new Promise(function(done){var t0=performance.now();var b=Array.from(document.querySelectorAll('#crumbs button'))[0];"
                f"document.getElementById('find').value={json.dumps(largest)};document.getElementById('find').dispatchEvent(new Event('change'));"
                "document.body.offsetHeight;requestAnimationFrame(function(){done(performance.now()-t0);});})"), 1)
            results["subpackage_view"] = browser.evaluate("[document.body.dataset.view, document.querySelectorAll('#stage g.node').length, "
                                                          "document.querySelectorAll('#stage g.edge').length]")
            results["select_module_ms"] = round(browser.evaluate(
                "new Promise(function(done){var g=document.querySelector('#stage g.node.module');var t0=performance.now();"
                "g.dispatchEvent(new MouseEvent('click',{bubbles:true}));document.body.offsetHeight;"
                "requestAnimationFrame(function(){done(performance.now()-t0);});})"), 1)
            if browser.console_errors:
                results["console_errors"] = browser.console_errors
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
