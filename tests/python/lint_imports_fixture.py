"""The package and helpers the `importspy lint-imports` tests share (test_lint_imports.py,
test_lint_imports_differential.py, which compares with import-linter itself, and the corpus of real
packages, tests/corpus/lint_imports_corpus.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

# A package of three layers with a few crossings, shared by most cases:
#   app.high.views -> app.medium.service -> app.low.db
#   app.low.cache  -> app.high.views            (upwards: breaks layers)
#   app.medium.service imports app.low.db inside a function too (lazy)
#   app.util.helpers is imported by everyone; app.util.typing_only only under TYPE_CHECKING
APP = {
    "app/__init__.py": "",
    "app/high/__init__.py": "",
    "app/high/views.py": "from app.medium import service\nimport app.util.helpers\n",
    "app/medium/__init__.py": "",
    "app/medium/service.py": "import app.low.db\n\n\ndef later():\n    from app.low import db\n    return db\n",
    "app/medium/_internal.py": "",
    "app/low/__init__.py": "",
    "app/low/db.py": "import json\nimport app.util.helpers\n",
    "app/low/cache.py": "from app.high import views\n",
    "app/util/__init__.py": "",
    "app/util/helpers.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.util import typing_only\n",
    "app/util/typing_only.py": "from app.high import views\n",
}

ROOT = "[importlinter]\nroot_package = app\n"


def contract(id_: str, body: str) -> str:
    return f"\n[importlinter:contract:{id_}]\n" + textwrap.dedent(body).strip() + "\n"


def importspy_command() -> list[str]:
    return [str(Path(sys.executable).parent / "importspy")]


def make_project(root: Path, replacements: dict[str, str], config_name: str, config: str) -> None:
    files = dict(APP)
    files.update(replacements)
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / config_name).write_text(config, encoding="utf-8")


def environment(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(root), NO_COLOR="1", PYTHONDONTWRITEBYTECODE="1")
    return env


def ours(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(importspy_command() + ["lint-imports", *arguments], cwd=root, env=environment(root), capture_output=True, text=True, timeout=120)


def our_pairs(contract: dict) -> list[list[str]]:
    """The (importer, imported) modules at the ends of a contract's illegal chains in `importspy lint-imports
    --format json`, as lint_imports_reference.py gives import-linter's."""
    pairs = set()
    for violation in contract["violations"]:
        if violation["code"] == "architecture-ignore-unmatched":
            continue
        if violation["code"] == "architecture-layers-undeclared":  # exhaustive layers: a module in no layer
            pairs.update(("<undeclared>", chain[0]["module"]) for chain in violation["chains"])
            continue
        for chain in violation["chains"]:
            if chain:
                pairs.add((chain[0]["module"], chain[-1]["module"]))
    return sorted([list(pair) for pair in pairs])
