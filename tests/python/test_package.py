"""The installed package itself: public names, exception hierarchy, typing, import cost."""

import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc/self/maps (Linux)")
def test_the_installed_package_loads_no_library_from_outside_itself_but_the_system_ones(tmp_path):
    """A self-contained wheel: exercising the engine maps only the interpreter's own libraries, the
    package's (importspy/, importspy.libs/) and the manylinux policy's system libraries."""
    package = Path(importspy.__file__).resolve().parent
    if not (package.parent / "importspy.libs").is_dir():
        pytest.skip("a development install (pip install .) links the system's libraries; "
                    "the test command runs this against repaired wheels, where it applies")
    plugin = tmp_path / "plugin.py"
    plugin.write_text("import os\nname = 'p'\ndef run(x: int) -> int:\n    return x\n")
    contract = tmp_path / "contract.yml"
    contract.write_text("variables:\n  - name: name\n    value: p\nfunctions:\n  - name: run\n    arguments:\n      - name: x\n")
    code = f"""
import sys
def mapped():
    return {{line.split()[-1] for line in open('/proc/self/maps') if '.so' in line.split()[-1]}}
before = mapped()
import pytest

import importspy
report = importspy.check({str(plugin)!r}, {str(contract)!r})
assert report.ok, report.to_text()
importspy.generate({str(plugin)!r}, with_hashes=True)
print('\\n'.join(sorted(mapped() - before)))
"""
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    system = ("libc.so", "libm.so", "libstdc++.so", "libgcc_s.so", "libpthread.so", "libdl.so", "librt.so", "ld-linux")
    outside = [path for path in loaded
               if not Path(path).resolve().is_relative_to(package)
               and not Path(path).resolve().is_relative_to(package.parent / "importspy.libs")
               and not Path(path).name.startswith(system)
               and "lib-dynload" not in path]  # the interpreter's own extension modules
    assert outside == [], f"libraries from outside the wheel: {outside}"
