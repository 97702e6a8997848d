"""importspy.check(): every violation code reached from a real module, in static and in runtime mode."""

import platform
import sys

import pytest

import importspy

MODULE = """
__version__ = "1.2.0"
engine: str = "docker"
computed = len("abc")

def run(job, timeout: float = 2.5) -> bool:
    return True

def variadic(*args, **kwargs):
    pass

class Base:
    pass

class Extension(Base):
    kind = "plugin"

    def __init__(self):
        self.label = "hello"

    def add(self, msg: str) -> str:
        return msg
"""

OTHER_ARCH = "aarch64" if platform.machine().lower() in ("x86_64", "amd64") else "x86_64"
OTHER_OS = "windows" if sys.platform.startswith("linux") else "linux"
RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"


def deployment(system_yaml: str) -> str:
    machine = platform.machine()
    return f"deployments:\n  - arch: {machine}\n    systems:\n{system_yaml}"


HERE_OS = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform)

CASES = {
    "filename-mismatch": "filename: other.py\n",
    "version-mismatch": "version: '>=2'\n",
    "variable-missing": "variables:\n  - name: nope\n",
    "variable-value-mismatch": "variables:\n  - name: engine\n    value: podman\n",
    "variable-annotation-mismatch": "variables:\n  - name: engine\n    annotation: int\n",
    "function-missing": "functions:\n  - name: stop\n",
    "argument-missing": "functions:\n  - name: run\n    arguments:\n      - name: verbose\n",
    "argument-mismatch": "functions:\n  - name: run\n    arguments:\n      - name: timeout\n      - name: job\n",
    "argument-annotation-mismatch": "functions:\n  - name: run\n    arguments:\n      - name: timeout\n        annotation: int\n",
    "argument-default-mismatch": "functions:\n  - name: run\n    arguments:\n      - name: timeout\n        value: 5\n",
    "return-annotation-mismatch": "functions:\n  - name: run\n    return_annotation: str\n",
    "class-missing": "classes:\n  - name: Nope\n",
    "attribute-missing": "classes:\n  - name: Extension\n    attributes:\n      - {type: instance, name: nope}\n",
    "attribute-value-mismatch": "classes:\n  - name: Extension\n    attributes:\n      - {type: instance, name: label, value: bye}\n",
    "attribute-annotation-mismatch": "classes:\n  - name: Extension\n    attributes:\n      - {type: class, name: kind, annotation: int}\n",
    "method-missing": "classes:\n  - name: Extension\n    methods:\n      - name: remove\n",
    "superclass-missing": "classes:\n  - name: Extension\n    superclasses: [Plugin]\n",
    "arch-unsupported": f"deployments:\n  - arch: {OTHER_ARCH}\n",
    "os-unsupported": deployment(f"      - os: {OTHER_OS}\n"),
    "python-unsupported": deployment(f"      - os: {HERE_OS}\n        pythons:\n          - version: '2.7'\n"),
    "interpreter-unsupported": deployment(f"      - os: {HERE_OS}\n        pythons:\n          - version: '{RUNNING}'\n            interpreter: IronPython\n"),
    "env-missing": deployment(f"      - os: {HERE_OS}\n        environment:\n          variables: [IMPORTSPY_NOT_SET_ANYWHERE]\n"),
    "env-value-mismatch": deployment(f"      - os: {HERE_OS}\n        environment:\n          variables:\n            - {{name: IMPORTSPY_TEST_MODE, value: production}}\n"),
    "secret-missing": deployment(f"      - os: {HERE_OS}\n        environment:\n          secrets: [IMPORTSPY_TEST_TOKEN]\n"),
}


@pytest.fixture
def module_file(project):
    return project.write("extension.py", MODULE)


@pytest.mark.parametrize("mode", ["static", "runtime"])
@pytest.mark.parametrize("code", sorted(CASES))
def test_every_violation_code_is_reached_from_a_real_module(project, module_file, monkeypatch, code, mode):
    monkeypatch.setenv("IMPORTSPY_TEST_MODE", "staging")
    monkeypatch.delenv("IMPORTSPY_TEST_TOKEN", raising=False)
    monkeypatch.syspath_prepend(str(project.root))
    contract = project.write("contract.yml", CASES[code])
    report = importspy.check(str(module_file), str(contract), mode=mode)
    assert [v.code for v in report.violations] == [code], report.to_text()


def test_value_unverifiable_in_static_mode_is_known_in_runtime_mode(project, module_file, monkeypatch):
    monkeypatch.syspath_prepend(str(project.root))
    contract = project.write("contract.yml", "variables:\n  - name: computed\n    value: 3\n")
    static = importspy.check(str(module_file), str(contract), mode="static")
    assert [v.code for v in static.violations] == ["value-unverifiable"]
    assert static.violations[0].category == "invalid"
    assert importspy.check(str(module_file), str(contract), mode="runtime").ok


