"""The stable-ABI wheel against the version-specific one, on one CPython, in one run.

Run: python bench/abi3_bench.py ABI3_PYTHON SPECIFIC_PYTHON [--modules 3000] [--rounds 7] [--no-instructions]
     (two interpreters of the same CPython X.Y, e.g. the venvs scripts/wheel-env.sh X.Y DIR abi3 and
     scripts/wheel-env.sh X.Y DIR X.Y make)
Measures both installations alike and prints the ratios (abi3 / version-specific; above 1.00 is slower):
  - every warm embedded path of bench/instruction_counts.py, in instructions (callgrind; exact, independent
    of the machine's load), when valgrind is installed;
  - `importspy check` of a generated corpus (bench/ci_bench.py's) without cache on one job, wall time, the
    best of --rounds runs, the two installations alternating.
docs/platforms.md records the figures and which wheels the ratios decided.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from ci_bench import make_corpus  # noqa: E402

COUNTS = """
import json, sys
sys.path.insert(0, {here!r})
import instruction_counts as bench
print(json.dumps(bench.measure(sorted(bench.PROGRAMS))))
"""


def instruction_counts(python: str) -> dict[str, int]:
    result = subprocess.run([python, "-c", COUNTS.format(here=str(HERE))], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def check_seconds(python: str, root: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run([python, "-m", "importspy", "check", "--format", "json", "--no-cache", "-j", "1"], cwd=root, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("abi3_python")
    parser.add_argument("specific_python")
    parser.add_argument("--modules", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-instructions", action="store_true", help="only the wall time of `importspy check`")
    args = parser.parse_args()
    pythons = {"abi3": os.path.abspath(args.abi3_python), "specific": os.path.abspath(args.specific_python)}
    versions = {kind: subprocess.run([p, "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True, check=True).stdout.strip() for kind, p in pythons.items()}
    print(f"abi3: {pythons['abi3']} (CPython {versions['abi3']}); version-specific: {pythons['specific']} (CPython {versions['specific']})\n")
    print("| path | abi3 | version-specific | abi3 / specific |")
    print("|---|---|---|---|")
    if shutil.which("valgrind") and not args.no_instructions:
        counts = {kind: instruction_counts(p) for kind, p in pythons.items()}
        for name in sorted(counts["abi3"]):
            a, s = counts["abi3"][name], counts["specific"][name]
            print(f"| {name} (instructions) | {a:,} | {s:,} | {a / s:.3f} |")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_corpus(root, args.modules)
        best = {kind: float("inf") for kind in pythons}
        for _ in range(args.rounds):
            for kind, python in pythons.items():
                best[kind] = min(best[kind], check_seconds(python, root))
    print(f"| importspy check, {args.modules} modules, -j 1, no cache (best of {args.rounds}) | {best['abi3']:.3f} s | {best['specific']:.3f} s | {best['abi3'] / best['specific']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
