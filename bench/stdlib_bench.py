"""Side by side, in one run, on the standard library of CPython 3.12.

    python bench/stdlib_bench.py [--stdlib DIR] [--importspy PATH] [--repeat 3] [--plot bench/stdlib_bench.png]

Measures, on the same files (every *.py of the standard library but site-packages: 1,740 files for 3.12.1):
  - CPython's `ast.parse` alone, one core (python3.12, the files read in advance);
  - `importspy check` cold (`--no-cache`) with -j 1 and -j 2, a trivial contract;
  - `importspy check` re-run served from the result cache (and the same on 2,000 generated plugins);
  - `ruff check --select F --no-cache` (ruff from PyPI, in the bench's own venv bench/.venv);
wall time (best of --repeat), CPU time and peak memory of each process (os.wait4), and a PNG of the time
to read one file against its size (the reader through `importspy._engine.facts_json`, `ast.parse`).
The bench venv: `python3 -m venv bench/.venv && bench/.venv/bin/pip install ruff matplotlib`.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CONTRACT = "importspy: 1\nvariables: []\n"

AST_ALONE = """
import ast, sys, time
paths = [line for line in sys.stdin.read().splitlines() if line]
sources = [open(p, 'rb').read() for p in paths]
start = time.process_time()
for source, path in zip(sources, paths):
    try:
        ast.parse(source, path)
    except (SyntaxError, ValueError):
        pass
print(time.process_time() - start)
"""

PER_FILE = """
import ast, json, sys, time
from importspy import _engine
out = []
for path in sys.stdin.read().splitlines():
    data = open(path, 'rb').read()
    t0 = time.perf_counter()
    try:
        _engine.facts_json(path)
    except Exception:
        pass
    t1 = time.perf_counter()
    out.append((len(data), t1 - t0))
json.dump(out, sys.stdout)
"""

PER_FILE_AST = """
import ast, json, sys, time
out = []
for path in sys.stdin.read().splitlines():
    data = open(path, 'rb').read()
    t0 = time.perf_counter()
    try:
        ast.parse(data, path)
    except (SyntaxError, ValueError):
        pass
    out.append((len(data), time.perf_counter() - t0))
json.dump(out, sys.stdout)
"""


def measured(argv, *, stdin=None, cwd=None, env=None, repeat=3, prepare=None):
    """Best wall time of `repeat` runs, with that run's CPU time and peak RSS (from os.wait4)."""
    best = None
    for _ in range(repeat):
        if prepare:
            prepare()
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, cwd=cwd, env=env, text=True)
        if stdin is not None:
            process.stdin.write(stdin)
            process.stdin.close()
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        row = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024, "out": out, "status": process.returncode}
        if best is None or row["wall"] < best["wall"]:
            best = row
    return best


