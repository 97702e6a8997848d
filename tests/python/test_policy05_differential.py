"""ImportSpy 0.5 admission policies, decided by us and by importspy==0.5.0 on the same inputs.

The reference is the real 0.5.0 from PyPI, installed once into `.venv-importspy05-MACHINE/` at the repository
root (git-ignored). Every case runs both command lines in a fresh copy of `tests/python/policy05/` and
compares the exit status, the decision of each subject, the violation codes of each subject and the
shape of the JSON decision document. Without PyPI the whole module is skipped with the reason.

Cases whose behaviour we change on purpose carry `intended=` with the reason (docs/policies-0.5.md,
*Differences*): there the test checks that 0.5.0 still does what the documentation says it does and that
we do the documented sensible thing.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import REPO

FIXTURES = Path(__file__).resolve().parent / "policy05"
# One per machine: the checkout may be shared with an emulated arm64 root (scripts/build-aarch64.sh), where
# the x86_64 venv's scripts cannot start.
REFERENCE_VENV = REPO / f".venv-importspy05-{platform.machine()}"
REFERENCE_VERSION = "0.5.0"

# The environment both tools see: one variable set, one (IMPORTSPY_DIFFERENTIAL_UNSET) never set.
ENVIRONMENT = {"IMPORTSPY_DIFFERENTIAL_MODE": "test"}

# Top-level keys of 0.5.0's decision document, in order.
DECISION_KEYS = [
    "schema_version", "subject", "source_hash", "contract_identity", "contract_hash", "engine_version",
    "environment", "dependencies", "evidence", "violations", "decision", "phases", "runtime_required",
    "target_executed", "timestamp",
]
VIOLATION_KEYS = ["code", "category", "message", "subject", "severity", "phase", "location", "expected", "observed",
                  "remediation"]


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    arguments: tuple[str, ...]  # after `importspy check`, run in the fixture copy
    intended: str | None = None  # why we differ from 0.5.0 on purpose
    ours: tuple[int, list[list[str]]] | None = None  # our (exit, codes per subject) when intended
    shape: bool = True  # compare the JSON document's shape (False: not recognisable as a 0.5 policy)
    site: bool = False  # put policy05/site (three installed distributions) on PYTHONPATH
    command: tuple[str, ...] = ("check",)  # () for the old positional form


def policy(name: str, subject: str = "subjects/plugin.py", **extra) -> Case:
    return Case(name, (subject, "-s", f"policies/{name}.yml", "-f", "json"), **extra)


CASES = [
    # Admitted.
    policy("admit_runtime"),
    policy("admit_environment_value"),
    policy("admit_unresolved_allowed", subject="subjects/unresolved.py"),
    # Runtime rules.
    policy("deny_os"),
    policy("deny_architecture"),
    policy("deny_implementation"),
    policy("deny_python"),
    policy("deny_environment_missing"),
    policy("deny_environment_value"),
    policy("implementation_lower_case",
           intended="implementation names are compared without regard to case: `cpython` names CPython",
           ours=(0, [[]])),
    # Evidence.
    policy("deny_evidence"),
    # Dependencies.
    policy("deny_import_forbidden"),
    policy("deny_required_distribution"),
    policy("deny_required_import"),
    # Installed distributions (policy05/site on PYTHONPATH for both tools).
    *(policy(name, subject="subjects/uses_distributions.py", site=True) for name in [
        "admit_distributions", "deny_distribution_version", "deny_distribution_origin", "deny_distribution_editable",
        "deny_distribution_forbidden", "deny_unlisted", "deny_undeclared", "deny_declared", "deny_provenance",
    ]),
    Case("declared_in_pyproject", ("declared/uses.py", "-s", "policies/deny_undeclared.yml", "-f", "json"), site=True),
    # 0.4 structural keys in a 0.5 policy, checked statically (S101-S103, R104).
    *(policy(name, subject="subjects/structured.py") for name in [
        "admit_structure", "deny_structure", "deny_structure_unverifiable", "deny_structure_deployment", "error_structure",
    ]),
    # Deny when unsure: a module that changes its namespace at import (globals(), a star import).
    dataclasses.replace(policy("deny_structure_dynamic", subject="subjects/dynamic.py"), name="structure_dynamic_globals"),
    dataclasses.replace(policy("deny_structure_dynamic", subject="subjects/star.py"), name="structure_dynamic_star_import"),
    dataclasses.replace(policy("deny_structure_dynamic", subject="subjects/structured.py"), name="structure_static_admitted"),
    # Configuration errors (exit 2, ISPY-C101).
    *(policy(name) for name in [
        "error_unknown_key", "error_schema_version", "error_schema_version_string", "error_policy_id_type",
        "error_python_range", "error_import_key", "error_duplicate_distribution", "error_dependency_version",
        "error_dependency_option", "error_origin_url", "error_runtime_key", "error_environment_type",
        "error_evidence_status",
    ]),
    # With an option only 0.5 has (`-f`), every contract is read as 0.5.0 reads it (docs/cli.md).
    policy("error_yaml"),
    policy("error_not_mapping"),
    Case("error_policy_missing", ("subjects/plugin.py", "-s", "policies/no_such_policy.yml", "-f", "json")),
    # A 0.4 contract (no `schema_version`): its structural keys and 0.5's default dependency rules.
    policy("contract_0_4_admit", subject="subjects/structured.py"),
    policy("contract_0_4_deny", subject="subjects/structured.py"),
    policy("contract_0_4_unknown_key", subject="subjects/structured.py"),
    # Discovery: the sidecar, the default policy, [tool.importspy] subjects.
    Case("sidecar", ("subjects/sidecar/unresolved.py", "-f", "json")),
    Case("default_policy_denies_unresolved", ("subjects/unresolved.py", "-f", "json")),
    Case("project_subjects", ("project", "-f", "json")),
    Case("project_with_contract_option", ("project", "-s", "project/admit.yml", "-f", "json")),
    Case("folder_without_settings", ("subjects", "-f", "json")),
    Case("default_policy_of_a_missing_subject", ("subjects/no_such_subject.py", "-f", "json")),
    # Imports: relative, local module and package, stdlib; one reference per module and statement.
    dataclasses.replace(policy("admit_runtime", subject="subjects/local_imports.py"), name="local_imports"),
    # A local json.py shadows the stdlib module, sys (built in) cannot be shadowed, a namespace folder is
    # internal, and `from .. import plugin` leaves the project root (the subject's folder): unresolved.
    dataclasses.replace(policy("admit_runtime", subject="subjects/shadow/uses_local.py"), name="shadowing_namespace_escape"),
    # Command line: the old positional form, --project-root, --provider, SARIF.
    dataclasses.replace(policy("deny_os"), name="old_positional_form", command=()),
    Case("project_root_option", ("subjects/unresolved.py", "--project-root", "subjects", "-f", "json")),
    Case("attached_short_format_and_long_options", ("subjects/unresolved.py", "--project-root=subjects", "-fjson")),
    Case("long_format_of_a_0_4_contract", ("subjects/structured.py", "-s", "policies/contract_0_4_deny.yml", "--format", "json"),
         intended="without an option only 0.5 has, a 0.4 contract keeps our check and our report (docs/cli.md)",
         ours=(1, None), shape=False),
    Case("provider_cannot_be_loaded", ("subjects/plugin.py", "-s", "policies/admit_runtime.yml", "--provider", "nosuch", "-f", "json")),
    Case("sarif", ("subjects/plugin.py", "-s", "policies/deny_os.yml", "-f", "sarif")),
    # Source.
    dataclasses.replace(policy("admit_runtime", subject="subjects/syntax_error.py"), name="source_syntax_error"),
    dataclasses.replace(policy("admit_runtime", subject="subjects/no_such_subject.py"), name="source_missing"),
]

# What this implementation does not decide yet; each entry names the missing piece. These run as strict
# expected failures, so a case that starts agreeing must be taken off this list.
NOT_YET: dict[str, str] = {}


@pytest.fixture(scope="module")
def reference() -> Path:
    """The `importspy` script of importspy==0.5.0 in its own virtual environment (installed once)."""
    script = REFERENCE_VENV / "bin" / "importspy"
    marker = REFERENCE_VENV / f"importspy-{REFERENCE_VERSION}.installed"
    # pytest-xdist runs this fixture in every worker at once: the first to hold the lock installs, the
    # others wait and then find the marker (a venv half-made by two workers fails ensurepip).
    with open(REFERENCE_VENV.with_name(REFERENCE_VENV.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.is_file():
            shutil.rmtree(REFERENCE_VENV, ignore_errors=True)
            venv.create(REFERENCE_VENV, with_pip=True)
            result = subprocess.run(
                [str(REFERENCE_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                 f"importspy=={REFERENCE_VERSION}"],
                capture_output=True, text=True, timeout=600)
            if result.returncode != 0:
                shutil.rmtree(REFERENCE_VENV, ignore_errors=True)
                pytest.skip(f"importspy=={REFERENCE_VERSION} cannot be installed from PyPI (no network?): "
                            f"{result.stderr.strip().splitlines()[-1:] or result.returncode}")
            marker.write_text(REFERENCE_VERSION + "\n")
    return script


def run(command: list[str], cwd: Path, site: bool) -> tuple[int, object, str]:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("IMPORTSPY_DIFFERENTIAL") and key != "PYTHONPATH"}
    environment.update(ENVIRONMENT)
    if site:
        environment["PYTHONPATH"] = str(cwd / "site")
    environment.pop("NO_COLOR", None)
    result = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=120)
    try:
        document = json.loads(result.stdout)
    except ValueError:
        document = None
    return result.returncode, document, result.stdout + result.stderr


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def reference_run(command: list[str], cwd: Path, site: bool) -> tuple[int, object, str]:
    """0.5.0's outcome, kept in the reference venv's outcomes/ by its inputs (arguments, every byte of the
    working folder, the environment): the reference does not depend on which wheel of ours is under test, so
    the test command's six Python suites ask it once. For commands that only read (not `init`)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    key = hashlib.sha256(json.dumps([command[1:], site, tree_digest(cwd), environment], sort_keys=True).encode()).hexdigest()
    kept = REFERENCE_VENV / "outcomes" / f"{key}.json"
    try:
        returncode, document, text = json.loads(kept.read_text())
        return returncode, document, text
    except (OSError, ValueError):
        pass
    outcome = run(command, cwd, site)
    kept.parent.mkdir(exist_ok=True)
    partial = kept.with_suffix(f".{os.getpid()}.partial")  # pytest-xdist workers may write the same entry
    partial.write_text(json.dumps(outcome))
    os.replace(partial, kept)
    return outcome


