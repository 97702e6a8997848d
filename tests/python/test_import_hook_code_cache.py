"""The compiled code of a checked module is kept between processes (bindings/src/importing/code_cache.hpp),
outside the project and authenticated: it is served only for the exact bytes just checked, so a planted,
edited or moved entry never runs. Real interpreters, real files."""

import hashlib
import importlib.util
import marshal

CONTRACT = "variables:\n  - name: api_level\n    value: 2\n"
POLICY = "import importspy\nfinder = importspy.install({'app.plugins.*': 'contract.yml'})\n"


def setup(project, source=b"api_level = 2\nsecret = 'original'\n"):
    project.write("contract.yml", CONTRACT)
    project.write("app/__init__.py", "")
    project.write("app/plugins/__init__.py", "")
    path = project.root / "app" / "plugins" / "good.py"
    path.write_bytes(source)
    return path


def import_good(project, cache, write_bytecode=True):
    env = {"XDG_CACHE_HOME": str(cache), "PYTHONDONTWRITEBYTECODE": "" if write_bytecode else "1"}
    body = POLICY + "import app.plugins.good as g\nprint(g.secret, [d['decision'] for d in finder.decisions])\n"
    return project.run("-c", body, env=env)


def entry_path(cache, source_path):
    """Where the entry for these bytes lives: the key binds their SHA-256, the file name, the magic number
    and the optimisation level (0 here)."""
    magic = int.from_bytes(importlib.util.MAGIC_NUMBER, "little")
    material = "\0".join([hashlib.sha256(source_path.read_bytes()).hexdigest(), str(source_path), str(magic), "0"])
    key = hashlib.sha256(material.encode()).hexdigest()
    return cache / "importspy" / "code" / "v1" / "code" / key[:2] / key


def test_the_code_of_a_checked_module_is_kept_outside_the_project(project, tmp_path):
    source = setup(project)
    cache = tmp_path / "cache"
    first = import_good(project, cache)
    assert first.stdout.strip() == "original ['accepted']", first.stderr
    entry = entry_path(cache, source)
    assert entry.is_file(), sorted(str(p) for p in cache.rglob("*"))
    assert not list(project.root.rglob("__pycache__/good*")), "nothing is written next to the checked source"
    second = import_good(project, cache)
    assert second.stdout.strip() == "original ['accepted']", second.stderr


def test_an_edited_entry_never_runs(project, tmp_path):
    source = setup(project)
    cache = tmp_path / "cache"
    import_good(project, cache)
    entry = entry_path(cache, source)
    header, mac, _ = entry.read_bytes().split(b"\n", 2)
    evil = marshal.dumps(compile("api_level = 2\nsecret = 'planted'\n", str(source), "exec"))
    entry.write_bytes(header + b"\n" + mac + b"\n" + evil)  # valid code, the old MAC
    result = import_good(project, cache)
    assert result.stdout.strip() == "original ['accepted']", result.stdout + result.stderr


def test_an_entry_made_for_other_bytes_is_never_served(project, tmp_path):
    source = setup(project, b"api_level = 2\nsecret = 'first'\n")
    cache = tmp_path / "cache"
    import_good(project, cache)
    first_entry = entry_path(cache, source)
    source.write_bytes(b"api_level = 2\nsecret = 'second'\n")
    moved = entry_path(cache, source)
    moved.parent.mkdir(parents=True, exist_ok=True)
    moved.write_bytes(first_entry.read_bytes())  # authentic, but for the first bytes
    result = import_good(project, cache)
    assert result.stdout.strip() == "second ['accepted']", result.stdout + result.stderr


def test_nothing_is_written_when_python_is_asked_not_to_write_bytecode(project, tmp_path):
    setup(project)
    cache = tmp_path / "cache"
    result = import_good(project, cache, write_bytecode=False)
    assert result.stdout.strip() == "original ['accepted']", result.stderr
    assert not (cache / "importspy" / "code").exists()


def test_a_module_rejected_by_its_contract_leaves_no_code(project, tmp_path):
    setup(project, b"api_level = 3\nsecret = 'x'\n")
    cache = tmp_path / "cache"
    result = import_good(project, cache)
    assert "ContractViolation" in result.stderr
    assert not (cache / "importspy" / "code").exists()
