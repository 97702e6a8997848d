"""`importspy lint-imports` against import-linter 2.17 on real packages from PyPI (slower than the fixture
test, tests/python/test_lint_imports_differential.py; not run by ctest or pytest).

Run: .venv/bin/python tests/corpus/lint_imports_corpus.py   (after scripts/python-env.sh on Python 3.11+)

Each package (pinned below) is downloaded once with pip into tests/corpus/.cache/ and unpacked; a
configuration written here for it holds contracts of every type that fit its layout. Both tools read the
same `.importlinter` in a scratch folder beside the package; for every contract the verdict and the
(importer, imported) modules at the ends of the illegal chains must be the same (acyclic_siblings: the
verdict, its cycle breakers being a heuristic). Prints one line per contract and exits 1 on a difference.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
REFERENCE = HERE.parent / "python" / "lint_imports_reference.py"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REFERENCE.parent))

from lint_imports_fixture import contract, our_pairs  # noqa: E402  (tests/python: shared with the fixture differential)
from pypi_packages import unpacked  # noqa: E402  (one way to fetch a package from PyPI)


PACKAGES = {
    "rich==13.9.4": ("rich", "[importlinter]\nroot_package = rich\n"
        + contract("console-below-progress", """
            name = rich.console does not reach rich.progress
            type = forbidden
            source_modules = rich.console
            forbidden_modules = rich.progress
            """)
        + contract("text-below-console", """
            name = rich.text does not reach rich.console
            type = forbidden
            source_modules = rich.text
            forbidden_modules = rich.console
            """)
        + contract("direct-only", """
            name = rich.text does not import rich.console directly
            type = forbidden
            source_modules = rich.text
            forbidden_modules = rich.console
            allow_indirect_imports = True
            """)
        + contract("layers", """
            name = rich layers
            type = layers
            layers =
                rich.progress
                rich.live
                rich.console
                rich.text
                rich.segment
            """)
        + contract("independent", """
            name = markdown and syntax are independent
            type = independence
            modules =
                rich.markdown
                rich.syntax
                rich.traceback
            """)
        + contract("protected", """
            name = only console and live use the loop helpers
            type = protected
            protected_modules = rich._loop
            allowed_importers =
                rich.console
                rich.live
            """)
        + contract("private", """
            name = private modules
            type = private_modules
            """)
        + contract("wildcards", """
            name = no module of rich imports the demo, one excuse by pattern
            type = forbidden
            source_modules = rich.*
            forbidden_modules = rich.__main__
            ignore_imports =
                rich.* -> rich.__main__
                rich.nothing -> rich.**
            unmatched_ignore_imports_alerting = warn
            """)),
    "django==5.2.8": ("django", "[importlinter]\nroot_package = django\n"
        + contract("utils-below-db", """
            name = django.utils does not reach django.db
            type = forbidden
            source_modules = django.utils
            forbidden_modules = django.db
            """)
        + contract("utils-below-db-direct", """
            name = django.utils does not import django.db directly
            type = forbidden
            source_modules = django.utils
            forbidden_modules = django.db
            allow_indirect_imports = True
            """)
        + contract("layers", """
            name = django layers
            type = layers
            layers =
                django.contrib
                django.forms
                django.db
                django.utils
            """)
        + contract("contrib-independent", """
            name = contrib apps are independent
            type = independence
            modules =
                django.contrib.sessions
                django.contrib.sitemaps
                django.contrib.humanize
            """)
        + contract("migrations", """
            name = migrations import no views
            type = forbidden
            source_modules = django.contrib.*.migrations.**
            forbidden_modules = django.views
            """)
        + contract("acyclic", """
            name = no cycles in django.db.models
            type = acyclic_siblings
            ancestors = django.db.models
            """)),
}


def main() -> int:
    differences = 0
    for requirement, (package, config) in PACKAGES.items():
        source = unpacked(requirement, CACHE)
        with tempfile.TemporaryDirectory() as folder:
            project = Path(folder)
            (project / package).symlink_to(source / package)
            (project / ".importlinter").write_text(config, encoding="utf-8")
            # The working directory is on both tools' search path; no PYTHONPATH, which would put the package
            # under test before import-linter's own dependencies (rich).
            env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            env.update(NO_COLOR="1", PYTHONDONTWRITEBYTECODE="1")
            start = time.perf_counter()
            theirs_run = subprocess.run([sys.executable, str(REFERENCE)], cwd=project, env=env, capture_output=True, text=True)
            theirs_time = time.perf_counter() - start
            start = time.perf_counter()
            ours_run = subprocess.run([str(BIN / "importspy"), "lint-imports", "--format", "json"], cwd=project, env=env, capture_output=True, text=True)
            ours_time = time.perf_counter() - start
        theirs = json.loads(theirs_run.stdout.strip().splitlines()[-1])
        print(f"{requirement}: import-linter {theirs_time:.2f} s, importspy {ours_time:.2f} s")
        if "error" in theirs or ours_run.returncode not in (0, 1) or not ours_run.stdout.strip():
            print(f"  import-linter: {theirs.get('error', 'ran')}; importspy exit {ours_run.returncode}: {ours_run.stderr.strip()}")
            differences += 1
            continue
        ours = {c["name"]: c for c in json.loads(ours_run.stdout)["contracts"]}
        for reference in theirs["contracts"]:
            mine = ours.get(reference["name"])
            if mine is None:
                print(f"  {reference['name']}: missing from importspy's report")
                differences += 1
                continue
            same_verdict = mine["kept"] == reference["kept"]
            same_pairs = reference["pairs"] is None or our_pairs(mine) == reference["pairs"]
            verdict = "KEPT" if reference["kept"] else "BROKEN"
            print(f"  {'same' if same_verdict and same_pairs else 'DIFFERENT'}: {reference['name']}: {verdict}"
                  + (f", {len(reference['pairs'])} chain ends" if reference["pairs"] else ""))
            if not same_verdict:
                print(f"    import-linter kept={reference['kept']}, importspy kept={mine['kept']}")
            if not same_pairs:
                mine_pairs = {tuple(p) for p in our_pairs(mine)}
                their_pairs = {tuple(p) for p in reference["pairs"]}
                print(f"    only import-linter: {sorted(their_pairs - mine_pairs)[:10]}")
                print(f"    only importspy:     {sorted(mine_pairs - their_pairs)[:10]}")
            differences += not (same_verdict and same_pairs)
    print("no difference" if differences == 0 else f"{differences} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
