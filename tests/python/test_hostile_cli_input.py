"""Hostile or odd input through the real CLI is a clear error (exit 2, file and place) or a
per-target error while every other target is still reported: never a traceback, an abort or a hang;
and `importspy check` reads a source as CPython does (the static side of reading what runs)."""

import json
import os
import subprocess
import sys

import pytest

CONTRACT = "variables:\n  - name: api_level\n    value: 2\n"
UTF7_SAYS_1 = b"# -*- coding: utf-7 -*-\napi_level = 2 #+AAo-api_level = 1\n"
UTF7_SAYS_2 = b"# -*- coding: utf-7 -*-\napi_level = 1 #+AAo-api_level = 2\n"


def no_crash(result):
    assert "Traceback" not in result.stderr and "terminate called" not in result.stderr, result.stderr


def test_check_applies_a_coding_declaration_as_python_does(project):
    project.write("contract.yml", CONTRACT)
    (project.root / "sneaky.py").write_bytes(UTF7_SAYS_1)
    (project.root / "honest.py").write_bytes(UTF7_SAYS_2)
    sneaky = project.cli("check", "sneaky.py", "-s", "contract.yml", "--no-cache")
    assert sneaky.returncode == 1 and "variable-value-mismatch" in sneaky.stdout, sneaky.stdout + sneaky.stderr
    honest = project.cli("check", "honest.py", "-s", "contract.yml", "--no-cache")
    assert honest.returncode == 0, honest.stdout + honest.stderr


def test_check_reads_latin_1_and_bom_sources_and_rejects_contradictions(project):
    project.write("contract.yml", "variables:\n  - name: city\n    value: Zürich\n")
    (project.root / "latin.py").write_bytes("# coding: latin-1\ncity = 'Zürich'\n".encode("latin-1"))
    (project.root / "bom.py").write_bytes(b"\xef\xbb\xbf" + "city = 'Zürich'\n".encode())
    (project.root / "contradiction.py").write_bytes(b"\xef\xbb\xbf# coding: latin-1\ncity = 'x'\n")
    (project.root / "unknown.py").write_bytes(b"# coding: klingon\ncity = 'x'\n")
    for name in ("latin.py", "bom.py"):
        result = project.cli("check", name, "-s", "contract.yml", "--no-cache")
        assert result.returncode == 0, (name, result.stdout, result.stderr)
    contradiction = project.cli("check", "contradiction.py", "-s", "contract.yml", "--no-cache")
    assert contradiction.returncode == 2 and "contradiction.py:1:1: error:" in contradiction.stderr and "byte order mark" in contradiction.stderr
    unknown = project.cli("check", "unknown.py", "-s", "contract.yml", "--no-cache")
    assert unknown.returncode == 2 and "unknown.py:1:1: error:" in unknown.stderr and "klingon" in unknown.stderr, unknown.stderr


def test_a_contract_that_is_a_folder_is_exit_2_naming_it(project):
    project.write("plugin.py", "api_level = 2\n")
    (project.root / "contracts").mkdir()
    result = project.cli("check", "plugin.py", "-s", "contracts")
    no_crash(result)
    assert result.returncode == 2 and "contracts" in result.stderr and "folder" in result.stderr, result.stderr


def test_a_contract_that_is_a_fifo_is_exit_2_without_hanging(project):
    project.write("plugin.py", "api_level = 2\n")
    os.mkfifo(project.root / "contract.yml")
    result = project.cli("check", "plugin.py", "-s", "contract.yml")  # the helper's timeout catches a hang
    no_crash(result)
    assert result.returncode == 2 and "contract.yml" in result.stderr and "FIFO" in result.stderr, result.stderr


def test_a_fifo_named_as_a_target_is_its_own_error_and_the_rest_is_reported(project):
    project.write("contract.yml", CONTRACT)
    project.write("plugins/a.py", "api_level = 2\n")
    os.mkfifo(project.root / "plugins" / "b.py")
    project.write("plugins/c.py", "api_level = 2\n")
    result = project.cli("check", "plugins/a.py", "plugins/b.py", "plugins/c.py", "-s", "contract.yml", "--format", "json", "--no-cache")
    no_crash(result)
    assert result.returncode == 2, result.stderr
    targets = {t["target"]: t for t in json.loads(result.stdout)["targets"]}
    assert sorted(targets) == ["plugins/a.py", "plugins/b.py", "plugins/c.py"]
    assert "not a regular file" in targets["plugins/b.py"]["error"]["message"] and targets["plugins/a.py"]["ok"] and targets["plugins/c.py"]["ok"]
    folder = project.cli("check", "plugins", "-s", "contract.yml", "--no-cache")  # found by walking the folder: skipped, never read
    assert folder.returncode == 0 and "2 modules" in folder.stdout, folder.stdout + folder.stderr


def test_a_lock_file_that_is_not_utf8_is_exit_2_naming_it(project):
    project.write("contract.yml", CONTRACT)
    project.write("plugin.py", "api_level = 2\n")
    (project.root / "importspy.lock").write_bytes(b'{"importspy-lock": 1, "modules": {"plugin.py\xff\xfe": {}}}')
    result = project.cli("check", "plugin.py", "-s", "contract.yml", "--locked")
    no_crash(result)
    assert result.returncode == 2 and "importspy.lock" in result.stderr, result.stderr


