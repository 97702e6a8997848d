"""Embedded validation: this package against a plain import and against the original ImportSpy.

Run: .venv/bin/python bench/embedded_bench.py   (after scripts/python-env.sh)
The original ImportSpy (pinned below) is installed into bench/.venv-reference on first use. Every
figure is the best of several repetitions measured in this one run; compare the ratios, not the
absolute times (the machine is shared).
"""

import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
import venv
from pathlib import Path

REFERENCE_VERSION = "0.4.12"
HERE = Path(__file__).resolve().parent
REFERENCE_VENV = HERE / ".venv-reference"
FIXTURES = HERE / "fixtures"


def reference_python() -> Path:
    python = REFERENCE_VENV / "bin" / "python"
    if not python.exists():
        venv.create(REFERENCE_VENV, with_pip=True)
    probe = subprocess.run([python, "-c", "import importlib.metadata as m; print(m.version('importspy'))"], capture_output=True, text=True)
    if probe.stdout.strip() != REFERENCE_VERSION:
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"importspy=={REFERENCE_VERSION}"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return python


def make_project(root: Path) -> None:
    body = (FIXTURES / "plugin_body.py.txt").read_text()
    template = (FIXTURES / "contract.yml.txt").read_text()
    version = ".".join(map(str, sys.version_info[:3]))
    machine = platform.machine().lower()
    system = {"linux": "linux", "darwin": "darwin", "win32": "windows"}[sys.platform]
    for name in ("plugin", "plugin_plain"):
        (root / f"{name}.yml").write_text(template.format(filename=f"{name}.py", arch=machine, os=system, python=version))
    (root / "plugin_base.py").write_text("from importspy import Spy\n\nclass Plugin:\n    pass\n\nSpy().importspy(filepath='plugin.yml')\n")
    (root / "plugin_base_plain.py").write_text("class Plugin:\n    pass\n")
    # `_repeat(n)`: the same import statement n times in one module, as a function that imports lazily
    # does: once the importer is validated, each costs the check of a name and of the file's stamp.
    repeat = "\n\ndef _repeat(n):\n    for _ in range(n):\n        from {base} import Plugin\n"
    (root / "plugin.py").write_text("from plugin_base import Plugin\n\n" + body + repeat.format(base="plugin_base"))
    (root / "plugin_plain.py").write_text("from plugin_base_plain import Plugin\n\n" + body + repeat.format(base="plugin_base_plain"))
    # The same validation, repeated inside one real import (the importer is mid-import, as in use):
    # times the Spy call alone, without re-executing and re-compiling the modules around it.
    (root / "plugin_loop.yml").write_text(template.format(filename="plugin_loop.py", arch=machine, os=system, python=version))
    (root / "plugin_base_loop.py").write_text(textwrap.dedent("""
        import os, time
        import importspy
        from importspy import Spy

        class Plugin:
            pass

        def _per_call(cold, calls):
            spy = Spy()
            spy.importspy(filepath="plugin_loop.yml")
            best = float("inf")
            for _ in range(5):
                start = time.perf_counter()
                for _ in range(calls):
                    if cold:
                        importspy._engine.clear_caches()
                    spy.importspy(filepath="plugin_loop.yml")
                best = min(best, (time.perf_counter() - start) / calls * 1e6)
            return best

        WARM_US = _per_call(False, 2000)
        COLD_US = _per_call(True, 200)
    """))
    (root / "plugin_loop.py").write_text("from plugin_base_loop import Plugin\n\n" + body)
    # Dated an hour back, as deployed files are: a file modified in the last two seconds is read again on
    # every check (a stamp inside one timestamp tick cannot be trusted), which is not the warm path.
    past = time.time() - 3600
    for path in root.iterdir():
        os.utime(path, (past, past))


# Runs inside the interpreter being measured; prints one JSON object of microsecond figures.
MEASURE = textwrap.dedent(
    r'''
    import json, sys, time
    sys.path.insert(0, sys.argv[1])
    ours = sys.argv[2] == "ours"
    import importspy
    from importspy import Spy

    def best(function, rounds=7, per_round=200):
        function()
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            for _ in range(per_round):
                function()
            times.append((time.perf_counter() - start) / per_round * 1e6)
        return min(times)

    def reimport(*names):
        for name in names:
            sys.modules.pop(name, None)
        __import__(names[0])

    def per_statement(module, n=2000):
        return best(lambda: module._repeat(n), rounds=7, per_round=1) / n

    figures = {}
    import plugin_plain
    figures["plain_import"] = best(lambda: reimport("plugin_plain", "plugin_base_plain"))
    # A cached import statement of an unprotected module, before any protected module exists: the cost
    # of `from x import y` itself (ImportSpy 0.4 adds nothing to it: it never checks an importer twice).
    figures["repeat_plain_before"] = per_statement(plugin_plain)
    per_call = 20 if not ours else 200
    figures["info_module_warm"] = best(lambda: Spy().importspy(filepath="plugin_plain.yml", info_module=plugin_plain), per_round=per_call)
    if ours:
        figures["embedded_import_warm"] = best(lambda: reimport("plugin", "plugin_base"))
        import plugin_loop
        plugin_base_loop = sys.modules["plugin_base_loop"]  # an import statement here would check this script too
        figures["embedded_validation_warm"] = plugin_base_loop.WARM_US
        figures["embedded_validation_cold"] = plugin_base_loop.COLD_US
        figures["check_static"] = best(lambda: importspy.check("plugin_plain.py", "plugin_plain.yml"))
        # Every importer is checked: the hook is in front of builtins.__import__ now.
        import plugin
        figures["repeat_plain_after"] = per_statement(plugin_plain)   # an unrelated import statement
        figures["repeat_checked"] = per_statement(plugin)             # a validated importer, again
        # A new importer each time, caches warm (contract compiled, its source parsed): a fresh module
        # namespace runs the import statement, and is validated in full. Minus the same with the plain base.
        template = {k: v for k, v in vars(plugin).items() if k != "__builtins__"}
        checked_code = compile("from plugin_base import Plugin", plugin.__file__, "exec")
        plain_code = compile("from plugin_base_plain import Plugin", plugin.__file__, "exec")
        figures["new_importer_checked"] = best(lambda: exec(checked_code, dict(template)), per_round=100)
        figures["new_importer_plain"] = best(lambda: exec(plain_code, dict(template)), per_round=100)
        # The least any check written in Python could do: walk the importer's namespace for the names and
        # values the contract lists (no signatures, annotations, bases or environment).
        import yaml
        contract = yaml.safe_load(open("plugin.yml").read().split("deployments:")[0])
        def dict_walk(namespace):
            for variable in contract.get("variables", []):
                if namespace.get(variable["name"]) != variable.get("value"):
                    raise ValueError(variable["name"])
            for function in contract.get("functions", []):
                if not callable(namespace.get(function["name"])):
                    raise ValueError(function["name"])
            for cls in contract.get("classes", []):
                found = namespace.get(cls["name"])
                if not isinstance(found, type) or any(m["name"] not in vars(found) for m in cls.get("methods", [])):
                    raise ValueError(cls["name"])
        namespace = dict(template)
        figures["dict_walk"] = best(lambda: dict_walk(namespace), per_round=2000)
    print(json.dumps(figures))
    '''
)