def stdlib_files(stdlib: Path) -> list[str]:
    files = [p for p in glob.glob(str(stdlib / "**" / "*.py"), recursive=True) if "/site-packages/" not in p]
    return sorted(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    candidates = sorted(glob.glob("/root/.pyenv/versions/3.12.*/lib/python3.12"))
    parser.add_argument("--stdlib", type=Path, default=Path(candidates[-1]) if candidates else None)
    parser.add_argument("--python312", default=None, help="the interpreter for ast.parse (default: the stdlib's own)")
    parser.add_argument("--importspy", default=str(ROOT / ".venv" / "bin" / "importspy"))
    parser.add_argument("--ruff", default=str(HERE / ".venv" / "bin" / "ruff"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plot", type=Path, default=HERE / "stdlib_bench.png")
    args = parser.parse_args()

    files = stdlib_files(args.stdlib)
    megabytes = sum(os.path.getsize(f) for f in files) / 1e6
    python312 = args.python312 or str(args.stdlib.parent.parent / "bin" / "python3.12")
    print(f"{len(files)} files, {megabytes:.1f} MB, from {args.stdlib}", flush=True)

    work = Path(tempfile.mkdtemp(prefix="importspy-bench-"))
    (work / "contract.yml").write_text(CONTRACT)
    listing = "\n".join(files) + "\n"
    (work / "files.txt").write_text(listing)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
    cache = work / "cache"
    check = [args.importspy, "check", *files, "-s", str(work / "contract.yml"), "--format", "json"]

    rows = []
    ast_alone = measured([python312, "-c", AST_ALONE], stdin=listing, repeat=args.repeat, env=env)
    ast_alone["wall"] = float(ast_alone["out"].strip())  # parsing alone, files read in advance (CPU seconds of the loop)
    rows.append(("CPython 3.12 `ast.parse` alone, 1 core (files pre-read)", ast_alone))
    for jobs in ("1", "2"):
        row = measured([*check, "--no-cache", "-j", jobs], cwd=work, env=env, repeat=args.repeat)
        summary = json.loads(row["out"])["summary"]
        rows.append((f"`importspy check --no-cache -j {jobs}` (cold)", row))
    print("summary of the cold run:", summary, flush=True)
    shutil.rmtree(cache, ignore_errors=True)
    measured([*check, "--cache-dir", str(cache), "-j", "2"], cwd=work, env=env, repeat=1)
    rows.append(("`importspy check` again, served from the cache", measured([*check, "--cache-dir", str(cache), "-j", "2"], cwd=work, env=env, repeat=args.repeat)))

    # 2,000 generated plugins, the cached re-run target.
    plugins = work / "plugins"
    plugins.mkdir()
    for i in range(2000):
        (plugins / f"plugin_{i:04}.py").write_text(f'"""Plugin {i}."""\nvalue = 1\n\nclass Plugin{i}:\n    def run(self, x: int) -> int:\n        return x\n')
    (work / "plugin.yml").write_text("variables:\n  - name: value\n    value: 1\n")
    plugin_check = [args.importspy, "check", "plugins", "-s", "plugin.yml", "--format", "json", "--cache-dir", str(work / "plugin-cache")]
    measured(plugin_check, cwd=work, env=env, repeat=1)
    rows.append(("`importspy check` of 2,000 plugins, served from the cache", measured(plugin_check, cwd=work, env=env, repeat=args.repeat)))

    if Path(args.ruff).exists():
        ruff = measured([args.ruff, "check", "--select", "F", "--no-cache", "--isolated", "--exit-zero", *files], cwd=work, env=env, repeat=args.repeat)
        rows.append(("`ruff check --select F --no-cache` (same files)", ruff))
    else:
        print(f"ruff not found at {args.ruff}: python3 -m venv bench/.venv && bench/.venv/bin/pip install ruff matplotlib", file=sys.stderr)

    by_name = dict(rows)
    print()
    print("| what | wall s | CPU s | peak RSS MiB |")
    print("| --- | --- | --- | --- |")
    for name, row in rows:
        print(f"| {name} | {row['wall']:.3f} | {row['cpu']:.3f} | {row['rss_mib']:.0f} |")
    cold1 = by_name["`importspy check --no-cache -j 1` (cold)"]["wall"]
    cold2 = by_name["`importspy check --no-cache -j 2` (cold)"]["wall"]
    print()
    print(f"-j 2 / -j 1 speed-up: {cold1 / cold2:.2f}x (target >= 1.8x)")
    print(f"ast.parse alone / importspy -j 1: {ast_alone['wall'] / cold1:.1f}x")
    if "`ruff check --select F --no-cache` (same files)" in by_name:
        ruff_wall = by_name["`ruff check --select F --no-cache` (same files)"]["wall"]
        print(f"ruff / importspy cold -j 2: {ruff_wall / cold2:.2f}x (target: > 1, importspy faster); ruff / importspy -j 1: {ruff_wall / cold1:.2f}x")
    print(f"cached re-run of 2,000 plugins: {by_name['`importspy check` of 2,000 plugins, served from the cache']['wall']:.3f} s (target < 0.25 s)")

    # Time against size, per file.
    python = str(Path(args.importspy).parent / "python")
    reader = json.loads(measured([python, "-c", PER_FILE], stdin=listing, env=env, repeat=1)["out"])
    cpython = json.loads(measured([python312, "-c", PER_FILE_AST], stdin=listing, env=env, repeat=1)["out"])
    try:
        import matplotlib
    except ImportError:
        bench_python = HERE / ".venv" / "bin" / "python"
        if bench_python.exists() and Path(sys.executable) != bench_python:
            (work / "points.json").write_text(json.dumps({"reader": reader, "cpython": cpython}))
            subprocess.run([str(bench_python), __file__, "--_plot", str(work / "points.json"), str(args.plot)], check=True)
        else:
            print("matplotlib not found: no plot", file=sys.stderr)
    else:
        plot({"reader": reader, "cpython": cpython}, args.plot)
    shutil.rmtree(work, ignore_errors=True)
    return 0


def plot(points: dict, output: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 5))
    for label, key, colour in (("CPython 3.12 ast.parse", "cpython", "tab:red"), ("ImportSpy reader (facts, via the extension)", "reader", "tab:blue")):
        xs = [p[0] / 1024 for p in points[key]]
        ys = [p[1] * 1000 for p in points[key]]
        axes.scatter(xs, ys, s=4, alpha=0.5, label=label, color=colour)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("file size (KiB)")
    axes.set_ylabel("time per file (ms)")
    axes.set_title("Standard library of CPython 3.12: time to read one file")
    axes.legend()
    figure.tight_layout()
    figure.savefig(output, dpi=120)
    print(f"plot: {output}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--_plot":
        plot(json.loads(Path(sys.argv[2]).read_text()), Path(sys.argv[3]))
        raise SystemExit(0)
    raise SystemExit(main())
