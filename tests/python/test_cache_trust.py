"""Nothing in a result cache changes a verdict unless this user's engine wrote it for exactly these
inputs: entries are authenticated with a per-user key kept outside the project."""

import json
import os
import stat

import pytest

CONTRACT = "variables:\n  - name: value\n    value: 1\n"


@pytest.fixture
def tree(project, tmp_path_factory):
    project.write("contract.yml", CONTRACT)
    project.write("plugins/good.py", "value = 1\n")
    project.write("plugins/bad.py", "value = 2\n")
    project.keys = {name: {"XDG_CACHE_HOME": str(tmp_path_factory.mktemp(f"xdg-{name}"))} for name in ("alice", "mallory")}
    return project


def run(project, user, *targets):
    result = project.cli("check", *(targets or ("plugins",)), "-s", "contract.yml", "--format", "json", env=project.keys[user])
    return result, {t["target"]: t for t in json.loads(result.stdout)["targets"]}


def entries(project):
    return [p for p in (project.root / ".importspy_cache").rglob("*.json") if p.parent.name != "contracts"]


def test_the_key_is_created_private_outside_the_project(tree):
    run(tree, "alice")
    key = os.path.join(tree.keys["alice"]["XDG_CACHE_HOME"], "importspy", "key")
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(key)).st_mode) == 0o700
    assert not any("key" == p.name for p in tree.root.rglob("*"))
    _, served = run(tree, "alice")
    assert all(t["cached"] for t in served.values())


def test_an_entry_written_under_another_users_key_is_not_served(tree):
    run(tree, "mallory")  # e.g. committed into the tree, or restored from someone else's cache
    result, targets = run(tree, "alice")
    assert not any(t["cached"] for t in targets.values())
    assert result.returncode == 1 and not targets["plugins/bad.py"]["ok"]


def test_a_forged_passing_entry_committed_into_the_tree_does_not_pass_a_violating_module(tree):
    run(tree, "alice")
    for entry in entries(tree):  # a verdict rewritten to "no violations", the MAC line kept
        head, mac, body = entry.read_text().split("\n", 2)
        document = json.loads(body)
        document["violations"] = []
        entry.write_text(f"{head}\n{mac}\n{json.dumps(document)}")
    result, targets = run(tree, "alice")
    assert result.returncode == 1
    assert not targets["plugins/bad.py"]["ok"] and not targets["plugins/bad.py"]["cached"]


def test_a_good_modules_entry_copied_over_a_bad_modules_entry_is_not_served(tree):
    run(tree, "alice")
    by_verdict = {}
    for entry in entries(tree):
        by_verdict[bool(json.loads(entry.read_text().split("\n", 2)[2])["violations"])] = entry
    by_verdict[True].write_bytes(by_verdict[False].read_bytes())
    result, targets = run(tree, "alice")
    assert result.returncode == 1 and not targets["plugins/bad.py"]["ok"] and not targets["plugins/bad.py"]["cached"]


def test_the_same_bytes_under_another_module_name_are_not_served_the_other_result(tree):
    # Same file, same bytes, same contract: as `plugins.ext` the relative import names plugins.base.Base;
    # with settings in plugins/ (its own source root: module `ext`) it names base.Base, which the contract
    # does not accept.
    tree.write("contract.yml", "classes:\n  - name: Ext\n    superclasses: [{name: plugins.base.Base}]\n")
    tree.write("plugins/__init__.py", "")
    tree.write("plugins/base.py", "class Base: pass\n")
    tree.write("plugins/ext.py", "from .base import Base\nclass Ext(Base): pass\n")
    tree.write("plugins/importspy.toml", "")
    tree.write("other.py", "class Other: pass\n")  # named `other` either way
    # Two targets each time: a batch, which is what the cache serves.
    _, targets = run(tree, "alice", "plugins/ext.py", "other.py")
    assert targets["plugins/ext.py"]["ok"], targets
    _, targets = run(tree, "alice", "plugins/ext.py", "other.py", "--config", "plugins/importspy.toml")
    assert targets["other.py"]["cached"] is True  # the cache is in use
    assert targets["plugins/ext.py"]["cached"] is False
    assert [v["code"] for v in targets["plugins/ext.py"]["violations"]] == ["superclass-missing"]


@pytest.mark.parametrize("kind", ["folder", "fifo", "device link"])
def test_an_entry_that_is_not_a_regular_file_is_a_miss_and_never_blocks(tree, kind):
    run(tree, "alice")
    for entry in entries(tree):
        entry.unlink()
        if kind == "folder":
            entry.mkdir()
        elif kind == "fifo":
            os.mkfifo(entry)
        else:
            os.symlink("/dev/zero", entry)
    result, targets = run(tree, "alice")  # a FIFO opened for reading would wait for a writer forever
    assert result.returncode == 1, result.stderr
    assert not any(t["cached"] for t in targets.values())