def measure(python: Path, project: Path, which: str) -> dict:
    result = subprocess.run([python, "-c", MEASURE, str(project), which], cwd=project, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{which} measurement failed:\n{result.stderr}")
    return json.loads(result.stdout)


def import_time(python: Path, rounds: int = 15) -> float:
    """Milliseconds for `import importspy` in a fresh interpreter, minus the interpreter's own start."""
    def run(code: str) -> float:
        samples = []
        for _ in range(rounds):
            out = subprocess.run([python, "-c", f"import time; s=time.perf_counter(); {code}; print(time.perf_counter()-s)"],
                                 capture_output=True, text=True, check=True)
            samples.append(float(out.stdout) * 1e3)
        return min(samples)
    return run("import importspy")


def main() -> None:
    reference = reference_python()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        make_project(project)
        ours = measure(Path(sys.executable), project, "ours")
        theirs = measure(reference, project, "reference")
    ours_import, theirs_import = import_time(Path(sys.executable)), import_time(reference)

    plain = ours["plain_import"]
    rows = [
        ("plain import of the plugin and its base module (no validation)", f"{plain:.1f} µs", f"{theirs['plain_import']:.1f} µs", "1.00× (reference)"),
        ("embedded validation (Spy call mid-import), warm: contract and source cached", f"{ours['embedded_validation_warm']:.1f} µs", "—",
         f"{ours['embedded_validation_warm'] / plain:.2f}× a plain import"),
        ("embedded validation, cold (caches cleared in the process): contract read compiled from the per-user cache, importer parsed", f"{ours['embedded_validation_cold']:.1f} µs", "—",
         f"{ours['embedded_validation_cold'] / plain:.2f}× a plain import"),
        ("import of the plugin with embedded validation, warm", f"{ours['embedded_import_warm']:.1f} µs", "—", f"{ours['embedded_import_warm'] / plain:.2f}× a plain import"),
        ("Spy().importspy(info_module=plugin), warm", f"{ours['info_module_warm']:.1f} µs", f"{theirs['info_module_warm']:.1f} µs",
         f"{theirs['info_module_warm'] / ours['info_module_warm']:.0f}× faster"),
        ("importspy.check(path) static, warm", f"{ours['check_static']:.1f} µs", "—", "—"),
        ("`import importspy` (fresh interpreter)", f"{ours_import:.2f} ms", f"{theirs_import:.2f} ms", f"{theirs_import / ours_import:.0f}× faster"),
    ]
    check_us = ours["new_importer_checked"] - ours["new_importer_plain"]
    repeat_us = ours["repeat_checked"] - ours["repeat_plain_after"]
    rows += [
        ("cached `from base import Plugin`, no protected module (ImportSpy 0.4: the same, it checks no later importer)",
         f"{ours['repeat_plain_before'] * 1e3:.0f} ns", f"{theirs['repeat_plain_before'] * 1e3:.0f} ns", "1.00× (reference)"),
        ("the same statement, unrelated module, once Spy put its check in front of `__import__`", f"{ours['repeat_plain_after'] * 1e3:.0f} ns", "—",
         f"{ours['repeat_plain_after'] / theirs['repeat_plain_before']:.2f}× ImportSpy 0.4's"),
        ("the same statement naming the protected module, importer already validated (repeat importer)", f"{ours['repeat_checked'] * 1e3:.0f} ns",
         "—", f"+{repeat_us * 1e3:.0f} ns; {ours['repeat_checked'] / theirs['repeat_plain_before']:.2f}× ImportSpy 0.4's"),
        ("check of a new importer, warm (its statement minus the same statement on the plain base)", f"{check_us:.1f} µs", "—",
         f"{check_us / ours['dict_walk']:.1f}× a plain dict walk; {theirs['info_module_warm'] / check_us:.0f}× faster than 0.4's validation"),
        ("plain dict walk of the importer's namespace for the contract's names and values (Python)", f"{ours['dict_walk']:.2f} µs", "—", "—"),
    ]
    print(f"Python {platform.python_version()} on {platform.machine()} {sys.platform}; original ImportSpy {REFERENCE_VERSION}\n")
    print("| measure | this package | ImportSpy | ratio |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
