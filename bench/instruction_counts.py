"""Instructions per warm embedded path (valgrind callgrind), against committed baselines: the overhead guard.

    python bench/instruction_counts.py             # measure, print the table, exit 1 when a path regressed
    python bench/instruction_counts.py --update    # write this CPython's figures as the new baselines

Each path runs in its own program under callgrind twice: with the path repeated N times after one warm-up
call, and with the same program repeating it 0 times. The difference divided by N is the path's own count:
interpreter start-up, imports and the cold first call cancel out, and an instruction count does not depend
on the machine's load. PYTHONHASHSEED is fixed and every file is dated an hour back (a file modified in the
last two seconds is read again by the caches, by design), so two runs agree to a fraction of a percent.

Baselines (bench/instruction_baselines.json) are per CPython minor version, and per build of the engine
(`3.12` for the version-specific wheel, `3.12-abi3` for the stable-ABI one), on x86_64 (other machines'
keys name the machine, `3.11-aarch64`, and have no baselines yet): a path fails when its count
rises more than 10 % above its baseline. Updating a baseline is a deliberate commit that says why.
tests/python/test_instruction_guard.py runs this on the CPython versions that have baselines.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
BASELINES = HERE / "instruction_baselines.json"
TOLERANCE = 0.10  # a path fails above baseline * (1 + TOLERANCE)

# Every program: argv[1] the project folder, argv[2] how many times to repeat the path. Each runs its path
# once before counting (the cold call), so that the repeated calls are the warm path.
PROGRAMS = {
    # Spy called inside a real import (the importer mid-import), again and again in that one import.
    "spy_mid_import": (
        "Spy mid-import, warm",
        200,
        """
        import sys
        sys.path.insert(0, sys.argv[1])
        import mid_importer
        """,
    ),
    # Spy().importspy(info_module=...) of an imported module, from a script beside the contract.
    "spy_info_module": (
        "Spy(info_module=...), warm",
        200,
        """
        import sys
        sys.path.insert(0, sys.argv[1])
        import plugin_plain
        from importspy import Spy
        spy = Spy()
        spy.importspy(filepath="plugin_plain.yml", info_module=plugin_plain)
        for _ in range(int(sys.argv[2])):
            spy.importspy(filepath="plugin_plain.yml", info_module=plugin_plain)
        """,
    ),
    # A new importer (a fresh namespace of the plugin's names) runs the import statement of the protected
    # module: validated in full, from warm caches.
    "new_importer": (
        "new importer, warm",
        200,
        """
        import sys
        sys.path.insert(0, sys.argv[1])
        import plugin
        template = {k: v for k, v in vars(plugin).items() if k != "__builtins__"}
        code = compile("from plugin_base import Plugin", plugin.__file__, "exec")
        exec(code, dict(template))
        for _ in range(int(sys.argv[2])):
            exec(code, dict(template))
        """,
    ),
    # A validated importer runs the import statement again (a function that imports lazily).
    "repeat_importer": (
        "repeat importer (one import statement)",
        2000,
        """
        import sys
        sys.path.insert(0, sys.argv[1])
        import plugin
        plugin._repeat(1)
        plugin._repeat(int(sys.argv[2]))
        """,
    ),
    # The same statement in a program where no module is protected: what the repeat importer adds to.
    "plain_cached_import": (
        "plain cached import statement (reference)",
        2000,
        """
        import sys
        sys.path.insert(0, sys.argv[1])
        import plugin_plain
        plugin_plain._repeat(1)
        plugin_plain._repeat(int(sys.argv[2]))
        """,
    ),
    # `import importspy` in a fresh interpreter.
    "import_importspy": (
        "import importspy (fresh interpreter)",
        1,
        """
        import sys
        if int(sys.argv[2]):
            import importspy
        """,
    ),
    # The cold path: in a fresh interpreter, `import plugin` (its base calls Spy: the contract read compiled
    # from the per-user cache, the importer read and checked in full) against `import plugin_plain`.
    # Their difference is what the first check of a protected module adds to the import it guards.
    # Both cold programs run with the cyclic garbage collector off and end with os._exit: a single run
    # counts whole collections and the interpreter's teardown, which land in one program and not the other
    # by where the allocation counters stand (on CPython 3.12 they made the same check count 1.46x the
    # plain import instead of 0.89x); the check's own work stays counted whole.
    "cold_check": (
        "cold check (fresh interpreter, compiled contract stored)",
        1,
        """
        import gc
        gc.disable()
        import os, sys
        sys.path.insert(0, sys.argv[1])
        import importspy
        if int(sys.argv[2]):
            import plugin
        else:
            import plugin_plain
        os._exit(0)
        """,
    ),
    # The import the cold check guards: both modules, no validation, from their bytecode caches.
    "cold_plain_import": (
        "plain import in a fresh interpreter (reference)",
        1,
        """
        import gc
        gc.disable()
        import os, sys
        sys.path.insert(0, sys.argv[1])
        import importspy
        if int(sys.argv[2]):
            import plugin_plain
        os._exit(0)
        """,
    ),
    # A module no rule matches, imported with the import hook installed (a pattern covering a package).
    "unmatched_import_hooked": (
        "unmatched import under the import hook",
        100,
        """
        import importlib, sys
        sys.path.insert(0, sys.argv[1])
        import importspy
        importspy.install({"plugins.*": "plugin.yml", "exporters.*": "plugin.yml", "vendor.special": "plugin.yml"})
        importlib.import_module("unmatched.m000")
        for i in range(1, 1 + int(sys.argv[2])):
            importlib.import_module(f"unmatched.m{i:03}")
        """,
    ),
    # The same imports without the hook (reference for the one above).
    "unmatched_import_plain": (
        "unmatched import, no hook (reference)",
        100,
        """
        import importlib, sys
        sys.path.insert(0, sys.argv[1])
        import importspy
        importlib.import_module("unmatched.m000")
        for i in range(1, 1 + int(sys.argv[2])):
            importlib.import_module(f"unmatched.m{i:03}")
        """,
    ),
}

# Ratios the paths must keep to their references, whatever the baselines: a repeat importer at most 1.5x a
# plain cached import statement; a cold check at most the plain import it guards; an unmatched import at most 2 % dearer with the import hook installed.
RATIOS = [("repeat_importer", "plain_cached_import", "repeat importer / plain cached import", 1.5),
          ("cold_check", "cold_plain_import", "cold check / the plain import it guards", 1.0),
          ("unmatched_import_hooked", "unmatched_import_plain", "unmatched import, hook / no hook", 1.02)]


def make_project(root: Path) -> None:
    body = (FIXTURES / "plugin_body.py.txt").read_text()
    template = (FIXTURES / "contract.yml.txt").read_text()
    version = ".".join(map(str, sys.version_info[:3]))
    system = {"linux": "linux", "darwin": "darwin", "win32": "windows"}[sys.platform]
    for name in ("plugin", "plugin_plain", "mid_importer"):
        (root / f"{name}.yml").write_text(template.format(filename=f"{name}.py", arch=platform.machine().lower(), os=system, python=version))
    repeat = "\n\ndef _repeat(n):\n    for _ in range(n):\n        from {base} import Plugin\n"
    (root / "plugin_base.py").write_text("from importspy import Spy\n\nclass Plugin:\n    pass\n\nSpy().importspy(filepath='plugin.yml')\n")
    (root / "plugin_base_plain.py").write_text("class Plugin:\n    pass\n")
    (root / "plugin.py").write_text("from plugin_base import Plugin\n\n" + body + repeat.format(base="plugin_base"))
    (root / "plugin_plain.py").write_text("from plugin_base_plain import Plugin\n\n" + body + repeat.format(base="plugin_base_plain"))
    (root / "mid_base.py").write_text(textwrap.dedent("""
        import sys
        from importspy import Spy

        class Plugin:
            pass

        spy = Spy()
        spy.importspy(filepath="mid_importer.yml")
        for _ in range(int(sys.argv[2])):
            spy.importspy(filepath="mid_importer.yml")
    """))
    (root / "mid_importer.py").write_text("from mid_base import Plugin\n\n" + body)
    (root / "unmatched").mkdir()
    (root / "unmatched" / "__init__.py").write_text("")
    for i in range(201):
        (root / "unmatched" / f"m{i:03}.py").write_text(f"VALUE = {i}\n\ndef f(x):\n    return x + {i}\n\nclass C:\n    pass\n")
    for name, (_, _, program) in PROGRAMS.items():
        (root / f"run_{name}.py").write_text(textwrap.dedent(program))
    # Dated an hour back: the caches trust a file's stamp only once it is two seconds old.
    past = time.time() - 3600
    for path in root.rglob("*"):
        os.utime(path, (past, past))


def environment(root: Path) -> dict:
    """A fixed, minimal environment: the counts do not depend on what the caller's shell or test runner set.
    The per-user cache (compiled contracts, its key) is the project's own: written by the first runs."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "TMPDIR") if k in os.environ}
    env.update({"PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8", "XDG_CACHE_HOME": str(root / "user-cache")})
    return env