def codes(document: object) -> list[list[str]]:
    """The sorted violation codes of each decision (one list per subject)."""
    decisions = document if isinstance(document, list) else [document]
    return [sorted(item["code"] for item in decision["violations"]) for decision in decisions]


def decisions(document: object) -> list[str]:
    return [item["decision"] for item in (document if isinstance(document, list) else [document])]


def resolved(document: object) -> list[list[tuple]]:
    """Each decision's import references as resolved: name, level, kind, distributions."""
    return [[(item["reference"]["name"], item["reference"]["level"], item["kind"], [dist["name"] for dist in item["distributions"]])
             for item in decision["dependencies"]] for decision in (document if isinstance(document, list) else [document])]


def sarif_summary(document: object) -> object:
    run_ = document["runs"][0]
    return ([rule["id"] for rule in run_["tool"]["driver"]["rules"]], run_["properties"],
            [(result["ruleId"], result["level"]) for result in run_["results"]])


def shape(document: object) -> object:
    """Keys and kinds, not values: what a script reading the document relies on."""
    items = document if isinstance(document, list) else [document]
    return (isinstance(document, list),
            [(list(item), [list(violation) for violation in item["violations"]]) for item in items])


@pytest.mark.parametrize("case", [
    pytest.param(case, id=case.name,
                 marks=[pytest.mark.xfail(strict=True, reason=f"not implemented yet: {NOT_YET[case.name]}")]
                 if case.name in NOT_YET else [])
    for case in CASES
])
def test_decides_as_importspy_05(case: Case, reference: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(FIXTURES, work)
    theirs = reference_run([str(reference), *case.command, *case.arguments], work, case.site)
    ours = run([sys.executable, "-m", "importspy", *case.command, *case.arguments], work, case.site)
    if "sarif" in case.arguments:
        assert theirs[1] is not None and ours[1] is not None, ours[2]
        assert (ours[0], sarif_summary(ours[1])) == (theirs[0], sarif_summary(theirs[1]))
        return

    # The reference behaves as docs/policies-0.5.md says: a document on every exit status.
    assert theirs[1] is not None, theirs[2]
    if case.intended is None:
        assert ours[1] is not None, ours[2]
        assert (ours[0], decisions(ours[1]), codes(ours[1])) == (theirs[0], decisions(theirs[1]), codes(theirs[1])), \
            f"ours:\n{ours[2]}\n0.5.0:\n{theirs[2]}"
        assert shape(ours[1]) == shape(theirs[1])
        assert resolved(ours[1]) == resolved(theirs[1])
        for item in ours[1] if isinstance(ours[1], list) else [ours[1]]:
            assert list(item) == DECISION_KEYS
            for violation in item["violations"]:
                assert list(violation) == VIOLATION_KEYS
    else:
        # Intended difference: 0.5.0 still does what we document, and we do the documented thing.
        exit_status, expected_codes = case.ours
        assert ours[0] == exit_status, ours[2]
        if expected_codes is not None:
            assert ours[1] is not None and codes(ours[1]) == expected_codes, ours[2]
        if case.shape:  # the same document, whatever the violations
            assert [list(item) for item in (ours[1] if isinstance(ours[1], list) else [ours[1]])] == [DECISION_KEYS]
        assert (theirs[0], codes(theirs[1])) != (ours[0], expected_codes) or expected_codes is None, \
            "0.5.0 now agrees with us: this is no longer a difference"


def test_every_policy_fixture_is_a_case() -> None:
    used = {argument for case in CASES for argument in case.arguments}
    fixtures = {f"policies/{path.name}" for path in (FIXTURES / "policies").glob("*.yml")}
    assert fixtures <= used, f"fixtures without a case: {sorted(fixtures - used)}"


def test_every_not_yet_entry_names_a_case() -> None:
    assert set(NOT_YET) <= {case.name for case in CASES}


@pytest.mark.parametrize("subject, site", [
    ("subjects/plugin.py", False), ("subjects/structured.py", False), ("subjects/unresolved.py", False),
    ("subjects/uses_distributions.py", True),
])
def test_init_writes_a_starter_policy_that_decides_as_importspy_05s(subject: str, site: bool, reference: Path, tmp_path: Path) -> None:
    """`importspy init` by each tool, then 0.5.0's own check of each starter: the same decision and codes.
    A second `init` refuses to overwrite (exit 2) in both."""
    outcomes = []
    for tool in ([str(reference)], [sys.executable, "-m", "importspy"]):
        work = tmp_path / ("theirs" if len(tool) == 1 else "ours")
        shutil.copytree(FIXTURES, work)
        created = run([*tool, "init", subject, "-o", "starter.yml"], work, site)
        again = run([*tool, "init", subject, "-o", "starter.yml"], work, site)
        assert (created[0], again[0]) == (0, 2), created[2] + again[2]
        checked = reference_run([str(reference), "check", subject, "-s", "starter.yml", "-f", "json"], work, site)
        assert checked[1] is not None, checked[2]
        outcomes.append((checked[0], decisions(checked[1]), codes(checked[1])))
    assert outcomes[1] == outcomes[0]
