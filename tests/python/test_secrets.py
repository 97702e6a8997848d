"""A name declared secret anywhere in a contract never has its value shown."""

import platform
import subprocess
import sys

import pytest

import importspy

HERE = platform.machine()
OTHER = "aarch64" if HERE.lower() in ("x86_64", "amd64") else "x86_64"
HERE_OS = "linux" if sys.platform.startswith("linux") else ("macos" if sys.platform == "darwin" else "windows")
REQUIRED = "required-token-value-1234"
ACTUAL = "actual-token-value-5678"

# Secret on the other architecture; a plain variable with a value on this one.
CONTRACT = f"""
deployments:
  - arch: {OTHER}
    systems:
      - os: {HERE_OS}
        environment:
          secrets: [IMPORTSPY_TOKEN]
  - arch: {HERE}
    systems:
      - os: {HERE_OS}
        environment:
          variables:
            - {{name: IMPORTSPY_TOKEN, value: {REQUIRED}}}
"""


def assert_no_secret(text, where):
    assert REQUIRED not in text, f"{where} shows the required value:\n{text}"
    assert ACTUAL not in text, f"{where} shows the actual value:\n{text}"


@pytest.fixture
def secret_project(project, tmp_path_factory):
    project.write("contract.yml", CONTRACT)
    project.write("plugins/a.py", "x = 1\n")
    project.write("plugins/b.py", "x = 2\n")
    project.env = {"IMPORTSPY_TOKEN": ACTUAL, "XDG_CACHE_HOME": str(tmp_path_factory.mktemp("xdg"))}
    return project


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_no_output_format_shows_the_value(secret_project, fmt):
    for targets in (["plugins"], ["plugins/a.py"]):
        result = secret_project.cli("check", *targets, "-s", "contract.yml", "--format", fmt, env=secret_project.env)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "env-value-mismatch" in result.stdout
        assert_no_secret(result.stdout + result.stderr, f"--format {fmt} {targets}")


def test_the_result_cache_never_holds_the_value(secret_project):
    for _ in range(2):  # the second run is served from the cache: what it shows comes from the disk
        result = secret_project.cli("check", "plugins", "-s", "contract.yml", "--format", "json", env=secret_project.env)
        assert_no_secret(result.stdout, "a cached run")
    entries = [p for p in (secret_project.root / ".importspy_cache").rglob("*") if p.is_file()]
    assert entries
    for path in entries:
        assert_no_secret(path.read_text(errors="replace"), path.name)


def test_exceptions_reports_and_reprs_never_show_the_value(secret_project, monkeypatch):
    monkeypatch.setenv("IMPORTSPY_TOKEN", ACTUAL)
    report = importspy.check(str(secret_project.root / "plugins" / "a.py"), str(secret_project.root / "contract.yml"))
    shown = report.to_text() + repr(report) + report.to_json() + "".join(repr(v) + str(v.expected) + str(v.actual) + v.message + v.hint for v in report.violations)
    assert "env-value-mismatch" in shown
    assert_no_secret(shown, "the report")
    secret_project.write("protected.py", "from importspy import Spy\ncaller = Spy().importspy(filepath='contract.yml')\n")
    secret_project.write("importer.py", "import protected\n")
    rejected = secret_project.run("-c", "import importer", env=secret_project.env)
    assert "ContractViolation" in rejected.stderr and "env-value-mismatch" in rejected.stderr
    assert_no_secret(rejected.stderr + rejected.stdout, "the exception")
