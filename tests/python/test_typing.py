"""The public API is typed: a user's program type-checks under mypy --strict and (based)pyright strict."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "typing_samples"


def run(tool: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *tool], cwd=cwd, capture_output=True, text=True)


def test_a_program_using_every_public_entry_point_passes_mypy_strict(tmp_path):
    result = run(["mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(SAMPLES / "sample_program.py")], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_exceptions_and_results_have_precise_types_not_any(tmp_path):
    result = run(["mypy", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(SAMPLES / "revealed_types.py")], tmp_path)
    revealed = [line.split('Revealed type is "', 1)[1].rstrip('"').replace("builtins.", "")  # older mypy spells builtins out
                for line in result.stdout.splitlines() if "Revealed type is" in line]
    assert revealed == [
        "str",
        "importspy._engine.Report",
        "int",
        "list[importspy._engine.Violation]",
        "types.ModuleType",
        "importspy._engine.ContractFinder",
        "dict[str, importspy._engine.Report | BaseException]",
    ], result.stdout


def test_the_stub_declares_each_exception_with_the_bases_it_has_at_run_time():
    import importspy
    from importspy import _engine

    stub = (Path(_engine.__file__).parent / "_engine.pyi").read_text()
    for exception in (importspy.ContractError, importspy.ContractViolation, importspy.SourceError, importspy.ContractWarning):
        bases = ", ".join(base.__name__ for base in exception.__bases__)
        assert f"class {exception.__name__}({bases}):" in stub, exception


def test_a_program_using_every_public_entry_point_passes_pyright_strict(tmp_path):
    basedpyright = Path(sys.executable).with_name("basedpyright")
    config = tmp_path / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": f"{sys.version_info[0]}.{sys.version_info[1]}",
                                  "reportMissingModuleSource": False}))
    result = subprocess.run([str(basedpyright), "--project", str(config), "--pythonpath", sys.executable, str(SAMPLES / "sample_program.py")],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout
