"""Integrity pins: file SHA-256 and structure hashes of functions, methods and classes."""

import textwrap

import pytest

import importspy

ORIGINAL = '''
def run(job, retries: int = 3) -> bool:
    """Run the job."""
    result = job(retries)
    return bool(result)


class Worker(Base):
    """A worker."""

    def start(self, delay=0):
        return delay + 1
'''


def pins(project, source):
    module = project.write("mod.py", "class Base:\n    pass\n" + textwrap.dedent(source))
    lines = project.cli("hash", str(module)).stdout.splitlines()
    return {line.split()[1] if "(file" not in line else "<file>": line.split()[0] for line in lines}


UNCHANGED = {
    "formatting": ORIGINAL.replace("def run(job, retries: int = 3) -> bool:", "def run(job,\n        retries : int=3)->bool :"),
    "comments": ORIGINAL.replace("result = job(retries)", "result = job(retries)  # call it\n    # and convert"),
    "docstrings": ORIGINAL.replace('"""Run the job."""', '"""Run the job, carefully, and say whether it worked."""').replace('"""A worker."""', ""),
    "blank lines and position": "\n\n\nVALUE = 1\n\n" + ORIGINAL,
    "another definition": ORIGINAL + "\n\ndef other():\n    return 2\n",
}

CHANGED = {
    "parameter name": ("run", ORIGINAL.replace("def run(job,", "def run(task,").replace("job(retries)", "task(retries)")),
    "default value": ("run", ORIGINAL.replace("retries: int = 3", "retries: int = 4")),
    "annotation": ("run", ORIGINAL.replace("retries: int = 3", "retries: float = 3")),
    "return annotation": ("run", ORIGINAL.replace("-> bool:", "-> int:")),
    "added parameter": ("run", ORIGINAL.replace("retries: int = 3)", "retries: int = 3, verbose=False)")),
    "body statement": ("run", ORIGINAL.replace("return bool(result)", "return result is not None")),
    "decorator": ("run", ORIGINAL.replace("def run(", "@staticmethod\ndef run(")),
    "base class": ("Worker", ORIGINAL.replace("class Worker(Base):", "class Worker:")),
    "method body (method)": ("Worker.start", ORIGINAL.replace("return delay + 1", "return delay + 2")),
    "method body (class)": ("Worker", ORIGINAL.replace("return delay + 1", "return delay + 2")),
}


@pytest.mark.parametrize("edit", sorted(UNCHANGED))
def test_edits_that_keep_every_structure_hash(project, edit):
    before, after = pins(project, ORIGINAL), pins(project, UNCHANGED[edit])
    for name in ("run", "Worker", "Worker.start"):
        assert before[name] == after[name], (edit, name)
    assert before["<file>"] != after["<file>"]  # the file pin sees every byte


@pytest.mark.parametrize("edit", sorted(CHANGED))
def test_edits_that_change_a_structure_hash(project, edit):
    name, source = CHANGED[edit]
    assert pins(project, ORIGINAL)[name] != pins(project, source)[name], edit


def test_unrelated_definitions_keep_their_hash(project):
    before, after = pins(project, ORIGINAL), pins(project, CHANGED["body statement"][1])
    assert before["Worker"] == after["Worker"] and before["Worker.start"] == after["Worker.start"]


def test_select_prints_one_hash(project):
    module = project.write("mod.py", "class Base:\n    pass\n" + textwrap.dedent(ORIGINAL))
    selected = project.cli("hash", str(module), "--select", "Worker.start")
    assert selected.returncode == 0 and selected.stdout.strip() == pins(project, ORIGINAL)["Worker.start"]
    missing = project.cli("hash", str(module), "--select", "Nope")
    assert missing.returncode == 2 and "`Nope` is not a function, class or method" in missing.stderr


