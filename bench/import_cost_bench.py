"""`import importspy` in a fresh interpreter, against `import json` measured in the same run.

    python bench/import_cost_bench.py [--runs 40] [--python PATH ...]

For each interpreter (default: this one), starts --runs fresh processes per module with `-X importtime`,
reads the module's own cumulative import time from CPython's report (so interpreter start-up is not
counted), and prints the medians and the ratio. Target: importspy under 5 ms.
"""

import argparse
import statistics
import subprocess
import sys


def cumulative_import_us(python: str, module: str) -> int:
    """Microseconds CPython reports for importing `module` and everything it pulled in."""
    result = subprocess.run([python, "-X", "importtime", "-c", f"import {module}"], capture_output=True, text=True, check=True)
    for line in result.stderr.splitlines():
        # "import time:      self [us] |  cumulative | imported package"
        parts = [part.strip() for part in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1])
    raise RuntimeError(f"{python}: no import-time line for {module}:\n{result.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--python", action="append", default=None, help="interpreter to measure (repeatable)")
    options = parser.parse_args()
    print("| interpreter | import json (median) | import importspy (median) | ratio | under 5 ms |")
    print("|---|---|---|---|---|")
    for python in options.python or [sys.executable]:
        version = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True,
                                 check=True).stdout.strip()
        json_us, importspy_us = [], []
        for _ in range(options.runs):  # interleaved, so both see the same machine load
            json_us.append(cumulative_import_us(python, "json"))
            importspy_us.append(cumulative_import_us(python, "importspy"))
        j, i = statistics.median(json_us), statistics.median(importspy_us)
        print(f"| CPython {version} | {j / 1000:.2f} ms | {i / 1000:.2f} ms | {i / j:.2f}x | {'yes' if i < 5000 else 'NO'} |")


if __name__ == "__main__":
    main()
