"""Architecture rules on sympy: `importspy lint-imports` against import-linter's `lint-imports`, and the
import graph alone against grimp, each a whole process started cold.

Run: .venv/bin/python bench/architecture_bench.py [rounds]   (after scripts/python-env.sh, which installs
     import-linter and grimp beside importspy on Python 3.11+)

sympy (pinned below) is downloaded once with pip into bench/.cache/ and unpacked there. One configuration,
`.importlinter` in a scratch project beside the unpacked package, holds one transitive forbidden contract
and one layers contract; both tools read that same file, and `architecture.yml` says the same two rules
in ImportSpy's contract language. Each round runs, interleaved so that they share the machine's noise:
  lint-imports            import-linter 2.17 (`--no-cache`: the graph is built, not read from its cache)
  importspy lint-imports  the same file (`--no-cache`)
  importspy check --package  `check --package sympy -s architecture.yml --no-cache` (every module judged
                          against the contract, and the two rules)
  grimp.build_graph       `python -c "import grimp; grimp.build_graph('sympy', cache_dir=None)"`
  importspy graph         `importspy graph sympy` (reads every module, builds the graph, renders it to /dev/null)
Each process's wall time, CPU time (user + system, all its threads) and peak resident memory come from
wait4() (that child alone). Printed: the machine's load average, medians and the best wall time of the rounds, and the ratios of
medians. On a shared machine wall times are indicative only; CPU time depends less on the load.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

SYMPY = "sympy==1.14.0"
HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
BIN = Path(sys.executable).parent

CONFIG = """\
[importlinter]
root_package = sympy

[importlinter:contract:core-is-below-printing]
name = sympy.core does not import sympy.printing, even indirectly
type = forbidden
source_modules =
    sympy.core
forbidden_modules =
    sympy.printing

[importlinter:contract:layers]
name = sympy layers
type = layers
layers =
    sympy.physics
    sympy.solvers
    sympy.integrals
    sympy.simplify
    sympy.polys
"""


CONTRACT = """\
architecture_rules:
  rules:
    - name: sympy.core does not import sympy.printing, even indirectly
      type: forbidden
      source_modules: [sympy.core]
      forbidden_modules: [sympy.printing]
    - name: sympy layers
      type: layers
      layers: [sympy.physics, sympy.solvers, sympy.integrals, sympy.simplify, sympy.polys]
"""


def sympy_source() -> Path:
    """The unpacked sympy wheel (its top-level `sympy/` folder), downloaded once."""
    unpacked = CACHE / SYMPY.replace("==", "-")
    if (unpacked / "sympy" / "__init__.py").is_file():
        return unpacked
    CACHE.mkdir(exist_ok=True)
    download = CACHE / "download"
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "-d", str(download), SYMPY], check=True)
    wheel = next(download.glob("sympy-*.whl"))
    partial = unpacked.with_suffix(".partial")
    shutil.rmtree(partial, ignore_errors=True)
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(partial)
    partial.rename(unpacked)
    return unpacked


def measured(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float, int, str]:
    """Wall seconds, CPU seconds (user + system, every thread), peak RSS in MiB, exit status and output
    tail of one process (its own rusage)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        tail = output.read()[-2000:].decode(errors="replace")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, tail


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    importspy, lint_imports = BIN / "importspy", BIN / "lint-imports"
    for tool in (importspy, lint_imports):
        if not tool.exists():
            raise SystemExit(f"{tool} is missing: run scripts/python-env.sh (import-linter needs Python 3.11+)")
    source = sympy_source()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "sympy").symlink_to(source / "sympy")
        (project / ".importlinter").write_text(CONFIG)
        (project / "architecture.yml").write_text(CONTRACT)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
        env.update(PYTHONPATH=str(project), PYTHONDONTWRITEBYTECODE="1", NO_COLOR="1", TERM="dumb")
        commands = {
            "lint-imports (import-linter 2.17)": [str(lint_imports), "--no-cache", "--no-logo"],
            "importspy lint-imports": [str(importspy), "lint-imports", "--no-cache"],
            "importspy check --package": [str(importspy), "check", "--package", "sympy", "-s", "architecture.yml", "--no-cache"],
            "grimp.build_graph (grimp)": [sys.executable, "-c", "import grimp; grimp.build_graph('sympy', cache_dir=None)"],
            "importspy graph": [str(importspy), "graph", "sympy"],
        }
        samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
        statuses: dict[str, tuple[int, str]] = {}
        for _ in range(rounds):
            for name, command in commands.items():
                elapsed, cpu, rss, status, tail = measured(command, project, env)
                samples[name].append((elapsed, cpu, rss))
                statuses[name] = (status, tail)
    failed = {name for name, (status, _) in statuses.items() if status not in (0, 1)}  # lint-imports exits 1 when a contract is broken
    load = os.getloadavg()
    print(f"load average (1 min) {load_before[0]:.1f} at the start, {load[0]:.1f} at the end; ", end="")
    print(f"Python {platform.python_version()} on {platform.machine()} {sys.platform}, {os.cpu_count()} CPUs; {SYMPY}, "
          f"{sum(1 for _ in (source / 'sympy').rglob('*.py'))} modules; {rounds} rounds, interleaved; whole process, cold (no tool cache)\n")
    print("| run | median time | best time | median CPU time | median peak RSS | time ÷ reference | CPU ÷ reference | memory ÷ reference |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    references = {"importspy lint-imports": "lint-imports (import-linter 2.17)", "importspy check --package": "lint-imports (import-linter 2.17)",
                  "importspy graph": "grimp.build_graph (grimp)"}
    medians = {name: tuple(statistics.median(run[k] for run in runs) for k in range(3)) for name, runs in samples.items()}
    for name, runs in samples.items():
        wall, cpu, rss = medians[name]
        best = min(run[0] for run in runs)
        reference = references.get(name)
        ratios = [f"{value / medians[reference][k]:.2f}×" if reference else "1.00× (reference)" for k, value in enumerate((wall, cpu, rss))]
        note = f" (FAILED: exit {statuses[name][0]})" if name in failed else ""
        print(f"| {name}{note} | {wall:.2f} s | {best:.2f} s | {cpu:.2f} s | {rss:.0f} MiB | " + " | ".join(ratios) + " |")
    print("\nVerdicts (exit status, last lines):")
    for name in ("lint-imports (import-linter 2.17)", "importspy lint-imports", "importspy check --package"):
        status, tail = statuses[name]
        lines = [line for line in tail.splitlines() if line.strip()]
        print(f"- {name}: exit {status}; " + " / ".join(lines[-3:]))
    for name in sorted(failed):
        print(f"\n{name} failed (exit {statuses[name][0]}):\n{statuses[name][1]}")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