def test_pinned_contract_detects_drift_with_the_new_codes(project):
    module = project.write("mod.py", "class Base:\n    pass\n" + textwrap.dedent(ORIGINAL))
    contract = project.write("pinned.yml", importspy.generate(str(module), with_hashes=True))
    assert "integrity: {sha256: " in contract.read_text() and 'hash: "sha256:' in contract.read_text()
    assert importspy.check(str(module), str(contract)).ok
    # A comment changes the file's bytes but no structure.
    module.write_text(module.read_text() + "# reviewed\n")
    codes = [v.code for v in importspy.check(str(module), str(contract)).violations]
    assert codes == ["integrity-mismatch"]
    # A body change changes the function's structure too.
    module.write_text(module.read_text().replace("return bool(result)", "return True"))
    report = importspy.check(str(module), str(contract))
    assert sorted((v.code, v.path) for v in report.violations) == [("hash-mismatch", "functions.run.hash"), ("integrity-mismatch", "integrity")]
    assert all(v.expected.startswith(("sha256:", "")) for v in report.violations)


def test_runtime_mode_takes_hashes_from_the_source(project, monkeypatch):
    monkeypatch.syspath_prepend(str(project.root))
    module = project.write("pinned_mod.py", "def f(x):\n    return x\n")
    contract = project.write("pinned.yml", importspy.generate(str(module), with_hashes=True))
    assert importspy.check(str(module), str(contract), mode="runtime").ok


def test_file_pin_copied_from_importspy_hash_is_accepted_with_its_prefix(project):
    module = project.write("mod.py", "def f(x):\n    return x\n")
    printed = project.cli("hash", str(module)).stdout.splitlines()[0].split()[0]
    assert printed.startswith("sha256:")
    contract = project.write("pinned.yml", f'integrity: {{sha256: "{printed}"}}\n')
    result = project.cli("check", str(module), "-s", str(contract))
    assert result.returncode == 0, result.stdout + result.stderr
    module.write_text(module.read_text() + "# edited\n")
    assert "integrity-mismatch" in project.cli("check", str(module), "-s", str(contract), "--no-cache").stdout


def test_generate_with_hashes_writes_the_file_pin_with_the_sha256_prefix_too(project):
    module = project.write("mod.py", "def f(x):\n    return x\n")
    result = project.cli("generate", str(module), "--with-hashes")
    assert result.returncode == 0, result.stderr
    file_pin = project.cli("hash", str(module)).stdout.splitlines()[0].split()[0]
    assert f'integrity: {{sha256: "{file_pin}"}}' in result.stdout
    contract = project.write("pinned.yml", result.stdout)
    assert project.cli("check", str(module), "-s", str(contract)).returncode == 0


@pytest.mark.parametrize(
    "snippet, message",
    [
        ("integrity: {sha256: abc}\n", "64 lowercase hex digits"),
        ("integrity: [abc]\n", "must be a mapping"),
        ("integrity: {sha512: " + "a" * 64 + "}\n", "unknown key `sha512`"),
        ("functions:\n  - name: f\n    hash: md5:abc\n", "must be \"sha256:\""),
    ],
)
def test_malformed_pins_are_contract_errors(project, snippet, message):
    with pytest.raises(importspy.ContractError, match=message):
        importspy.parse_contract(snippet, "pins.yml")


# A structure pin is the same whichever CPython computes it: this file's hashes, pinned once, are checked
# on every interpreter of the test command. Each part of it met a difference between versions: 3.12 adds
# an empty `type_params` to definitions and leaves an empty string in an f-string's format spec, and a
# character of Unicode 15 (U+1FAE8) is printable, so repr() shows it, only from 3.12 on.
PINNED_ACROSS_VERSIONS = '''\
def register(name: str, width: int = 8) -> str:
    return f"{name:<{width}}|\U0001FAE8"


class Plugin:
    def run(self, x):
        return f"{x!r:>{len('\U0001FAE8')}}"
'''


def test_structure_hashes_do_not_depend_on_the_python_version_that_computes_them(project):
    module = project.write("pinned.py", PINNED_ACROSS_VERSIONS)
    result = project.cli("hash", str(module))
    assert result.returncode == 0, result.stderr
    pins = dict(reversed(line.split("  ")[:2]) for line in result.stdout.splitlines()[1:])
    assert pins == {
        "register": "sha256:887583c929fa7ceb7041f0f80b3098dedfcb6a2d5bcfa8ec2cf636fd9055ad0b",
        "Plugin": "sha256:e6a5ccb0b06578372443b84dcd1fa4453d3251d9bb4f25f3bf4367a605702633",
        "Plugin.run": "sha256:d89f83e165e26dfa1b1c6c445503ce513a1e05641282abcb9fe0b7e676a4bb8e",
    }
