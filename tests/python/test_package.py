"""The installed package itself: public names, exception hierarchy, typing, import cost."""

import shutil
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


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("ldd") is None, reason="asks glibc's ldd (Linux)")
def test_the_engine_needs_no_library_from_outside_the_wheel_but_the_manylinux_system_ones(tmp_path):
    """A self-contained wheel: the dynamic loader resolves every library the extension needs to the
    wheel's own importspy.libs/ or to the manylinux policy's system libraries, and the engine works."""
    package = Path(importspy.__file__).resolve().parent
    bundled = package.parent / "importspy.libs"
    if not bundled.is_dir():
        pytest.skip("a development install (pip install .) links the system's libraries; "
                    "the test command runs this against repaired wheels, where it applies")
    engine = next(package.glob("_engine*.so"))
    resolved = {}
    # The extension, the engine's own command line beside it (importspy/bin/importspy-core), and the module
    # that draws the graph with Graphviz (importspy/libimportspy-draw.so).
    for binary in (engine, package / "bin" / "importspy-core", package / "libimportspy-draw.so"):
        for line in subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True).stdout.splitlines():
            name, _, where = line.strip().partition(" => ")
            resolved[name] = where.split(" (")[0]
    # The manylinux policy's system libraries; libz and libexpat (Graphviz's) are among them.
    system = ("linux-vdso.so", "libc.so", "libm.so", "libstdc++.so", "libgcc_s.so", "libpthread.so", "libdl.so", "librt.so", "ld-linux",
              "libz.so.1", "libexpat.so.1")
    assert "not found" not in resolved.values(), resolved
    outside = {name: where for name, where in resolved.items()
               if not name.startswith(system) and not name.startswith("/") and not Path(where).resolve().is_relative_to(bundled.resolve())}
    assert outside == {}, f"needed from outside the wheel: {outside}"
    assert any(Path(where).resolve().is_relative_to(bundled.resolve()) for where in resolved.values()), resolved
    # ... and the engine works from there: YAML (libyaml-cpp) and hashing (libsodium) both used.
    plugin = tmp_path / "plugin.py"
    plugin.write_text("name = 'p'\n")
    contract = tmp_path / "contract.yml"
    contract.write_text("variables:\n  - name: name\n    value: p\n")
    assert importspy.check(str(plugin), str(contract)).ok
    assert "sha256" in importspy.generate(str(plugin), with_hashes=True)


def test_importspy_core_the_readme_presents_comes_with_the_package():
    """`pip install importspy` gives the `importspy-core` command (README): the engine's C++ command line."""
    import sysconfig

    from conftest import EXAMPLE

    tool = shutil.which("importspy-core", path=sysconfig.get_path("scripts"))
    assert tool is not None, f"no importspy-core in {sysconfig.get_path('scripts')}"
    codes = subprocess.run([tool, "codes"], capture_output=True, text=True, timeout=60)
    assert codes.returncode == 0, codes.stderr
    assert "variable-value-mismatch" in codes.stdout
    good = subprocess.run([tool, "check", "-s", str(EXAMPLE / "spymodel.yml"), "-f", str(EXAMPLE / "facts" / "good.json")],
                          capture_output=True, text=True, timeout=60)
    bad = subprocess.run([tool, "check", "-s", str(EXAMPLE / "spymodel.yml"), "-f", str(EXAMPLE / "facts" / "bad.json"), "--format", "json"],
                         capture_output=True, text=True, timeout=60)
    assert (good.returncode, bad.returncode) == (0, 1), good.stderr + bad.stderr
    assert (Path(importspy.__file__).parent / "bin" / "importspy-core").is_file()


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc/self/maps (Linux)")
def test_import_importspy_loads_no_graphviz():
    """Graphviz comes with libimportspy-draw.so, loaded only when a picture of the graph is drawn."""
    code = "import importspy, importspy._engine; print(open('/proc/self/maps').read())"
    maps = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "_engine" in maps
    assert "libgvc" not in maps and "libimportspy-draw" not in maps
    assert (Path(importspy.__file__).parent / "libimportspy-draw.so").is_file()
