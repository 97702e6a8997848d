"""CI mode at scale: `importspy check` over a generated corpus of plugin modules.

Run: .venv/bin/python bench/ci_bench.py [--modules 2000] [--sample 20]
Measures, in one run: a cold check of the whole corpus (no cache), a re-run served by the result cache,
the same cold check with -j 1, and the original ImportSpy CLI (pinned, in bench/.venv-reference) on a
sample of the corpus, one process per module as it works. Reports modules per second and ratios.
"""

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embedded_bench import REFERENCE_VERSION, reference_python  # noqa: E402


def contract_text(index: int) -> str:
    machine = platform.machine().lower()
    system = {"linux": "linux", "darwin": "darwin", "win32": "windows"}[sys.platform]
    version = ".".join(map(str, sys.version_info[:3]))
    return f"""filename: plugin_{index:05}.py
variables:
  - name: plugin_name
    value: plugin {index}
functions:
  - name: register
    arguments:
      - name: host
        annotation: str
    return_annotation: str
classes:
  - name: Plugin{index}
    methods:
      - name: run
        arguments:
          - name: self
          - name: payload
deployments:
  - arch: {machine}
    systems:
      - os: {system}
        pythons:
          - version: {version}
            interpreter: CPython
            modules:
              - filename: plugin_{index:05}.py
                variables:
                  - name: plugin_name
                    value: plugin {index}
"""


def module_text(index: int, rng: random.Random) -> str:
    """A plugin of varied size: the required API plus 0-40 helper functions and 0-6 helper classes."""
    lines = [f'"""Plugin {index}."""', "import os", "", f'plugin_name = "plugin {index}"', f"LIMIT = {rng.randint(1, 1000)}", ""]
    lines += ["def register(host: str) -> str:", "    return host", ""]
    lines += [f"class Plugin{index}:", "    def __init__(self):", "        self.state = {}", "", "    def run(self, payload):", "        return payload", ""]
    for h in range(rng.randint(0, 40)):
        lines += [f"def helper_{h}(a, b={h}, *args, flag: bool = False, **kw):", f"    return a + b + {h}", ""]
    for c in range(rng.randint(0, 6)):
        lines += [f"class Helper{c}:", f"    level = {c}", "    def method(self, x):", "        self.x = x", "        return x", ""]
    return "\n".join(lines) + "\n"


def make_corpus(root: Path, count: int) -> None:
    rng = random.Random(1234)
    (root / "plugins").mkdir()
    (root / "contracts").mkdir()
    mappings = []
    for i in range(count):
        (root / "plugins" / f"plugin_{i:05}.py").write_text(module_text(i, rng))
        (root / "contracts" / f"plugin_{i:05}.yml").write_text(contract_text(i))
        mappings.append(f'[[contracts]]\nmatch = "plugins/plugin_{i:05}.py"\ncontract = "contracts/plugin_{i:05}.yml"\n')
    (root / "importspy.toml").write_text('targets = ["plugins"]\n' + "".join(mappings))


def timed(command, cwd, env=None):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", type=int, default=2000)
    parser.add_argument("--sample", type=int, default=20)
    args = parser.parse_args()
    ours = [sys.executable, "-m", "importspy", "check", "--format", "json"]
    reference = reference_python()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_corpus(root, args.modules)
        cold, first = timed(ours + ["--cache-dir", ".cache-a"], root)
        assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
        cached, second = timed(ours + ["--cache-dir", ".cache-a"], root)
        assert second.returncode == 0 and '"cached": false' not in second.stdout
        cold_serial, _ = timed(ours + ["--no-cache", "-j", "1"], root)
        cold_parallel, _ = timed(ours + ["--no-cache"], root)
        # The original: its console script, one interpreter per module, which imports (executes) it.
        env = {**os.environ, "PYTHONPATH": str(root / "plugins")}
        sample = [f"plugin_{i:05}" for i in range(args.sample)]
        script = reference.parent / "importspy"
        start = time.perf_counter()
        for name in sample:
            result = subprocess.run([str(script), "-s", f"contracts/{name}.yml", f"plugins/{name}.py"], cwd=root, capture_output=True, text=True, env=env)
            assert "compliant" in result.stdout, result.stdout + result.stderr  # it really validated
        theirs = (time.perf_counter() - start) / len(sample)
    n = args.modules
    rows = [
        ("cold, default jobs (no cache)", cold_parallel, n / cold_parallel),
        ("cold, -j 1 (no cache)", cold_serial, n / cold_serial),
        ("cold, filling the cache", cold, n / cold),
        ("re-run served by the cache", cached, n / cached),
    ]
    print(f"{n} modules; Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; original ImportSpy {REFERENCE_VERSION} on {args.sample} modules\n")
    print("| run | wall time | modules/s | vs ImportSpy |")
    print("|---|---|---|---|")
    for label, seconds, rate in rows:
        print(f"| {label} | {seconds:.3f} s | {rate:,.0f} | {rate * theirs:,.0f}× |")
    print(f"| ImportSpy {REFERENCE_VERSION} CLI, one process per module | {theirs * n:.1f} s (extrapolated) | {1 / theirs:,.1f} | 1× |")


if __name__ == "__main__":
    main()
