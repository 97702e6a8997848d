"""`importspy lint-imports` against import-linter 2.17 itself on small packages: every contract type and
option, kept and broken. Both read the same configuration file in the same folder; each contract must get
the same verdict, and the same (importer, imported) modules at the ends of its illegal chains. import-linter
is the `lint-imports` installed beside importspy (scripts/python-env.sh; Python 3.11+), asked through its
own API by lint_imports_reference.py. Deliberate differences are listed in
docs/migrating-from-import-linter.md and tested at the end of this file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("importlinter", reason="import-linter (Python 3.11+) is the reference; scripts/python-env.sh installs it")

from lint_imports_fixture import APP, ROOT, contract, environment, make_project, our_pairs, ours  # noqa: F401

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "lint_imports_reference.py"

# (case id, extra files or replacements, configuration file name, configuration text)
CASES = [
    ("forbidden-direct-broken", {}, ".importlinter", ROOT + contract("c", """
        name = views do not import service
        type = forbidden
        source_modules = app.high.views
        forbidden_modules = app.medium.service
        """)),
    ("forbidden-indirect-broken", {}, ".importlinter", ROOT + contract("c", """
        name = high does not reach low
        type = forbidden
        source_modules = app.high
        forbidden_modules = app.low.db
        """)),
    ("forbidden-allow-indirect-kept", {}, ".importlinter", ROOT + contract("c", """
        name = high does not import low directly
        type = forbidden
        source_modules = app.high
        forbidden_modules = app.low.db
        allow_indirect_imports = True
        """)),
    ("forbidden-kept", {}, ".importlinter", ROOT + contract("c", """
        name = the internal module is a leaf
        type = forbidden
        source_modules = app.medium._internal
        forbidden_modules = app.high
        """)),
    ("forbidden-several-sources-and-targets", {}, ".importlinter", ROOT + contract("c", """
        name = several
        type = forbidden
        source_modules =
            app.high
            app.low.cache
        forbidden_modules =
            app.low.db
            app.util
        """)),
    ("forbidden-as-packages-false", {}, ".importlinter", ROOT + contract("c", """
        name = the high package module itself
        type = forbidden
        source_modules = app.high
        forbidden_modules = app.medium
        as_packages = False
        """)),
    ("forbidden-wildcards", {}, ".importlinter", ROOT + contract("c", """
        name = no module of any package imports db
        type = forbidden
        source_modules = app.*.views
        forbidden_modules = app.**.db
        """)),
    ("forbidden-external-package", {}, ".importlinter", "[importlinter]\nroot_package = app\ninclude_external_packages = True\n" + contract("c", """
        name = no json below high
        type = forbidden
        source_modules = app.high
        forbidden_modules = json
        """)),
    ("forbidden-external-submodule-and-future", {"app/high/views.py": "from __future__ import annotations\nimport os.path\nfrom app.medium import service\n"},
     ".importlinter", "[importlinter]\nroot_package = app\ninclude_external_packages = True\n" + contract("c", """
        name = no os below high
        type = forbidden
        source_modules = app.high
        forbidden_modules = os
        """)),
    ("forbidden-type-checking-counted", {}, ".importlinter", ROOT + contract("c", """
        name = helpers never reach views
        type = forbidden
        source_modules = app.util.helpers
        forbidden_modules = app.high
        """)),
    ("forbidden-type-checking-excluded", {}, ".importlinter", ROOT + "exclude_type_checking_imports = True\n" + contract("c", """
        name = helpers never reach views
        type = forbidden
        source_modules = app.util.helpers
        forbidden_modules = app.high
        """)),
    ("layers-broken", {}, ".importlinter", ROOT + contract("c", """
        name = three layers
        type = layers
        layers =
            app.high
            app.medium
            app.low
        """)),
    ("layers-kept-with-ignore", {}, ".importlinter", ROOT + contract("c", """
        name = three layers, the upward import excused
        type = layers
        layers =
            app.high
            app.medium
            app.low
        ignore_imports =
            app.low.cache -> app.high.views
        """)),
    ("layers-ignore-with-wildcards", {}, ".importlinter", ROOT + contract("c", """
        name = three layers, excused by pattern
        type = layers
        layers =
            app.high
            app.medium
            app.low
        ignore_imports =
            app.low.* -> app.high.**
        """)),
    ("layers-stale-ignore-warned", {}, ".importlinter", ROOT + contract("c", """
        name = a stale excuse, warned
        type = layers
        layers =
            app.high
            app.medium
        ignore_imports =
            app.medium.nothing -> app.high.views
        unmatched_ignore_imports_alerting = warn
        """)),
    ("layers-stale-ignore-silent", {}, ".importlinter", ROOT + contract("c", """
        name = a stale excuse, not alerted
        type = layers
        layers =
            app.high
            app.medium
        ignore_imports =
            app.medium.nothing -> app.high.views
        unmatched_ignore_imports_alerting = none
        """)),
    ("layers-independent-siblings-broken", {"app/low/cache.py": "from app.low import db\n"}, ".importlinter", ROOT + contract("c", """
        name = siblings apart
        type = layers
        layers =
            app.high
            app.low.cache | app.low.db
        """)),
    ("layers-non-independent-siblings-kept", {"app/low/cache.py": "from app.low import db\n"}, ".importlinter", ROOT + contract("c", """
        name = siblings together
        type = layers
        layers =
            app.high
            app.low.cache : app.low.db
        """)),
    ("layers-containers", {"app/low/cache.py": "from app.low import db\n"}, ".importlinter", ROOT + contract("c", """
        name = layers inside each container
        type = layers
        containers =
            app.low
            app.medium
        layers =
            (service)
            (db)
            (cache)
        """)),
    ("layers-optional-layer-missing", {}, ".importlinter", ROOT + contract("c", """
        name = an optional layer that does not exist
        type = layers
        layers =
            app.high
            (app.nowhere)
            app.medium
        """)),
    ("layers-exhaustive-broken", {}, ".importlinter", ROOT + contract("c", """
        name = every child is a layer
        type = layers
        containers = app
        layers =
            high
            medium
            low
        exhaustive = True
        """)),
    ("layers-exhaustive-ignores", {"app/low/cache.py": ""}, ".importlinter", ROOT + contract("c", """
        name = every child is a layer but util
        type = layers
        containers = app
        layers =
            high
            medium
            low
        exhaustive = True
        exhaustive_ignores = util
        """)),
    ("independence-broken", {}, ".importlinter", ROOT + contract("c", """
        name = high and low are independent
        type = independence
        modules =
            app.high
            app.low
        """)),
    ("independence-kept", {}, ".importlinter", ROOT + contract("c", """
        name = high and medium._internal are independent
        type = independence
        modules =
            app.high
            app.medium._internal
        """)),
    ("independence-wildcard", {}, ".importlinter", ROOT + contract("c", """
        name = every layer package is independent
        type = independence
        modules = app.*
        """)),
    ("protected-broken", {"app/util/typing_only.py": "import app.low.db\n"}, ".importlinter", ROOT + contract("c", """
        name = only medium uses db
        type = protected
        protected_modules = app.low.db
        allowed_importers = app.medium
        """)),
    ("protected-kept", {}, ".importlinter", ROOT + contract("c", """
        name = only high and low use views
        type = protected
        protected_modules = app.high.views
        allowed_importers =
            app.low
            app.util
        """)),
    ("private-modules-broken", {"app/high/views.py": "from app.medium import _internal\n"}, ".importlinter", ROOT + contract("c", """
        name = private modules stay private
        type = private_modules
        """)),
    ("private-modules-kept", {}, ".importlinter", ROOT + contract("c", """
        name = private modules stay private
        type = private_modules
        """)),
    ("acyclic-siblings-broken", {}, ".importlinter", ROOT + contract("c", """
        name = no cycles between the packages of app
        type = acyclic_siblings
        ancestors = app
        """)),
    ("acyclic-siblings-kept", {"app/low/cache.py": "", "app/util/typing_only.py": ""}, ".importlinter", ROOT + contract("c", """
        name = no cycles between the packages of app
        type = acyclic_siblings
        ancestors = app
        """)),
    ("several-contracts-one-file", {}, ".importlinter", ROOT + contract("one", """
        name = first
        type = independence
        modules =
            app.high
            app.medium._internal
        """) + contract("two", """
        name = second
        type = forbidden
        source_modules = app.low
        forbidden_modules = app.high
        """)),
    ("setup-cfg", {}, "setup.cfg", "[flake8]\nmax-line-length = 100\n\n" + ROOT + contract("c", """
        name = from setup.cfg
        type = forbidden
        source_modules = app.low
        forbidden_modules = app.high
        """)),
    ("pyproject-toml", {}, "pyproject.toml", textwrap.dedent("""
        [tool.importlinter]
        root_packages = ["app"]

        [[tool.importlinter.contracts]]
        id = "c"
        name = "from pyproject.toml"
        type = "layers"
        layers = ["app.high", "app.medium", "app.low"]
        ignore_imports = ["app.low.cache -> app.high.views"]

        [[tool.importlinter.contracts]]
        name = "no id, a boolean"
        type = "forbidden"
        source_modules = ["app.high"]
        forbidden_modules = ["app.low.db"]
        allow_indirect_imports = true
        """)),
    ("two-root-packages", {"other/__init__.py": "", "other/uses.py": "import app.low.db\n"}, ".importlinter",
     "[importlinter]\nroot_packages =\n    app\n    other\n" + contract("c", """
        name = other does not reach app.low
        type = forbidden
        source_modules = other
        forbidden_modules = app.low
        """)),
]


def reference(root: Path) -> dict:
    result = subprocess.run([sys.executable, str(REFERENCE)], cwd=root, env=environment(root), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def our_verdicts(root: Path) -> tuple[int, dict]:
    result = ours(root, "--format", "json")
    if result.returncode == 1 and not result.stdout.strip():
        return 1, {"error": result.stderr}
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_same_verdict_and_broken_imports_as_import_linter(tmp_path: Path, case) -> None:
    _, replacements, config_name, config = case
    make_project(tmp_path, replacements, config_name, config)
    expected = reference(tmp_path)
    status, got = our_verdicts(tmp_path)
    assert "error" not in expected, f"import-linter stopped: {expected['error']}"
    assert "error" not in got, f"importspy stopped: {got['error']}"
    theirs = {contract["name"]: contract for contract in expected["contracts"]}
    mine = {contract["name"]: contract for contract in got["contracts"]}
    assert list(mine) == list(theirs)
    for name, contract in theirs.items():
        assert mine[name]["kept"] == contract["kept"], f"{name}: import-linter says kept={contract['kept']}, importspy {mine[name]}"
        assert len(mine[name]["warnings"]) == contract["warnings"], name
        if contract["pairs"] is not None:
            assert our_pairs(mine[name]) == contract["pairs"], name
    assert status == (0 if all(contract["kept"] for contract in theirs.values()) else 1)
    assert (got["summary"]["modules"], got["summary"]["dependencies"]) == (expected["modules"], expected["dependencies"])


def test_a_malformed_configuration_fails_with_its_place(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", ROOT + "[importlinter:contract:c]\nname = x\nlayers\n")
    result = ours(tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(".importlinter:5:1: ")
    assert reference(tmp_path).get("error")  # import-linter refuses it too


def test_a_root_package_that_cannot_be_found_fails(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", CASES[3][3].replace("root_package = app", "root_package = nowhere"))
    result = ours(tmp_path)
    assert result.returncode == 1
    assert "nowhere" in result.stderr
    assert reference(tmp_path).get("error")


# ---- Deliberate differences (docs/migrating-from-import-linter.md) ----------------------------------------


def test_a_stale_excuse_alerted_as_an_error_breaks_its_contract_instead_of_stopping_the_run(tmp_path: Path) -> None:
    make_project(tmp_path, {}, ".importlinter", ROOT + contract("c", """
        name = a stale excuse
        type = layers
        layers =
            app.high
            app.medium
        ignore_imports =
            app.medium.nothing -> app.high.views
        """) + contract("d", """
        name = still checked
        type = forbidden
        source_modules = app.low
        forbidden_modules = app.high
        """))
    assert "No matches for ignored import" in reference(tmp_path)["error"]
    status, got = our_verdicts(tmp_path)
    assert status == 1
    first, second = got["contracts"]
    assert not first["kept"]
    assert "architecture-ignore-unmatched" in [v["code"] for v in first["violations"]]
    assert not second["kept"]  # the other contracts are still judged


def test_where_chains_share_an_import_importspy_shows_every_end_lint_imports_shows_one(tmp_path: Path) -> None:
    # grimp takes successive shortest chains that share no import, so `src.s -> mid` carries one chain;
    # importspy shows a chain for each pair of ends (docs/migrating-from-import-linter.md, Which chains).
    for relative, text in {"src/__init__.py": "", "src/s.py": "import src.mid\n", "src/mid.py": "import src.fb.one\nimport src.fb.two\n",
                           "src/fb/__init__.py": "", "src/fb/one.py": "", "src/fb/two.py": ""}.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    (tmp_path / ".importlinter").write_text("[importlinter]\nroot_package = src\n" + contract("c", """
        name = s does not reach fb
        type = forbidden
        source_modules = src.s
        forbidden_modules = src.fb
        """), encoding="utf-8")
    [theirs] = reference(tmp_path)["contracts"]
    status, got = our_verdicts(tmp_path)
    [mine] = got["contracts"]
    assert (theirs["kept"], mine["kept"], status) == (False, False, 1)
    assert len(theirs["pairs"]) == 1 and theirs["pairs"][0] in [["src.s", "src.fb.one"], ["src.s", "src.fb.two"]]
    assert our_pairs(mine) == [["src.s", "src.fb.one"], ["src.s", "src.fb.two"]]
