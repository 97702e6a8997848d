"""`importspy init` (ImportSpy 0.5's command): a starter policy beside the subject, never overwriting."""

import os

import importspy  # noqa: F401  (the installed package under test)


def test_init_writes_the_sidecar_that_check_then_finds(project):
    project.write("plugin.py", "import json\n\ndef register(host):\n    return host\n\nclass Plugin:\n    def run(self):\n        return 1\n")
    result = project.cli("init", "plugin.py")
    assert result.returncode == 0, result.stderr
    sidecar = project.root / "plugin.importspy.yml"
    text = sidecar.read_text()
    assert 'filename: "plugin.py"' in text and '- name: "register"' in text and '- name: "run"' in text
    checked = project.cli("check", "plugin.py", "-f", "json")  # found without -s: the sidecar
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_unresolved_imports_are_denied_until_reviewed(project):
    project.write("plugin.py", "import importspy_no_such_module_anywhere\n")
    assert project.cli("init", "plugin.py").returncode == 0
    text = (project.root / "plugin.importspy.yml").read_text()
    assert '"import:importspy_no_such_module_anywhere":\n    allowed: false' in text


def test_init_never_writes_through_a_planted_link_or_over_a_file(project):
    project.write("plugin.py", "x = 1\n")
    target = project.root / "elsewhere.txt"
    os.symlink(target, project.root / "plugin.importspy.yml")  # dangling: would create elsewhere.txt
    result = project.cli("init", "plugin.py")
    assert result.returncode == 2 and "never overwrites" in result.stderr
    assert not target.exists()


def test_a_subject_that_is_not_python_is_exit_2_naming_it_and_writes_nothing(project):
    project.write("broken.py", "def f(:\n")
    result = project.cli("init", "broken.py")
    assert result.returncode == 2 and "broken.py:1" in result.stderr, result.stderr
    assert not (project.root / "broken.importspy.yml").exists()
