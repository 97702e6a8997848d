"""Published packages from PyPI, for the tests that judge real code (the lint-imports corpus,
tests/corpus/lint_imports_corpus.py, and the worked example of docs/architecture-rules.md): one pinned
wheel, downloaded with pip and unpacked, once per folder."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

# What pip prints when it cannot reach the index at all (as opposed to an index that lacks the version).
UNREACHABLE = re.compile(r"NewConnectionError|ConnectTimeout|ReadTimeout|Max retries exceeded|Temporary failure in name resolution|"
                         r"Name or service not known|Network is unreachable|Connection refused|ProxyError|SSLError")


def index_answers(name: str) -> bool:
    """Whether the index pip reads (PIP_INDEX_URL, else PyPI) answers for `name` at all."""
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple/").rstrip("/")
    try:
        with urllib.request.urlopen(f"{index}/{name}/", timeout=20):
            return True
    except urllib.error.HTTPError:
        return True  # it answered, if not with the page
    except (OSError, ValueError):
        return False


class PyPIUnreachable(Exception):
    """pip could not reach the package index: the caller may skip, saying so."""


def unpacked(requirement: str, cache: Path, sha256: str | None = None) -> Path:
    """The wheel of `requirement` ("name==version") unpacked into cache/name-version (kept there: a second
    call reads nothing), after checking its SHA-256 when given. Raises PyPIUnreachable when pip cannot
    reach the index, CalledProcessError when pip fails otherwise, ValueError on another wheel's digest."""
    name, version = requirement.split("==")
    folder = cache / f"{name}-{version}"
    if folder.is_dir():
        return folder
    download = cache / "download"
    download.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
               "-d", str(download), requirement]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        if UNREACHABLE.search(result.stdout + result.stderr) or not index_answers(name):
            said = (result.stderr.strip().splitlines() or ["no message"])[-1]
            raise PyPIUnreachable(f"pip download {requirement}: the package index cannot be reached ({said})")
        raise subprocess.CalledProcessError(result.returncode, command, result.stdout, result.stderr)
    wheel = next(download.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
    if sha256 is not None and hashlib.sha256(wheel.read_bytes()).hexdigest() != sha256:
        raise ValueError(f"{wheel.name} from the index is not the wheel pinned here (SHA-256 {sha256})")
    partial = folder.with_suffix(".partial")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(partial)
    partial.rename(folder)
    return folder
