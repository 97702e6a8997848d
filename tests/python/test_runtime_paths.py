"""Runtime mode given a file path: a file inside a package is imported as Python imports it from its
source root (by its dotted name), so its absolute and relative imports resolve; any other file is loaded
on its own, as before."""

import json
import sys

import importspy

CONTRACT = "variables:\n  - name: value\n    value: 1\n"


def package(project, root="proj"):
    project.write(f"{root}/pkg/__init__.py", "")
    project.write(f"{root}/pkg/helper.py", "X = 1\n")
    project.write(f"{root}/pkg/absolute.py", "from pkg.helper import X\nvalue = X\n")
    project.write(f"{root}/pkg/relative.py", "from . import helper\nvalue = helper.X\n")
    project.write(f"{root}/pkg/sub/__init__.py", "from ..helper import X\nvalue = X\n")
    project.write("contract.yml", CONTRACT)


def runtime_check(project, *targets, cwd=None):
    result = project.cli("check", *targets, "-s", str(project.root / "contract.yml"), "--mode", "runtime", "--format", "json", cwd=cwd)
    return result, json.loads(result.stdout)


def test_absolute_and_relative_imports_of_a_package_module_named_by_path(project):
    package(project)
    # The package's root (proj/) is on no search path: only the file's place tells where it is.
    result, report = runtime_check(project, "proj/pkg/absolute.py", "proj/pkg/relative.py", "proj/pkg/sub/__init__.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert [t["ok"] for t in report["targets"]] == [True, True, True]


def test_the_same_from_inside_the_package_folder(project):
    package(project)
    result, report = runtime_check(project, "absolute.py", "relative.py", cwd=project.root / "proj" / "pkg")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_failing_import_inside_a_package_names_the_file_and_line(project):
    package(project)
    project.write("proj/pkg/broken.py", "from pkg.helper import X\nfrom pkg import missing_name\nvalue = X\n")
    result, report = runtime_check(project, "proj/pkg/broken.py")
    assert result.returncode == 2
    error = report["targets"][0]["error"]
    assert error["file"].endswith("proj/pkg/broken.py") and error["line"] == 2, error
    assert "ImportError" in error["message"] and "missing_name" in error["message"], error


def test_a_file_outside_any_package_is_loaded_on_its_own(project):
    project.write("loose/tool.py", "value = 1\n")
    project.write("contract.yml", CONTRACT)
    result, report = runtime_check(project, "loose/tool.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_package_of_the_same_name_imported_from_elsewhere_is_not_used_for_the_file(project, monkeypatch):
    # Two projects each with `pkg/mod.py`; the first is imported. Checking the second's file by path must
    # check that file, not the module the name `pkg.mod` already means in this process.
    project.write("one/pkg/__init__.py", "")
    project.write("one/pkg/mod.py", "value = 1\n")
    project.write("two/pkg/__init__.py", "")
    project.write("two/pkg/mod.py", "value = 2\n")
    contract = project.write("contract.yml", CONTRACT)
    monkeypatch.syspath_prepend(str(project.root / "one"))
    for name in [name for name in sys.modules if name == "pkg" or name.startswith("pkg.")]:
        monkeypatch.delitem(sys.modules, name)
    import pkg.mod  # noqa: F401  (the first project's)

    assert importspy.check(str(project.root / "one" / "pkg" / "mod.py"), str(contract), mode="runtime").ok
    report = importspy.check(str(project.root / "two" / "pkg" / "mod.py"), str(contract), mode="runtime")
    assert [v.code for v in report.violations] == ["variable-value-mismatch"], report.to_text()


def test_sys_path_is_as_before_after_every_runtime_import_that_succeeds_or_raises(project, monkeypatch):
    package(project, root="tree")
    project.write("tree/pkg/raises.py", "raise RuntimeError('boom')\n")
    project.write("loose/raises.py", "raise RuntimeError('boom')\n")
    project.write("loose/fine.py", "value = 1\n")
    monkeypatch.chdir(project.root)
    contract = str(project.root / "contract.yml")
    before = list(sys.path)
    for target in ("tree/pkg/absolute.py", "tree/pkg/raises.py", "loose/fine.py", "loose/raises.py", "no_such_module_here"):
        try:
            importspy.check(target, contract, mode="runtime")
        except importspy.SourceError:
            pass
        assert sys.path == before, target
