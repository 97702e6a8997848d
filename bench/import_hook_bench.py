"""Import interception overhead: importing modules no rule matches, with and without the finder installed,
and a matched module's repeat import (served from the caches), against a plain import — in one run.

Run: .venv/bin/python bench/import_hook_bench.py
Each figure is the best of several rounds; bytecode caching is on, as in production.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

MEASURE = textwrap.dedent(r'''
    import importlib, json, sys, time
    sys.path.insert(0, sys.argv[1])
    import importspy

    NAMES = [f"unmatched.m{i:03}" for i in range(200)]

    def reimport_all(names):
        for name in names:
            sys.modules.pop(name, None)
        start = time.perf_counter()
        for name in names:
            importlib.import_module(name)
        return (time.perf_counter() - start) / len(names) * 1e6

    def best(function, rounds=15):
        function()
        return min(function() for _ in range(rounds))

    # Rounds alternate with and without the finder, so that drift of the machine affects both alike.
    def interleaved(names, policy, rounds):
        plain, hooked = [], []
        reimport_all(names)
        for _ in range(rounds):
            plain.append(reimport_all(names))
            finder = importspy.install(policy)
            hooked.append(reimport_all(names))
            importspy.uninstall(finder)
        return min(plain), min(hooked)

    figures = {}
    unmatched_policy = {"plugins.*": "contract.yml", "exporters.*": "contract.yml", "vendor.special": "contract.yml"}
    figures["unmatched_plain"], figures["unmatched_with_finder"] = interleaved(NAMES, unmatched_policy, 25)
    figures["matched_plain"], figures["matched_with_finder"] = interleaved(["plugins.p0"], {"plugins.*": "contract.yml"}, 300)
    finder = importspy.install(unmatched_policy)
    calls = 200_000
    start = time.perf_counter()
    for _ in range(calls):
        finder.find_spec("unmatched.m001", None, None)
    figures["find_spec_ns"] = (time.perf_counter() - start) / calls * 1e9
    print(json.dumps(figures))
''')


COUNTED = textwrap.dedent(r'''
    import importlib, sys
    sys.path.insert(0, sys.argv[1])
    import importspy
    if sys.argv[2] in ("finder", "finder-baseline"):
        importspy.install({"plugins.*": "contract.yml", "exporters.*": "contract.yml", "vendor.special": "contract.yml"})
    if not sys.argv[2].endswith("baseline"):
        for i in range(200):
            importlib.import_module(f"unmatched.m{i:03}")
''')


def instructions(root: Path, variant: str, env: dict) -> int:
    """Instructions executed (valgrind callgrind): repeatable whatever else the machine is doing."""
    out = root / f"callgrind.{variant}"
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c", COUNTED, str(root), variant],
                   cwd=root, env=env, capture_output=True, check=True)
    for line in out.read_text().splitlines():
        if line.startswith("summary:") or line.startswith("totals:"):
            return int(line.split()[1])
    raise RuntimeError("no instruction total in callgrind output")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "unmatched").mkdir()
        (root / "unmatched" / "__init__.py").write_text("")
        for i in range(200):
            (root / "unmatched" / f"m{i:03}.py").write_text(f"VALUE = {i}\n\ndef f(x):\n    return x + {i}\n\nclass C:\n    pass\n")
        (root / "plugins").mkdir()
        (root / "plugins" / "__init__.py").write_text("")
        (root / "plugins" / "p0.py").write_text("api_level = 2\n\ndef register(host):\n    return host\n\nclass Plugin:\n    def run(self):\n        return 1\n")
        (root / "contract.yml").write_text("variables:\n  - name: api_level\n    value: 2\nfunctions:\n  - name: register\n    arguments:\n      - name: host\n"
                                           "classes:\n  - name: Plugin\n    methods:\n      - name: run\n")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        result = subprocess.run([sys.executable, "-c", MEASURE, str(root)], cwd=root, capture_output=True, text=True, env=env, check=True)
        f = json.loads(result.stdout)
        counted = None
        if shutil.which("valgrind"):
            subprocess.run([sys.executable, "-c", COUNTED, str(root), "plain"], cwd=root, env=env, check=True)  # bytecode caches written
            baseline, plain, hooked_baseline, hooked = (instructions(root, v, env) for v in ("baseline", "plain", "finder-baseline", "finder"))
            # Per import: the imports' instructions with the finder against without; install() itself excluded.
            counted = ((hooked - hooked_baseline) / (plain - baseline) - 1) * 100
    overhead = (f["unmatched_with_finder"] / f["unmatched_plain"] - 1) * 100
    print("| measure | per import | ratio |")
    print("|---|---|---|")
    print(f"| import of a module no rule matches, plain | {f['unmatched_plain']:.1f} µs | 1.000× |")
    print(f"| the same with the finder installed (3 rules) | {f['unmatched_with_finder']:.1f} µs | {f['unmatched_with_finder'] / f['unmatched_plain']:.3f}× ({overhead:+.1f} %) |")
    print(f"| import of a matched module, plain | {f['matched_plain']:.1f} µs | 1.00× |")
    print(f"| the same validated by the finder (warm caches) | {f['matched_with_finder']:.1f} µs | {f['matched_with_finder'] / f['matched_plain']:.2f}× |")
    print(f"| the finder's own cost for a module no rule matches (direct call) | {f['find_spec_ns']:.0f} ns | {f['find_spec_ns'] / 1000 / f['unmatched_plain'] * 100:.2f} % of a plain import |")
    if counted is not None:
        print(f"| instructions per unmatched import, finder vs none (callgrind, exact; 200 imports) | — | {counted:+.2f} % |")


if __name__ == "__main__":
    main()
