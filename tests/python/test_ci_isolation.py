"""CI mode never runs a line of the checked tree, at
any target count or -j; static checks run on threads of the one process (no worker process, no request
or result file anywhere). Real CLI."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

CONTRACT = "variables:\n  - name: api_level\n    value: 2\n"
PLANTED = ("importspy.py", "functools.py", "sitecustomize.py", "usercustomize.py", "json.py", "tempfile.py", "subprocess.py")


def console_script() -> Path:
    return Path(sys.executable).parent / "importspy"


def planted_tree(root: Path, count: int) -> Path:
    """A checked folder with `count` plugins and, beside them, modules that record it when they run."""
    tree = root / "tree"
    tree.mkdir()
    (root / "contract.yml").write_text(CONTRACT)
    for i in range(count):
        (tree / f"plugin_{i:03}.py").write_text("api_level = 2\n")
    for name in PLANTED:
        (tree / name).write_text(f"open({str(root / ('ran-' + name))!r}, 'w').close()\n")
    (tree / "evil.pth").write_text(f"import os; open({str(root / 'ran-evil.pth')!r}, 'w').close()\n")
    return tree


def check(tree: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
    environment.update(env or {})
    return subprocess.run([str(console_script()), "check", ".", "-s", "../contract.yml", "--no-cache", "--format", "json", *args],
                          cwd=tree, env=environment, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("count,jobs", [(3, 1), (200, 2), (200, 4)])
def test_nothing_planted_in_the_checked_tree_runs_at_any_target_count(tmp_path, count, jobs):
    tree = planted_tree(tmp_path, count)
    result = check(tree, "-j", str(jobs))
    assert sorted(p.name for p in tmp_path.glob("ran-*")) == [], result.stderr
    assert result.returncode == 1, result.stderr  # the planted files themselves break the contract
    assert json.loads(result.stdout)["summary"]["targets"] == count + len(PLANTED)


@pytest.mark.parametrize("jobs", [1, 4])
def test_no_module_is_imported_from_the_checked_tree_on_pythonpath_to_run_in_parallel(tmp_path, jobs):
    # CI jobs often set PYTHONPATH to the repository. Whatever Python itself imports at start-up from there
    # is the job's own choice; but the check must not import anything more from it: parallel checks are
    # C++ threads, which need no `subprocess`, `tempfile` or `selectors` module.
    tree = tmp_path / "tree"
    tree.mkdir()
    (tmp_path / "contract.yml").write_text(CONTRACT)
    for i in range(200):
        (tree / f"plugin_{i:03}.py").write_text("api_level = 2\n")
    for name in ("subprocess.py", "tempfile.py", "selectors.py"):
        (tree / name).write_text(f"open({str(tmp_path / ('ran-' + name))!r}, 'w').close()\n")
    result = check(tree, "-j", str(jobs), env={"PYTHONPATH": str(tree)})
    assert sorted(p.name for p in tmp_path.glob("ran-*")) == [], result.stderr
    assert result.returncode == 1 and json.loads(result.stdout)["summary"]["targets"] == 203, result.stderr


@pytest.mark.parametrize("jobs", ["2", "3", "4"])
def test_a_parallel_run_reports_every_target_as_a_single_thread_run_does(tmp_path, jobs):
    tree = planted_tree(tmp_path, 200)
    (tree / "plugin_150.py").write_text("api_level = 3\n")
    single, parallel = check(tree, "-j", "1"), check(tree, "-j", jobs)
    assert parallel.stdout == single.stdout and parallel.returncode == single.returncode == 1
    assert "plugin_150.py" in parallel.stdout


def test_a_parallel_run_leaves_nothing_in_the_shared_temporary_folder(tmp_path):
    # Results stay in the process's memory: no file another local user could read, replace or forge.
    tree = planted_tree(tmp_path, 260)
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    seen, stop = set(), threading.Event()

    def watch():
        while not stop.is_set():
            seen.update(os.listdir(shared))
            time.sleep(0.0005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        result = check(tree, "-j", "4", env={"TMPDIR": str(shared)})
    finally:
        stop.set()
        watcher.join()
    assert result.returncode == 1, result.stderr
    assert seen == set()


def test_compiled_modules_in_a_checked_folder_are_reported_as_unverifiable_unless_pinned(tmp_path):
    import hashlib
    import py_compile

    tree = tmp_path / "tree"
    (tree / "plugins").mkdir(parents=True)
    (tmp_path / "contract.yml").write_text(CONTRACT)
    (tree / "plugins" / "a.py").write_text("api_level = 2\n")
    # An extension wins over a .py of the same name when Python imports it: it is what would run.
    (tree / "plugins" / "a.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x7fELF compiled")
    (tmp_path / "b_src.py").write_text("api_level = 2\n")
    py_compile.compile(str(tmp_path / "b_src.py"), cfile=str(tree / "plugins" / "b.pyc"))
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}

    def run(contract, form):
        return subprocess.run([str(console_script()), "check", "plugins", "-s", str(contract), "--no-cache", "--format", form],
                              cwd=tree, env=environment, capture_output=True, text=True, timeout=120)

    result = run(tmp_path / "contract.yml", "json")
    assert result.returncode == 1, result.stderr
    targets = {t["target"]: t for t in json.loads(result.stdout)["targets"]}
    assert sorted(targets) == ["plugins/a.cpython-311-x86_64-linux-gnu.so", "plugins/a.py", "plugins/b.pyc"]
    for name in ("plugins/a.cpython-311-x86_64-linux-gnu.so", "plugins/b.pyc"):
        assert [v["code"] for v in targets[name]["violations"]] == ["module-unverifiable"], targets[name]
    assert targets["plugins/a.py"]["ok"]
    for form in ("sarif", "junit", "text"):
        assert "module-unverifiable" in run(tmp_path / "contract.yml", form).stdout, form

    digest = hashlib.sha256((tree / "plugins" / "b.pyc").read_bytes()).hexdigest()
    (tmp_path / "pinned.yml").write_text(f"integrity:\n  sha256: {digest}\n")
    pinned = json.loads(run(tmp_path / "pinned.yml", "json").stdout)
    verdicts = {t["target"]: [v["code"] for v in t["violations"]] for t in pinned["targets"]}
    assert verdicts["plugins/b.pyc"] == [] and verdicts["plugins/a.cpython-311-x86_64-linux-gnu.so"] == ["integrity-mismatch"]


def test_dotted_names_checked_in_parallel_are_located_and_reported_in_order(tmp_path):
    # Dotted names are located on sys.path by the main thread (nothing imported), then read on threads.
    (tmp_path / "contract.yml").write_text(CONTRACT)
    package = tmp_path / "site" / "many"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for i in range(140):
        (package / f"m{i:03}.py").write_text(f"api_level = {3 if i == 139 else 2}\n")
    names = [f"many.m{i:03}" for i in range(140)]
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment["PYTHONPATH"] = str(tmp_path / "site")

    def run(jobs):
        return subprocess.run([sys.executable, "-m", "importspy", "check", *names, "-s", str(tmp_path / "contract.yml"), "--no-cache",
                               "--format", "json", "-j", jobs], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=300)

    single, parallel = run("1"), run("3")
    assert parallel.returncode == single.returncode == 1, parallel.stderr
    assert parallel.stdout == single.stdout
    targets = json.loads(parallel.stdout)["targets"]
    assert [t["target"] for t in targets] == names and all(t["file"].endswith(f"{t['target'][5:]}.py") for t in targets)
    assert [t["target"] for t in targets if not t["ok"]] == ["many.m139"]


def test_no_worker_process_is_started(tmp_path):
    # Parallel static checks are threads: while the check runs, the process has no child at all (read
    # from /proc by a watcher thread, which runs while the engine has released the GIL).
    tree = planted_tree(tmp_path, 400)
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import glob, sys, threading\n"
        "children, stop = set(), threading.Event()\n"
        "def watch():\n"
        "    while not stop.is_set():\n"
        "        for name in glob.glob('/proc/self/task/*/children'):\n"
        "            children.update(open(name).read().split())\n"
        "watcher = threading.Thread(target=watch)\n"
        "watcher.start()\n"
        "from importspy._engine import run_cli\n"
        "status = run_cli(sys.argv[1:])\n"
        "stop.set()\n"
        "watcher.join()\n"
        "print('CHILDREN', sorted(children), file=sys.stderr)\n"
        "raise SystemExit(status)\n")
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
    result = subprocess.run([sys.executable, "-I", str(probe), "check", ".", "-s", "../contract.yml", "--no-cache", "--format", "json", "-j", "4"],
                            cwd=tree, env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "CHILDREN []" in result.stderr


# `importspy` and `python -m importspy` see the same module search path from the same
# folder: never the entry point's own folder (the console script's bin/, the working directory `-m` puts
# first); module targets are looked up in the working directory first, and runtime mode imports them
# with the working directory first on sys.path.
ENTRY_POINTS = {"console script": lambda: [str(console_script())], "python -m": lambda: [sys.executable, "-m", "importspy"]}


def run_entry_point(entry: str, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
    return subprocess.run([*ENTRY_POINTS[entry](), *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120)


def project_with_a_package(root: Path) -> Path:
    (root / "contract.yml").write_text(CONTRACT)
    (root / "app" / "plugins").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "plugins" / "__init__.py").write_text("")
    (root / "app" / "plugins" / "audio.py").write_text("from app.helper import LEVEL\napi_level = LEVEL\n")
    (root / "app" / "helper.py").write_text("LEVEL = 2\n")
    return root


@pytest.mark.parametrize("mode", ["static", "runtime"])
def test_both_entry_points_find_a_dotted_target_from_the_working_directory_alike(tmp_path, mode):
    root = project_with_a_package(tmp_path)
    results = {entry: run_entry_point(entry, root, "check", "app.plugins.audio", "-s", "contract.yml", "--mode", mode, "--no-cache")
               for entry in ENTRY_POINTS}
    for entry, result in results.items():
        assert result.returncode == (1 if mode == "static" else 0), f"{entry}: {result.stdout}{result.stderr}"  # static: `LEVEL` needs running code
    assert results["console script"].stdout == results["python -m"].stdout


def test_neither_entry_point_imports_its_own_modules_from_the_working_directory(tmp_path):
    root = project_with_a_package(tmp_path)
    # `logging` is imported by --log-level only after the command line started: from the standard library,
    # never from the checked folder, whichever entry point started it.
    (root / "logging.py").write_text(f"open({str(tmp_path / 'ran-logging')!r}, 'w').close()\n")
    for entry in ENTRY_POINTS:
        result = run_entry_point(entry, root, "check", "app/helper.py", "-s", "contract.yml", "--no-cache", "--log-level", "DEBUG")
        assert not (tmp_path / "ran-logging").exists(), f"{entry} imported logging.py from the checked folder: {result.stderr}"
        assert result.returncode == 1, f"{entry}: {result.stdout}{result.stderr}"


def test_both_entry_points_log_the_same_module_search_path(tmp_path):
    root = project_with_a_package(tmp_path)
    paths = {}
    for entry in ENTRY_POINTS:
        result = run_entry_point(entry, root, "check", "app/helper.py", "-s", "contract.yml", "--no-cache", "--log-level", "DEBUG")
        lines = [line for line in result.stderr.splitlines() if "module search path" in line]
        assert len(lines) == 1, f"{entry}: {result.stderr}"
        paths[entry] = lines[0]
    assert paths["console script"] == paths["python -m"]
    assert str(console_script().parent) not in paths["python -m"]