def instructions(root: Path, name: str, repeat: int) -> int:
    """Instructions the program executes in all (callgrind's total): exact, whatever the machine's load."""
    out = root / f"callgrind.{name}.{repeat}"
    result = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, str(root / f"run_{name}.py"), str(root),
                             str(repeat)], cwd=root, env=environment(root), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{name} (x{repeat}) failed under valgrind:\n{result.stderr[-3000:]}")
    for line in out.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise RuntimeError(f"no instruction total in {out}")


def measure(names: list[str] | None = None, jobs: int = 2) -> dict[str, int]:
    """Instructions per run of each path (default: every path)."""
    names = names or list(PROGRAMS)
    with tempfile.TemporaryDirectory(prefix="importspy-instructions-") as folder:
        # Each path in its own project and per-user cache: two programs counted at once never share a
        # bytecode cache or a cache entry. Sharing them made the cold check on CPython 3.13 count 451 k
        # instructions instead of 389 k in some full runs (never with one job, or with the cold paths alone).
        roots = {name: Path(folder) / name for name in names}
        for name, root in roots.items():
            root.mkdir()
            make_project(root)
            # Bytecode caches (and the compiled contracts) written first, outside the count (as in production,
            # where they exist). Both counts of each program: the two runs of a cold path import different modules.
            for repeat in (0, PROGRAMS[name][1]):
                subprocess.run([sys.executable, str(root / f"run_{name}.py"), str(root), str(repeat)], cwd=root, env=environment(root), check=True,
                               capture_output=True)
        runs = [(name, repeat) for name in names for repeat in (0, PROGRAMS[name][1])]
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            totals = dict(zip(runs, pool.map(lambda run: instructions(roots[run[0]], *run), runs)))
    return {name: round((totals[name, PROGRAMS[name][1]] - totals[name, 0]) / PROGRAMS[name][1]) for name in names}


