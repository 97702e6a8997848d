"""The HTML report at scale: `importspy check --format html` over a generated folder of modules, opened
in headless Chromium (Debian's, driven as the browser tests drive it: tests/python/browser.py).

Run: .venv/bin/python bench/html_report.py [--modules 20000] [--violating 0.1] [--errors 0.01] [--keep DIR]
Measures: the check that writes the page, the page's size, the time from navigation until the page is
interactive (its script has read the data and drawn the first modules), and the time each filter takes
(code, category, file, search, "compliant too") from the event to the next frame after the page is drawn.
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "python"))
from browser import Browser  # noqa: E402

CONTRACT = """variables:
  - name: api_level
    value: 2
functions:
  - name: register
    arguments:
      - name: host
classes:
  - name: Extension
    methods:
      - name: run
        arguments:
          - name: self
          - name: msg
"""

GOOD = """api_level = 2


def register(host):
    return Extension()


class Extension:
    def run(self, msg):
        return msg
"""


def write_corpus(root: Path, modules: int, violating: float, errors: float) -> None:
    rng = random.Random(7)
    for index in range(modules):
        folder = root / "plugins" / f"group_{index // 500:03}"
        folder.mkdir(parents=True, exist_ok=True)
        text = GOOD
        roll = rng.random()
        if roll < errors:
            text = "def broken(:\n"
        elif roll < errors + violating:
            text = GOOD.replace("api_level = 2", "api_level = 1").replace("def run(self, msg)", "def run(self, message)")
            if rng.random() < 0.5:
                text = text.replace("def register(host)", "def register_plugin(host)")
        (folder / f"plugin_{index:05}.py").write_text(text)
    (root / "contract.yml").write_text(CONTRACT)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", type=int, default=20000)
    parser.add_argument("--violating", type=float, default=0.1)
    parser.add_argument("--errors", type=float, default=0.01)
    parser.add_argument("--keep", type=Path, help="write the corpus and the page here, and leave them")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="importspy-html-bench-") as scratch:
        root = arguments.keep or Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        write_corpus(root, arguments.modules, arguments.violating, arguments.errors)
        importspy = [sys.executable, "-m", "importspy"]
        started = time.monotonic()
        run = subprocess.run([*importspy, "check", "plugins", "-s", "contract.yml", "--format", "html", "-o", "report.html", "--no-cache"],
                             cwd=root, capture_output=True, text=True)
        check_seconds = time.monotonic() - started
        if run.returncode not in (0, 1, 2) or not (root / "report.html").exists():
            sys.exit(f"importspy check failed ({run.returncode}): {run.stderr}")
        page = root / "report.html"
        results = {"modules": arguments.modules, "check_and_write_s": round(check_seconds, 2), "page_bytes": page.stat().st_size}
        with Browser() as browser:
            results["open_to_interactive_s"] = round(browser.open(page), 3)
            results["summary"] = browser.evaluate(
                "Object.fromEntries(Array.from(document.querySelectorAll('[data-count]')).map(e=>[e.dataset.count,Number(e.querySelector('.n').textContent)]))")
            results["elements_after_load"] = browser.evaluate("document.getElementsByTagName('*').length")

            def timed(setup: str) -> float:
                # The filter runs on the event; the time ends at the next frame, after style and layout.
                return browser.evaluate(
                    "new Promise(function(done){var t0=performance.now();" + setup +
                    ";document.body.offsetHeight;requestAnimationFrame(function(){done(performance.now()-t0);});})")

            code = browser.evaluate("document.querySelector('#filter-code option:nth-child(2)').value")
            filters = {
                "code": f"var s=document.getElementById('filter-code');s.value={json.dumps(code)};s.dispatchEvent(new Event('change'))",
                "category": "var c=document.getElementById('filter-code');c.value='';var s=document.getElementById('filter-category');"
                            "s.value='missing';s.dispatchEvent(new Event('change'))",
                "compliant_too": "document.getElementById('filter-category').value='';var s=document.getElementById('show-compliant');"
                                 "s.checked=true;s.dispatchEvent(new Event('change'))",
            }
            results["filter_ms"] = {name: round(timed(setup), 1) for name, setup in filters.items()}
            # The text boxes wait 80 ms for the typing to pause; measured is the filter after that pause.
            for name, box, text in (("file", "filter-file", "group_003"), ("search", "search", "plugin_0150")):
                browser.evaluate(f"document.getElementById({json.dumps(box)}).value={json.dumps(text)}")
                results["filter_ms"][name] = round(timed(f"document.getElementById({json.dumps(box)}).dispatchEvent(new Event('change'));"
                                                         "document.getElementById('filter-code').dispatchEvent(new Event('change'))"), 1)
            results["shown_after_search"] = browser.evaluate("document.getElementById('shown').textContent")
            if browser.console_errors:
                results["console_errors"] = browser.console_errors
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
