"""Import rules at scale: ImportSpy's forbidden-import rule against import-linter's equivalent contract,
side by side on one generated package of 3,000 modules.

Run: .venv/bin/python bench/import_rules_bench.py [--modules 3000] [--repeat 3]
import-linter is installed once into bench/.venv-importlinter (`pip install import-linter`).

The package `bigpkg` has 30 subpackages of 100 modules; each module imports three earlier modules of the
package and two of the standard library. `bigpkg.p29` is forbidden to every other subpackage, and a few
modules (one in 500) import it anyway. Equivalent contracts:
  ImportSpy     `imports: {forbidden: [bigpkg.p29]}`, `importspy check --package bigpkg` (one process:
                 every module read, the graph built, each module checked; p29's modules import none of it);
  import-linter a `forbidden` contract, source_modules bigpkg.p00 ... p28, forbidden_modules bigpkg.p29,
                 allow_indirect_imports = True (direct imports only, as ImportSpy's rule), --no-cache.
Both must report the same importing modules; wall time per run (best of --repeat), and the ratio.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
LINTER_VENV = BENCH / ".venv-importlinter"
SUBPACKAGES = 30


def linter_bin() -> Path:
    lint = LINTER_VENV / "bin" / "lint-imports"
    if not lint.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LINTER_VENV)], check=True)
        subprocess.run([str(LINTER_VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", "import-linter"], check=True)
    return lint


def generate(root: Path, modules: int, seed: int = 15) -> set[str]:
    """Writes bigpkg under root; returns the modules that import the forbidden subpackage."""
    rng = random.Random(seed)
    per = modules // SUBPACKAGES
    names = [f"bigpkg.p{s:02}.m{m:03}" for s in range(SUBPACKAGES) for m in range(per)]
    (root / "bigpkg").mkdir()
    (root / "bigpkg" / "__init__.py").write_text("")
    for s in range(SUBPACKAGES):
        (root / "bigpkg" / f"p{s:02}").mkdir()
        (root / "bigpkg" / f"p{s:02}" / "__init__.py").write_text("")
    offenders = set()
    stdlib = ["os", "json", "re", "typing", "collections", "functools", "itertools", "pathlib"]
    for index, name in enumerate(names):
        sub = int(name.split(".")[1][1:])
        lines = [f"import {m}" for m in rng.sample(stdlib, 2)]
        if sub < SUBPACKAGES - 1:
            earlier = [n for n in names[max(0, index - 300):index] if not n.startswith(f"bigpkg.p{SUBPACKAGES - 1:02}")]
            for target in rng.sample(earlier, min(3, len(earlier))):
                package, module = target.rsplit(".", 1)
                lines.append(f"from {package} import {module}")
            if index % 500 == 7:
                lines.append(f"from bigpkg.p{SUBPACKAGES - 1:02} import m{rng.randrange(per):03}")
                offenders.add(name)
        lines += ["", "", "def run(value):", "    return value", ""]
        path = root / Path(*name.split(".")).with_suffix(".py")
        path.write_text("\n".join(lines))
    return offenders


def best_of(repeat: int, command: list[str], cwd: Path, env: dict) -> tuple[float, subprocess.CompletedProcess]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lint = linter_bin()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        offenders = generate(root, args.modules)
        forbidden = f"bigpkg.p{SUBPACKAGES - 1:02}"
        (root / "rules.yml").write_text(f"imports:\n  forbidden: [{forbidden}]\n")
        sources = [f"bigpkg.p{s:02}" for s in range(SUBPACKAGES - 1)]
        (root / ".importlinter").write_text(
            "[importlinter]\nroot_package = bigpkg\n\n[importlinter:contract:forbidden]\nname = p29 is forbidden\ntype = forbidden\n"
            "source_modules =\n" + "".join(f"    {s}\n" for s in sources) + f"forbidden_modules =\n    {forbidden}\nallow_indirect_imports = True\n")
        env = dict(os.environ, PYTHONPATH=str(root))

        # One process over the whole package: the rule on every module (p29's modules import none of it).
        importspy_command = [sys.executable, "-m", "importspy", "check", "--package", "bigpkg", "-s", "rules.yml", "--format", "json", "--no-cache"]
        importspy_time, result = best_of(args.repeat, importspy_command, root, env)
        if result.returncode not in (0, 1):
            raise SystemExit(f"importspy failed: {result.stderr}")
        document = json.loads(result.stdout)
        importspy_found = {t["target"] for t in document["targets"] if any(v["code"] == "import-forbidden" for v in t.get("violations", []))}
        checked = len(document["targets"])

        linter_time, linter = best_of(args.repeat, [str(lint), "--no-cache"], root, env)
        if linter.returncode not in (0, 1):
            raise SystemExit(f"lint-imports failed: {linter.stdout}{linter.stderr}")
        linter_found = set(re.findall(r"^-\s+(bigpkg\S+) -> " + re.escape(forbidden), linter.stdout, re.M))

    print(f"package: {args.modules} modules ({checked} checked by ImportSpy), forbidden {forbidden}, {len(offenders)} planted offenders")
    print(f"ImportSpy     importspy check --package bigpkg   {importspy_time:7.3f} s  found {len(importspy_found)}")
    print(f"import-linter lint-imports --no-cache            {linter_time:7.3f} s  found {len(linter_found)}")
    agree = importspy_found == offenders == linter_found
    print(f"same offenders: {agree}")
    print(f"ratio (import-linter time / ImportSpy time): {linter_time / importspy_time:.2f}x")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
