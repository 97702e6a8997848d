"""The embedded check's cold path against the plain import it guards, each in fresh interpreters.

Run: .venv/bin/python bench/cold_check_bench.py [rounds]   (after scripts/python-env.sh)

Every round starts three interpreters, interleaved so that they share the machine's noise, each importing
`importspy` first and then timing one import statement inside the process:
  plain     `import plugin_plain`: the plugin and its base module, no validation (bytecode from __pycache__)
  compiled  `import plugin`: the same modules, the base calling Spy(); the contract compiled from its YAML
            (an empty per-user cache, and PYTHONDONTWRITEBYTECODE so that nothing is kept between rounds)
  stored    `import plugin`, the compiled contract read from the per-user cache (written by a warm-up run)
The cold check is the guarded import minus the plain one. Fixtures: bench/fixtures (the 26-line module and
40-line contract of bench/embedded_bench.py). Compare ratios, not absolute times (the machine is shared).
"""

import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embedded_bench import make_project  # noqa: E402

TIMED = "import sys, time\nimport importspy\nstart = time.perf_counter()\nimport {module}\nprint((time.perf_counter() - start) * 1e6)\n"


def timed_import(project: Path, module: str, cache: Path, keep: bool) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "IMPORTSPY_CACHE_KEY")}
    env.update(PYTHONPATH=str(project), XDG_CACHE_HOME=str(cache), PYTHONDONTWRITEBYTECODE="" if keep else "1")
    result = subprocess.run([sys.executable, "-c", TIMED.format(module=module)], cwd=project, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"import {module} failed:\n{result.stderr}")
    return float(result.stdout.strip().splitlines()[-1])


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        project = root / "project"
        project.mkdir()
        make_project(project)
        stored_cache, empty_cache = root / "cache-stored", root / "cache-empty"
        # Warm-up: bytecode of every module into __pycache__, the compiled contract into the stored cache.
        timed_import(project, "plugin_plain", stored_cache, keep=True)
        timed_import(project, "plugin", stored_cache, keep=True)
        samples: dict[str, list[float]] = {"plain": [], "compiled": [], "stored": []}
        for _ in range(rounds):
            samples["plain"].append(timed_import(project, "plugin_plain", stored_cache, keep=True))
            samples["compiled"].append(timed_import(project, "plugin", empty_cache, keep=False))
            samples["stored"].append(timed_import(project, "plugin", stored_cache, keep=True))
        if (empty_cache / "importspy" / "contracts").exists():
            raise SystemExit("the compiled-contract rounds kept a contract: the 'compiled' figures are not cold")

    def figure(name: str, pick) -> float:
        return pick(samples[name])

    print(f"Python {platform.python_version()} on {platform.machine()} {sys.platform}; {rounds} fresh interpreters per row, interleaved\n")
    print("| path (fresh interpreter, `importspy` already imported) | median | best | cold check alone (median − plain median) | cold check ÷ plain import |")
    print("|---|---:|---:|---:|---:|")
    plain_median, plain_best = figure("plain", statistics.median), figure("plain", min)
    print(f"| plain `import plugin_plain` (the import guarded) | {plain_median:.0f} µs | {plain_best:.0f} µs | — | 1.00× (reference) |")
    labels = {"compiled": "`import plugin`, contract compiled from YAML", "stored": "`import plugin`, compiled contract read from the per-user cache"}
    for name, label in labels.items():
        median, best = figure(name, statistics.median), figure(name, min)
        check = median - plain_median
        print(f"| {label} | {median:.0f} µs | {best:.0f} µs | {check:.0f} µs (best − best: {best - plain_best:.0f} µs) | {check / plain_median:.2f}× |")


if __name__ == "__main__":
    main()
