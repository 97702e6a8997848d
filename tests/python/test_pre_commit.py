"""The pre-commit hooks of .pre-commit-hooks.yaml, run by pre-commit in a temporary git repository.

pre-commit installs a `language: python` hook by building this package from the repository, which
compiles the C++ engine: minutes on a CI machine, every run. So the tests that always run take the hooks
from .pre-commit-hooks.yaml as they are (id, entry, files, types, pass_filenames) and run them as a
`repo: local` configuration whose entry is the `importspy` already installed next to this interpreter;
only `language` differs (`system`). The real `pre-commit try-repo` of this repository, which also proves
the package builds and installs as a hook, runs when IMPORTSPY_TEST_TRY_REPO=1 (it passed in 10m39s on
this project's 2-core machine: too slow for every run of the test command).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

MANIFEST = REPO / ".pre-commit-hooks.yaml"
SETTINGS = '[tool.importspy]\ntargets = ["plugins"]\n\n[[tool.importspy.contracts]]\nmatch = "plugins/*.py"\ncontract = "contracts/plugin.yml"\n'
CONTRACT = "variables:\n  - name: api_level\n    value: 2\n"


def git(repository: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repository, check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path):
    root = tmp_path / "project"
    (root / "plugins").mkdir(parents=True)
    (root / "contracts").mkdir()
    (root / "pyproject.toml").write_text(SETTINGS)
    (root / "contracts" / "plugin.yml").write_text(CONTRACT)
    (root / "plugins" / "good.py").write_text("api_level = 2\n")
    git(root, "init", "-q")
    git(root, "config", "user.email", "tests@example.invalid")
    git(root, "config", "user.name", "tests")
    git(root, "add", "-A")
    return root


def environment(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def run_hooks(repository: Path, tmp_path: Path, *hook_ids: str):
    """`pre-commit run --all-files` with the manifest's hooks as a local repository."""
    hooks = []
    for hook in yaml.safe_load(MANIFEST.read_text()):
        if hook["id"] in hook_ids:
            command, *rest = hook["entry"].split(" ", 1)
            hooks.append({**hook, "language": "system", "entry": " ".join([str(Path(sys.executable).parent / command), *rest])})
    config = tmp_path / "pre-commit-config.yaml"
    config.write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}))
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--config", str(config), "--color", "never"],
                          cwd=repository, env=environment(tmp_path), capture_output=True, text=True, timeout=300)


def test_manifest_declares_the_check_and_lint_hooks():
    hooks = {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text())}
    assert set(hooks) == {"importspy-check", "importspy-lint"}
    assert hooks["importspy-check"]["entry"] == "importspy check" and hooks["importspy-check"]["pass_filenames"] is False
    assert hooks["importspy-lint"]["entry"] == "importspy lint" and hooks["importspy-lint"]["pass_filenames"] is True
    assert all(hook["language"] == "python" for hook in hooks.values())


