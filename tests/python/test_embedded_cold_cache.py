"""The embedded check's contract, compiled once, is kept between processes (docs/python-api.md, "What a cold
check reads"): a fresh interpreter reads the compiled form from the per-user cache instead of compiling the
YAML again; and the facts read from the importer's source, so that it reads them back instead of reading
the source again. Entries are authenticated and keyed by the exact text they stand for: a forged, copied or
stale entry is a miss, and the contract is compiled, or the source read, from the file. Real interpreters,
real files."""

import json
import sys

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no per-user cache key on Windows yet: nothing is kept")

STRICT = "filename: plugin.py\nvariables:\n  - name: engine\n    value: docker\n"
PERMISSIVE = "filename: plugin.py\n"

RUN = "import json, importspy, plugin\nfrom importspy import _engine\nprint(json.dumps(_engine.contract_cache_stats()))\n"


def setup(project, contract=STRICT, engine="docker"):
    project.write("plugin.yml", contract)
    project.write("plugin_base.py", "from importspy import Spy\n\nclass Plugin:\n    pass\n\nSpy().importspy(filepath='plugin.yml')\n")
    project.write("plugin.py", f"from plugin_base import Plugin\n\nengine = {engine!r}\n")


def run(project, cache, write_bytecode=True, program=RUN):
    env = {"XDG_CACHE_HOME": str(cache), "PYTHONDONTWRITEBYTECODE": "" if write_bytecode else "1"}
    return project.run("-c", program, env=env)


def stats(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def entries(cache, kind="contracts"):
    folder = cache / "importspy" / kind
    return sorted(p for p in folder.rglob("*") if p.is_file() and len(p.name) == 64)


def test_a_fresh_interpreter_reads_the_compiled_contract_instead_of_compiling_it(project, tmp_path):
    setup(project)
    cache = tmp_path / "cache"
    assert stats(run(project, cache)) == {"hits": 0, "rereads": 0, "compiles": 1, "stored": 0}
    assert len(entries(cache)) == 1
    assert stats(run(project, cache)) == {"hits": 0, "rereads": 0, "compiles": 0, "stored": 1}


def test_the_compiled_contract_is_kept_outside_the_project(project, tmp_path):
    setup(project)
    cache = tmp_path / "cache"

    def files():
        return {p for p in project.root.rglob("*") if "__pycache__" not in p.parts and cache not in p.parents and p != cache}

    before = files()
    stats(run(project, cache))
    assert files() == before
    assert len(entries(cache)) == 1


def test_a_violation_is_still_reported_when_the_contract_is_read_compiled(project, tmp_path):
    setup(project, engine="podman")
    cache = tmp_path / "cache"
    for _ in range(2):
        result = run(project, cache)
        assert result.returncode != 0
        assert "engine" in result.stderr and "docker" in result.stderr, result.stderr
    assert len(entries(cache)) == 1


def test_an_edited_entry_is_a_miss_and_the_contract_is_compiled(project, tmp_path):
    setup(project, engine="podman")
    cache = tmp_path / "cache"
    run(project, cache)
    (entry,) = entries(cache)
    header, mac, body = entry.read_bytes().split(b"\n", 2)
    assert b"docker" in body
    entry.write_bytes(header + b"\n" + mac + b"\n" + body.replace(b"docker", b"podman"))  # the old MAC
    result = run(project, cache)
    assert result.returncode != 0 and "docker" in result.stderr, result.stdout + result.stderr


def test_an_entry_copied_from_another_contract_is_a_miss(project, tmp_path):
    cache = tmp_path / "cache"
    setup(project, contract=PERMISSIVE, engine="podman")
    assert stats(run(project, cache))["compiles"] == 1
    (permissive,) = entries(cache)
    setup(project, contract=STRICT, engine="podman")
    assert run(project, cache).returncode != 0
    (strict,) = [p for p in entries(cache) if p != permissive]
    strict.write_bytes(permissive.read_bytes())  # authentic, but for the permissive text
    result = run(project, cache)
    assert result.returncode != 0 and "docker" in result.stderr, result.stdout + result.stderr


def test_an_edited_contract_is_compiled_again_not_served_stale(project, tmp_path):
    cache = tmp_path / "cache"
    setup(project, contract=PERMISSIVE, engine="podman")
    stats(run(project, cache))
    stats(run(project, cache))
    setup(project, contract=STRICT, engine="podman")
    result = run(project, cache)
    assert result.returncode != 0 and "docker" in result.stderr, result.stdout + result.stderr


def test_an_entry_under_another_users_key_is_a_miss(project, tmp_path):
    setup(project)
    cache = tmp_path / "cache"
    stats(run(project, cache))
    key = cache / "importspy" / "key"
    key.write_text("0" * 64)  # another key: every MAC written before fails
    key.chmod(0o600)
    assert stats(run(project, cache))["compiles"] == 1
    assert stats(run(project, cache))["stored"] == 1  # rewritten under the new key, then served


def test_nothing_is_written_when_python_is_asked_not_to_write_bytecode(project, tmp_path):
    setup(project)
    cache = tmp_path / "cache"
    assert stats(run(project, cache, write_bytecode=False))["compiles"] == 1
    assert entries(cache) == []


def test_the_first_check_in_a_fresh_interpreter_imports_no_module(project, tmp_path):
    setup(project)
    body = "import sys, importspy\nbefore = set(sys.modules)\nimport plugin\nprint(sorted(set(sys.modules) - before))\n"
    result = project.run("-c", body, env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['plugin', 'plugin_base']"


def test_a_rebuilt_engine_does_not_read_what_an_earlier_build_stored(project, tmp_path):
    """A development build keeps its version number: the extension's file (size, modification time) is
    part of the key, so a rebuild that compiles contracts differently never reads an older build's forms."""
    import os
    import shutil

    import importspy

    copy = tmp_path / "engine"
    shutil.copytree(os.path.dirname(importspy.__file__), copy / "importspy")
    # A repaired wheel keeps the libraries the extension links against beside the package (auditwheel).
    vendored = os.path.join(os.path.dirname(os.path.dirname(importspy.__file__)), "importspy.libs")
    if os.path.isdir(vendored):
        shutil.copytree(vendored, copy / "importspy.libs")
    (extension,) = (copy / "importspy").glob("_engine*.so")
    setup(project)
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache), "PYTHONDONTWRITEBYTECODE": "", "PYTHONPATH": os.pathsep.join([str(copy), str(project.root)])}
    assert stats(project.run("-c", RUN, env=env))["compiles"] == 1
    assert stats(project.run("-c", RUN, env=env))["stored"] == 1
    os.utime(extension, (extension.stat().st_atime, extension.stat().st_mtime + 10))  # "rebuilt"
    assert stats(project.run("-c", RUN, env=env)) == {"hits": 0, "rereads": 0, "compiles": 1, "stored": 0}