def test_compliant_module_passes_in_both_modes(project, module_file, monkeypatch):
    monkeypatch.syspath_prepend(str(project.root))
    contract = project.write(
        "contract.yml",
        """
filename: extension.py
version: "~=1.2"
variables:
  - {name: engine, value: docker, annotation: str}
functions:
  - name: run
    arguments: [{name: job}, {name: timeout, value: 2.5, annotation: float}]
    return_annotation: bool
  - name: variadic
    arguments: [{name: "*args"}, {name: "**kwargs"}]
classes:
  - name: Extension
    attributes:
      - {type: class, name: kind, value: plugin}
      - {type: instance, name: label, value: hello}
    methods:
      - name: add
        arguments: [{name: self}, {name: msg, annotation: str}]
        return_annotation: str
    superclasses: [Base]
""",
    )
    for mode in ("static", "runtime"):
        report = importspy.check(str(module_file), str(contract), mode=mode)
        assert report.ok, report.to_text()


def test_check_accepts_module_objects_dotted_names_and_loaded_contracts(project, module_file, monkeypatch):
    monkeypatch.syspath_prepend(str(project.root))
    contract = importspy.load_contract(project.write("contract.yml", "variables:\n  - name: engine\n"))
    assert importspy.check("extension", contract).ok
    import extension

    assert importspy.check(extension, contract, mode="runtime").ok
    assert importspy.check(extension, contract, mode="static").ok


def test_static_mode_never_executes_the_module(project):
    marker = project.root / "executed.txt"
    module = project.write("sideeffect.py", f"open({str(marker)!r}, 'w').write('ran')\nvalue = 1\n")
    contract = project.write("contract.yml", "variables:\n  - name: value\n    value: 1\n")
    assert importspy.check(str(module), str(contract)).ok
    assert not marker.exists()


def test_report_renders_text_and_json(project, module_file):
    contract = project.write("contract.yml", "variables:\n  - name: engine\n    value: podman\n")
    report = importspy.check(str(module_file), str(contract))
    assert not report and len(report) == 1
    assert "Found 1 module violation." in report.to_text()
    import json

    document = json.loads(report.to_json())
    assert document["ok"] is False
    assert document["violations"][0] == report.violations[0].to_dict()


def test_invalid_mode_is_a_value_error(project, module_file):
    contract = project.write("contract.yml", "filename: extension.py\n")
    with pytest.raises(ValueError, match='mode must be "static" or "runtime"'):
        importspy.check(str(module_file), str(contract), mode="dynamic")


class TestBadSources:
    def test_syntax_error_names_file_line_and_column(self, project):
        module = project.write("broken.py", "x = 1\ndef f(:\n    pass\n")
        contract = project.write("contract.yml", "filename: broken.py\n")
        with pytest.raises(importspy.SourceError) as info:
            importspy.check(str(module), str(contract))
        assert info.value.line == 2 and info.value.column > 0
        assert str(module) in str(info.value) and "not valid Python" in str(info.value)

    def test_non_utf8_source_names_the_place(self, project):
        module = project.root / "latin.py"
        module.write_bytes(b"x = 1\nname = 'caf\xe9'\n")
        contract = project.write("contract.yml", "filename: latin.py\n")
        with pytest.raises(importspy.SourceError) as info:
            importspy.check(str(module), str(contract))
        assert (info.value.line, info.value.column) == (2, 12)
        assert "not valid UTF-8" in str(info.value)

    def test_missing_file(self, project):
        contract = project.write("contract.yml", "filename: a.py\n")
        with pytest.raises(importspy.SourceError, match="does not exist"):
            importspy.check(str(project.root / "missing.py"), str(contract))

    def test_directory_instead_of_a_module(self, project):
        contract = project.write("contract.yml", "filename: a.py\n")
        with pytest.raises(importspy.SourceError, match="directory"):
            importspy.check(str(project.root), str(contract))

    def test_module_that_raises_on_import_names_where_it_raised(self, project):
        module = project.write("exploding.py", "value = 1\nraise RuntimeError('boom at import')\n")
        contract = project.write("contract.yml", "filename: exploding.py\n")
        with pytest.raises(importspy.SourceError) as info:
            importspy.check(str(module), str(contract), mode="runtime")
        assert "raised RuntimeError: boom at import" in str(info.value)
        assert info.value.file.endswith("exploding.py") and info.value.line == 2
        assert "exploding" not in sys.modules

    def test_huge_source_is_refused(self, project):
        module = project.root / "huge.py"
        module.write_text("x = 1\n" * (3 << 20), encoding="utf-8")
        contract = project.write("contract.yml", "filename: huge.py\n")
        with pytest.raises(importspy.SourceError, match="limit"):
            importspy.check(str(module), str(contract))

    def test_unknown_dotted_name_in_static_mode(self, project):
        contract = project.write("contract.yml", "filename: a.py\n")
        with pytest.raises(importspy.SourceError, match="no Python source"):
            importspy.check("no_such_module_anywhere", str(contract))