def test_check_hook_passes_on_a_compliant_project(repository, tmp_path):
    result = run_hooks(repository, tmp_path, "importspy-check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "importspy check" in result.stdout and "Passed" in result.stdout


def test_check_hook_fails_naming_the_violation(repository, tmp_path):
    (repository / "plugins" / "old.py").write_text("api_level = 1\n")
    git(repository, "add", "-A")
    result = run_hooks(repository, tmp_path, "importspy-check")
    assert result.returncode == 1
    assert "Failed" in result.stdout
    assert "plugins/old.py violates contracts/plugin.yml" in result.stdout
    assert "variable-value-mismatch variables.api_level: variable `api_level` is 1, expected 2" in result.stdout


def test_lint_hook_is_given_only_the_staged_contracts(repository, tmp_path):
    # A YAML file that is no contract must not be linted; a broken contract must be, by name.
    (repository / "config.yml").write_text("not: [a contract\n")
    (repository / "contracts" / "plugin.yml").write_text("variables:\n  - name: api_level\n    valeu: 2\n")
    git(repository, "add", "-A")
    result = run_hooks(repository, tmp_path, "importspy-lint")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "- exit code: 2" in result.stdout  # importspy lint: a contract that does not load
    assert "contracts/plugin.yml:3:5: invalid contract: unknown key `valeu`" in result.stdout
    assert "1 contract checked" in result.stdout  # config.yml was not passed


def test_lint_hook_passes_on_a_clean_contract(repository, tmp_path):
    result = run_hooks(repository, tmp_path, "importspy-lint")
    assert result.returncode == 0, result.stdout + result.stderr


POLICY_05 = "schema_version: 1\npolicy_id: plugins\nruntime:\n  python: '>=3.8'\nfunctions:\n  - name: register\n"


def test_lint_hook_passes_on_the_policies_of_a_0_5_project(repository, tmp_path):
    (repository / "policies").mkdir()
    (repository / "policies" / "plugin.yml").write_text(POLICY_05)
    (repository / "plugins" / "good.importspy.yml").write_text(POLICY_05)
    git(repository, "add", "-A")
    result = run_hooks(repository, tmp_path, "importspy-lint")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_lint_hook_names_the_place_of_a_mistake_in_a_0_5_policy(repository, tmp_path):
    (repository / "policies").mkdir()
    (repository / "policies" / "plugin.yml").write_text("schema_version: 1\nruntime:\n  platfrom: [linux]\n")
    git(repository, "add", "-A")
    result = run_hooks(repository, tmp_path, "importspy-lint")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "policies/plugin.yml:3:3: invalid policy: unknown key `platfrom` in `runtime`" in result.stdout
    assert "2 contracts checked" in result.stdout  # contracts/plugin.yml and the policy


@pytest.mark.skipif(os.environ.get("IMPORTSPY_TEST_TRY_REPO") != "1",
                    reason="pre-commit try-repo builds the package (compiles the C++ engine, minutes); IMPORTSPY_TEST_TRY_REPO=1 runs it")
def test_try_repo_installs_the_hooks_from_this_repository(repository, tmp_path):
    """The real thing: pre-commit builds this repository's package into a hook environment and runs it."""
    env = environment(tmp_path)
    env["CMAKE_BUILD_PARALLEL_LEVEL"] = "2"
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "importspy-check", "--all-files", "--color", "never"]
    passing = subprocess.run(command, cwd=repository, env=env, capture_output=True, text=True, timeout=3600)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    (repository / "plugins" / "old.py").write_text("api_level = 1\n")
    git(repository, "add", "-A")
    failing = subprocess.run(command, cwd=repository, env=env, capture_output=True, text=True, timeout=3600)
    assert failing.returncode == 1
    assert "variable-value-mismatch" in failing.stdout and "plugins/old.py" in failing.stdout


def documented_local_hooks() -> str:
    """The `repo: local` configuration docs/integrations.md offers as the fast path (no C++ build)."""
    import re

    page = (REPO / "docs" / "integrations.md").read_text()
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", page, re.S) if "repo: local" in b]
    return block


def test_the_documented_fast_path_selects_files_as_the_manifest_hooks_do():
    manifest = {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text())}
    [repo] = yaml.safe_load(documented_local_hooks())["repos"]
    for hook in repo["hooks"]:
        assert hook["language"] == "system"
        defaults = {"pass_filenames": True, "require_serial": False}  # pre-commit's
        for key in ("entry", "pass_filenames", "files", "types", "types_or", "require_serial"):
            assert hook.get(key, defaults.get(key)) == manifest[hook["id"]].get(key, defaults.get(key)), (hook["id"], key)


def test_the_documented_fast_path_runs_as_written(repository, tmp_path):
    (repository / ".pre-commit-config.yaml").write_text(documented_local_hooks())
    (repository / "plugins" / "old.py").write_text("api_level = 1\n")
    git(repository, "add", "-A")
    result = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                            cwd=repository, env=environment(tmp_path), capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "plugins/old.py violates contracts/plugin.yml" in result.stdout
    assert "importspy lint" in result.stdout and "Passed" in result.stdout
