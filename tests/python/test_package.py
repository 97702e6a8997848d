"""The installed package itself: public names, exception hierarchy, typing, import cost."""

import subprocess
import sys
from pathlib import Path

import importspy


def test_public_api():
    for name in importspy.__all__:
        assert hasattr(importspy, name), name
    # The next generation of ImportSpy sorts after the original's last release (0.5.0), in PEP 440 order.
    from importlib.metadata import version

    assert importspy.__version__ == version("importspy")
    assert tuple(int(part) for part in importspy.__version__.split(".")[:2]) >= (1, 0)


def test_exception_hierarchy_keeps_importspy_0x_code_working():
    assert issubclass(importspy.ContractViolation, ValueError)
    assert issubclass(importspy.ContractViolation, ImportError)
    assert issubclass(importspy.ContractError, ValueError)
    assert issubclass(importspy.SourceError, ValueError)
    assert importspy.ContractViolation.__module__ == "importspy"


def test_package_is_typed():
    folder = Path(importspy.__file__).parent
    assert (folder / "py.typed").exists()
    assert (folder / "_engine.pyi").exists()
    stub = (folder / "_engine.pyi").read_text()
    assert "class Report" in stub and "def check(" in stub


def test_import_is_cheap_and_pulls_in_no_heavy_modules():
    code = "import sys; before = set(sys.modules); import importspy; print(' '.join(sorted(set(sys.modules) - before)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    for heavy in ("ast", "inspect", "logging", "typing", "importlib.util", "yaml", "json"):
        assert heavy not in loaded, heavy


def test_spy_requires_a_filepath():
    import pytest

    with pytest.raises(ValueError, match="filepath"):
        importspy.Spy().importspy()


def test_parse_contract_from_text():
    contract = importspy.parse_contract("filename: a.py\n", "inline")
    assert contract.source == "inline" and contract.schema_version == 0
    import pytest

    with pytest.raises(importspy.ContractError) as info:
        importspy.parse_contract("filename: [\n", "inline")
    assert info.value.file == "inline" and info.value.kind == "syntax"
