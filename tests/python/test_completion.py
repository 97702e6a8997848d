"""`importspy completion bash|zsh|fish`: scripts generated from the CLI definition, valid in each shell."""

import shutil
import subprocess

import pytest


def script(project, shell):
    result = project.cli("completion", shell)
    assert result.returncode == 0, result.stderr
    path = project.root / f"importspy.{shell}"
    path.write_text(result.stdout)
    return path


def complete_in_bash(path, *words):
    """What the bash completion function offers for `words` (the last one being completed)."""
    line = " ".join(f"'{w}'" for w in words)
    program = f'source "{path}"; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _importspy; printf "%s\\n" "${{COMPREPLY[@]}}"'
    result = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [word for word in result.stdout.splitlines() if word]


@pytest.mark.parametrize(
    ("shell", "syntax_check"),
    [("bash", ["bash", "-n"]), ("zsh", ["zsh", "-n"]), ("fish", ["fish", "--no-execute"])],
)
def test_script_is_valid_in_its_shell(project, shell, syntax_check):
    if shutil.which(syntax_check[0]) is None:
        pytest.skip(f"{syntax_check[0]} is not installed (scripts/bootstrap.sh installs it from Debian)")
    path = script(project, shell)
    result = subprocess.run([*syntax_check, str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_bash_completes_a_subcommand_from_its_prefix(project):
    assert complete_in_bash(script(project, "bash"), "importspy", "ch") == ["check"]


def test_bash_completes_options_of_the_subcommand_given(project):
    path = script(project, "bash")
    assert "--locked" in complete_in_bash(path, "importspy", "check", "--lo")
    assert "--locked" not in complete_in_bash(path, "importspy", "lint", "--lo")


def test_bash_completes_the_choices_of_an_option(project):
    path = script(project, "bash")
    assert complete_in_bash(path, "importspy", "check", "--format", "s") == ["sarif"]
    assert complete_in_bash(path, "importspy", "completion", "") == ["bash", "zsh", "fish"]


def test_an_option_taking_a_path_falls_back_to_file_names(project):
    # Nothing offered by the function: `complete -o default` then completes file names.
    path = script(project, "bash")
    assert complete_in_bash(path, "importspy", "check", "-s", "") == []
    assert "complete -o default -F _importspy importspy" in path.read_text()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_subcommand_and_its_description_come_from_the_cli(project, shell):
    text = script(project, shell).read_text()
    for subcommand in ("check", "lock", "generate", "hash", "schema", "lint", "migrate", "completion"):
        assert subcommand in text
    assert "_worker" not in text  # hidden
    if shell != "bash":  # bash shows no descriptions
        assert "Record the hashes of modules as reviewed" in text
        assert "static runtime" in text


def test_an_unknown_shell_is_a_usage_error(project):
    result = project.cli("completion", "tcsh")
    assert result.returncode == 2
    assert "tcsh not in {bash,zsh,fish}" in result.stderr