def test_closed_standard_output_is_exit_2_with_a_message(project):
    project.write("contract.yml", CONTRACT)
    project.write("plugin.py", "api_level = 2\n")
    environment = {**os.environ, "PYTHONPATH": str(project.root)}
    result = subprocess.run([sys.executable, "-m", "importspy", "check", "plugin.py", "-s", "contract.yml"], cwd=project.root, env=environment,
                            stderr=subprocess.PIPE, text=True, timeout=60, preexec_fn=lambda: os.close(1))
    no_crash(result)
    assert result.returncode == 2 and "standard output" in result.stderr, result.stderr


def test_a_file_name_that_is_not_utf8_in_a_checked_folder_is_reported_with_the_others(project):
    project.write("contract.yml", CONTRACT)
    project.write("plugins/a.py", "api_level = 2\n")
    project.write("plugins/c.py", "api_level = 3\n")
    with open(os.path.join(os.fsencode(project.root), b"plugins", b"b\xff.py"), "wb") as f:
        f.write(b"api_level = 2\n")
    for form in ("text", "json", "sarif", "junit", "github"):
        result = project.cli("check", "plugins", "-s", "contract.yml", "--format", form, "--no-cache")
        no_crash(result)
        assert result.returncode == 1, (form, result.stderr)
        assert "plugins/c.py" in result.stdout, (form, result.stdout)
    text = project.cli("check", "plugins", "-s", "contract.yml", "--no-cache")
    assert "Checked 3 modules: 2 compliant, 1 with violations" in text.stdout, text.stdout
    listed = json.loads(project.cli("check", "plugins", "-s", "contract.yml", "--format", "json", "--no-cache").stdout)
    assert [t["target"] for t in listed["targets"]] == ["plugins/a.py", "plugins/b\ufffd.py", "plugins/c.py"]


def test_a_file_named_on_the_command_line_by_bytes_that_are_not_utf8_is_read_by_every_command(project):
    # sys.argv holds such a name with surrogates; the engine used to take it as UTF-8 text and fail with a
    # traceback (TypeError, or RuntimeError "nanobind::str(): conversion error!").
    project.write("contract.yml", CONTRACT)
    with open(os.path.join(os.fsencode(project.root), b"m\xff.py"), "wb") as f:
        f.write(b"api_level = 2\n")
    name = os.fsdecode(b"m\xff.py")
    for args, status in (
        (("check", name, "-s", "contract.yml", "--no-cache"), 0),
        (("check", name, "-s", "contract.yml", "--no-cache", "--format", "json"), 0),
        (("check", name, "-s", "contract.yml", "--mode", "runtime"), 0),
        (("hash", name), 0),
        (("generate", name), 0),
        (("lock", name), 0),
    ):
        result = project.cli(*args)
        no_crash(result)
        assert result.returncode == status, (args, result.stdout, result.stderr)
    assert "m\\xff.py" in project.cli("hash", name).stdout  # shown escaped, never as a broken byte


def test_a_character_in_a_syntax_error_is_quoted_whole_in_every_output(project):
    # Found by the atheris harness: `0x` then a two-byte character made a message holding one byte of it.
    project.write("contract.yml", CONTRACT)
    (project.root / "hexa.py").write_bytes("def f(x=0x\u03de):\n    return x\n".encode())
    for form in ("text", "json", "sarif"):
        result = project.cli("check", "hexa.py", "-s", "contract.yml", "--no-cache", "--format", form)
        no_crash(result)
        assert result.returncode == 2, (form, result.stdout, result.stderr)
        assert "'\u03de' (U+03DE)" in result.stdout + result.stderr, (form, result.stdout, result.stderr)


def test_writing_a_lock_or_contract_never_follows_a_planted_link(project):
    # A repository can hold a symbolic link where a predictable temporary file would be created.
    project.write("plugin.py", "api_level = 2\n")
    victim = project.root / "victim.txt"
    victim.write_text("untouched\n")
    for planted in ("importspy.lock.importspy-tmp", "generated.yml.importspy-tmp"):
        (project.root / planted).symlink_to(victim)
    locked = project.cli("lock", "plugin.py")
    generated = project.cli("generate", "plugin.py", "-o", "generated.yml")
    assert locked.returncode == 0 and generated.returncode == 0, locked.stderr + generated.stderr
    assert victim.read_text() == "untouched\n"
    assert "plugin.py" in (project.root / "importspy.lock").read_text() and "api_level" in (project.root / "generated.yml").read_text()
    assert oct((project.root / "importspy.lock").stat().st_mode & 0o777) == oct(0o666 & ~current_umask())
    assert not [p.name for p in project.root.iterdir() if ".importspy-" in p.name and not p.is_symlink()]


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_contract_text_with_a_lone_surrogate_is_a_contract_error_at_its_place():
    # Text decoded with errors="surrogateescape" reaches parse_contract: a located ContractError, not TypeError.
    import importspy

    with pytest.raises(importspy.ContractError) as error:
        importspy.parse_contract("variables:\n  - name: \udc80x\n", "plugin.yml")
    assert (error.value.file, error.value.line, error.value.column) == ("plugin.yml", 2, 11)
    assert "lone surrogate (U+DC80)" in str(error.value)