# ---- The importer's source facts, kept the same way ----

FACTS_RUN = "import json, importspy, plugin\nfrom importspy import _engine\nprint(json.dumps(_engine.source_facts_stats()))\n"

# The instance attribute is known from the source alone (`self.count = 0` in __init__): a stored reading
# that named it otherwise would change the verdict.
INSTANCE = "filename: plugin.py\nclasses:\n  - name: Worker\n    attributes:\n      - type: instance\n        name: count\n"


def setup_worker(project, attribute="count"):
    project.write("plugin.yml", INSTANCE)
    project.write("plugin_base.py", "from importspy import Spy\n\nSpy().importspy(filepath='plugin.yml')\n")
    project.write("plugin.py", f"import plugin_base\n\nclass Worker:\n    def __init__(self):\n        self.{attribute} = 0\n")


def run_facts(project, cache, write_bytecode=True):
    return run(project, cache, write_bytecode, program=FACTS_RUN)


def facts_entries(cache):
    return entries(cache, "facts")


def test_a_fresh_interpreter_reads_the_importers_facts_back_instead_of_reading_its_source(project, tmp_path):
    setup_worker(project)
    cache = tmp_path / "cache"
    assert stats(run_facts(project, cache)) == {"hits": 0, "reads": 1, "stored": 0}
    assert len(facts_entries(cache)) == 1
    assert stats(run_facts(project, cache)) == {"hits": 0, "reads": 0, "stored": 1}


def test_an_edited_importer_is_read_again_and_judged_as_it_now_is(project, tmp_path):
    setup_worker(project)
    cache = tmp_path / "cache"
    stats(run_facts(project, cache))
    setup_worker(project, attribute="total")
    result = run_facts(project, cache)
    assert result.returncode != 0 and "count" in result.stderr, result.stdout + result.stderr
    assert len(facts_entries(cache)) == 2  # one reading per text: the earlier one stands only for the earlier bytes


def test_an_edited_facts_entry_is_a_miss_and_the_source_is_read(project, tmp_path):
    setup_worker(project, attribute="cXunt")
    cache = tmp_path / "cache"
    assert run_facts(project, cache).returncode != 0
    (entry,) = facts_entries(cache)
    header, mac, body = entry.read_bytes().split(b"\n", 2)
    assert b"cXunt" in body
    entry.write_bytes(header + b"\n" + mac + b"\n" + body.replace(b"cXunt", b"count"))  # well-formed, the old MAC
    result = run_facts(project, cache)
    assert result.returncode != 0 and "count" in result.stderr, result.stdout + result.stderr


def test_a_facts_entry_copied_from_another_source_is_a_miss(project, tmp_path):
    cache = tmp_path / "cache"
    setup_worker(project)
    stats(run_facts(project, cache))
    (compliant,) = facts_entries(cache)
    setup_worker(project, attribute="total")
    assert run_facts(project, cache).returncode != 0
    (other,) = [p for p in facts_entries(cache) if p != compliant]
    other.write_bytes(compliant.read_bytes())  # authentic, but for the compliant bytes
    result = run_facts(project, cache)
    assert result.returncode != 0 and "count" in result.stderr, result.stdout + result.stderr


def test_no_facts_are_written_when_python_is_asked_not_to_write_bytecode(project, tmp_path):
    setup_worker(project)
    cache = tmp_path / "cache"
    assert stats(run_facts(project, cache, write_bytecode=False)) == {"hits": 0, "reads": 1, "stored": 0}
    assert facts_entries(cache) == []
