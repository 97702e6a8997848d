"""importspy lock and importspy check --locked: drift from the reviewed code is named."""

import json


def locked_project(project):
    project.write("c.yml", "variables: []\n")
    project.write("p/a.py", "def f(x):\n    return x\n\nclass K:\n    def m(self):\n        return 1\n")
    project.write("p/b.py", "value = 1\n")
    result = project.cli("lock", "p")
    assert result.returncode == 0 and "Locked 2 modules in importspy.lock." in result.stdout, result.stderr
    return project


def drift(project, *extra):
    result = project.cli("check", "p", "-s", "c.yml", "--locked", "--format", "json", *extra)
    document = json.loads(result.stdout)
    return result.returncode, {t["target"]: [(v["code"], v["path"]) for v in t.get("violations", [])] for t in document["targets"]}


def test_an_unchanged_tree_passes(project):
    locked_project(project)
    status, found = drift(project)
    assert status == 0 and found == {"p/a.py": [], "p/b.py": []}


def test_a_body_change_names_the_definition_and_its_class(project):
    locked_project(project)
    project.write("p/a.py", "def f(x):\n    return x\n\nclass K:\n    def m(self):\n        return 2\n")
    status, found = drift(project)
    assert status == 1
    assert found["p/a.py"] == [("integrity-mismatch", "lock.file"), ("hash-mismatch", "lock.definitions.K"), ("hash-mismatch", "lock.definitions.K.m")]


def test_a_comment_changes_only_the_file(project):
    locked_project(project)
    project.write("p/b.py", "value = 1  # reviewed\n")
    assert drift(project)[1]["p/b.py"] == [("integrity-mismatch", "lock.file")]


def test_added_removed_and_unlocked_definitions_and_modules(project):
    locked_project(project)
    project.write("p/a.py", "def g(x):\n    return x\n\nclass K:\n    def m(self):\n        return 1\n")
    project.write("p/c.py", "new = True\n")
    status, found = drift(project)
    assert ("hash-mismatch", "lock.definitions.f") in found["p/a.py"] and ("hash-mismatch", "lock.definitions.g") in found["p/a.py"]
    assert found["p/c.py"] == [("integrity-mismatch", "lock")]
    text = project.cli("check", "p", "-s", "c.yml", "--locked").stdout
    assert "`f` was removed since it was locked" in text and "`g` was added since the lock" in text and "not in importspy.lock" in text


def test_parallel_threads_check_the_lock_too(project):
    project.write("c.yml", "variables: []\n")
    for i in range(140):
        project.write(f"p/m{i:03}.py", f"def f():\n    return {i}\n")
    assert project.cli("lock", "p").returncode == 0
    project.write("p/m100.py", "def f():\n    return -1\n")
    status, found = drift(project, "-j", "2", "--no-cache")
    assert status == 1 and found["p/m100.py"] and sum(1 for v in found.values() if v) == 1


def test_lock_writes_nothing_when_a_target_cannot_be_read(project):
    locked_project(project)
    before = (project.root / "importspy.lock").read_text()
    project.write("p/broken.py", "def f(:\n")
    result = project.cli("lock", "p")
    assert result.returncode == 2 and "nothing written" in result.stderr and "p/broken.py:1:" in result.stderr
    assert (project.root / "importspy.lock").read_text() == before


def test_missing_or_damaged_lock_file_is_a_clear_error(project):
    project.write("c.yml", "variables: []\n")
    project.write("p/a.py", "x = 1\n")
    missing = project.cli("check", "p", "-s", "c.yml", "--locked")
    assert missing.returncode == 2 and "importspy.lock: the lock file cannot be read" in missing.stderr
    project.write("importspy.lock", "{ damaged")
    damaged = project.cli("check", "p", "-s", "c.yml", "--locked")
    assert damaged.returncode == 2 and "not a valid lock file" in damaged.stderr


def test_lock_file_is_stable_json(project):
    locked_project(project)
    first = (project.root / "importspy.lock").read_text()
    project.cli("lock", "p")
    assert (project.root / "importspy.lock").read_text() == first
    document = json.loads(first)
    assert document["importspy-lock"] == 1 and sorted(document["modules"]) == ["p/a.py", "p/b.py"]
    assert set(document["modules"]["p/a.py"]["definitions"]) == {"f", "K", "K.m"}