def minor_version() -> str:
    """The baselines' key: the CPython minor version, with `-abi3` for the stable-ABI build of the engine
    (slower on the warm paths, docs/platforms.md): each build is guarded against its own figures. Counts
    are of one instruction set: the committed ones are x86_64's, and another machine's key names it
    (`3.11-aarch64`), so an aarch64 run is never held to x86_64 figures."""
    spec = importlib.util.find_spec("importspy")
    folder = Path(spec.origin).parent if spec and spec.origin else None
    stable_abi = folder is not None and any(folder.glob("_engine.abi3.*"))
    machine = platform.machine().lower()
    on_other_machine = machine not in ("x86_64", "amd64")
    return "%d.%d" % sys.version_info[:2] + ("-abi3" if stable_abi else "") + (f"-{machine}" if on_other_machine else "")


def load_baselines() -> dict[str, int]:
    if not BASELINES.exists():
        return {}
    return json.loads(BASELINES.read_text()).get("cpython", {}).get(minor_version(), {}).get("instructions", {})


def table(counts: dict[str, int], baselines: dict[str, int]) -> tuple[str, list[str]]:
    """The table of counts against baselines, and the paths that regressed."""
    lines = [f"Instructions per warm path, CPython {platform.python_version()} (callgrind; fails above baseline +{TOLERANCE:.0%})", "",
             "| path | instructions | baseline | change | verdict |", "|---|---:|---:|---:|---|"]
    failed = []
    for name, count in counts.items():
        baseline = baselines.get(name)
        if baseline is None:
            lines.append(f"| {PROGRAMS[name][0]} | {count:,} | — | — | no baseline |")
            continue
        change = count / baseline - 1
        verdict = "ok" if count <= baseline * (1 + TOLERANCE) else "REGRESSED"
        if verdict != "ok":
            failed.append(name)
        lines.append(f"| {PROGRAMS[name][0]} | {count:,} | {baseline:,} | {change:+.1%} | {verdict} |")
    lines.append("")
    for path, reference, label, limit in RATIOS:
        if path in counts and reference in counts:
            ratio = counts[path] / counts[reference]
            if ratio > limit:
                failed.append(f"{path}/{reference}")
            lines.append(f"{label}: {ratio:.3f}x (at most {limit}x: {'ok' if ratio <= limit else 'EXCEEDED'})")
    return "\n".join(lines), failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="write the measured counts as this CPython's baselines")
    parser.add_argument("--path", action="append", choices=list(PROGRAMS), help="measure only this path (repeatable)")
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    if not shutil.which("valgrind"):
        print("valgrind is not installed (scripts/bootstrap.sh --packages-only installs it)", file=sys.stderr)
        return 2
    counts = measure(options.path, options.jobs)
    text, failed = table(counts, load_baselines())
    print(text)
    if options.update:
        data = json.loads(BASELINES.read_text()) if BASELINES.exists() else {"cpython": {}}
        entry = data["cpython"].setdefault(minor_version(), {"instructions": {}})
        entry["interpreter"] = platform.python_version()
        entry["instructions"].update(counts)
        BASELINES.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
        print(f"\nbaselines for CPython {minor_version()} written to {BASELINES.relative_to(HERE.parent)}")
        return 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
