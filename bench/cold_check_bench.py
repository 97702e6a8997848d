"""The embedded check's cold path against the plain import it guards, each in fresh interpreters.

Run: .venv/bin/python bench/cold_check_bench.py [rounds] [--against PYTHON]   (after scripts/python-env.sh)

Every round starts three interpreters, interleaved so that they share the machine's noise, each importing
`importspy` first and then timing one import statement inside the process:
  compiled  `import plugin`: the plugin and its base module, the base calling Spy(); the contract compiled
            from its YAML and the importer's source read (an empty per-user cache, and
            PYTHONDONTWRITEBYTECODE so that nothing is kept between rounds)
  plain     `import plugin_plain`: the same modules, no validation (bytecode from __pycache__)
  stored    `import plugin`, the compiled contract and the importer's facts read from the per-user cache
            (written by a warm-up run)
in that order: a process that ran the engine's code leaves it in the processor's shared caches, so the
`stored` interpreter always follows the `plain` one, which runs none of it (bench/README.md).
The cold check is the guarded import minus the plain one. Fixtures: bench/fixtures (the 26-line module and
40-line contract of bench/embedded_bench.py). Compare ratios, not absolute times (the machine is shared).

--against PYTHON runs the same rounds, interleaved, with another interpreter that has another build of
importspy installed (an older commit, say), and prints both: two builds compared in one run.
"""

import argparse
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
VARIANTS = ("compiled", "plain", "stored")  # the order of a round (above)


def timed_import(python: str, project: Path, module: str, cache: Path, keep: bool) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "IMPORTSPY_CACHE_KEY")}
    env.update(PYTHONPATH=str(project), XDG_CACHE_HOME=str(cache), PYTHONDONTWRITEBYTECODE="" if keep else "1")
    result = subprocess.run([python, "-c", TIMED.format(module=module)], cwd=project, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"import {module} failed under {python}:\n{result.stderr}")
    return float(result.stdout.strip().splitlines()[-1])


def run_variant(python: str, project: Path, caches: Path, variant: str) -> float:
    if variant == "plain":
        return timed_import(python, project, "plugin_plain", caches / "stored", keep=True)
    if variant == "compiled":
        return timed_import(python, project, "plugin", caches / "empty", keep=False)
    return timed_import(python, project, "plugin", caches / "stored", keep=True)


def print_table(label: str, samples: dict[str, list[float]]) -> None:
    print(f"{label}\n")
    print("| path (fresh interpreter, `importspy` already imported) | median | best | cold check alone (median − plain median) | cold check ÷ plain import |")
    print("|---|---:|---:|---:|---:|")
    plain_median, plain_best = statistics.median(samples["plain"]), min(samples["plain"])
    print(f"| plain `import plugin_plain` (the import guarded) | {plain_median:.0f} µs | {plain_best:.0f} µs | — | 1.00× (reference) |")
    labels = {
        "compiled": "`import plugin`, contract compiled from YAML, source read",
        "stored": "`import plugin`, compiled contract and importer's facts read from the per-user cache",
    }
    for name, text in labels.items():
        median, best = statistics.median(samples[name]), min(samples[name])
        check = median - plain_median
        print(f"| {text} | {median:.0f} µs | {best:.0f} µs | {check:.0f} µs (best − best: {best - plain_best:.0f} µs) | {check / plain_median:.2f}× |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rounds", nargs="?", type=int, default=21)
    parser.add_argument("--against", metavar="PYTHON", help="another interpreter (another build of importspy) to run beside this one")
    args = parser.parse_args()
    builds = {"this build": sys.executable}
    if args.against:
        builds["--against build"] = args.against
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        project = root / "project"
        project.mkdir()
        make_project(project)
        samples: dict[str, dict[str, list[float]]] = {name: {v: [] for v in VARIANTS} for name in builds}
        for index, python in enumerate(builds.values()):
            caches = root / f"caches-{index}"
            timed_import(python, project, "plugin_plain", caches / "stored", keep=True)
            timed_import(python, project, "plugin", caches / "stored", keep=True)
        for _ in range(args.rounds):
            for index, (name, python) in enumerate(builds.items()):
                for variant in VARIANTS:
                    samples[name][variant].append(run_variant(python, project, root / f"caches-{index}", variant))
        for index in range(len(builds)):
            if (root / f"caches-{index}" / "empty" / "importspy" / "contracts").exists():
                raise SystemExit("the compiled-contract rounds kept a contract: the 'compiled' figures are not cold")

    print(f"Python {platform.python_version()} on {platform.machine()} {sys.platform}; {args.rounds} fresh interpreters per row, interleaved\n")
    for name, python in builds.items():
        print_table(f"{name} ({python})", samples[name])


if __name__ == "__main__":
    main()
