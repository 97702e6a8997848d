"""One pattern language. The same `[tool.importspy]` selects the same modules for
`importspy check` and for the import hook (`IMPORTSPY_POLICY`): module patterns by the name the module is
imported under (src/ layouts, PEP 420 namespace packages), path patterns from the settings folder, and
`exclude` honoured by both. Real CLI, real interpreters."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

CONTRACT = "variables:\n  - name: api_level\n    value: 2\n"
SETTINGS = """
[tool.importspy]
targets = [{targets}]
exclude = ["myapp.plugins.legacy", "test_*.py"]

[[tool.importspy.contracts]]
match = "{match}"
contract = "contract.yml"
"""


def src_layout(project, match="myapp.plugins.*", targets='"myapp.plugins.*"'):
    """`myapp` is a namespace package (no __init__.py) under src/; `plugins` a regular package."""
    project.write("pyproject.toml", SETTINGS.format(match=match, targets=targets))
    project.write("contract.yml", CONTRACT)
    project.write("src/myapp/plugins/__init__.py", "")
    project.write("src/myapp/plugins/audio.py", "api_level = 2\n")
    project.write("src/myapp/plugins/video.py", "api_level = 1\n")
    project.write("src/myapp/plugins/legacy/__init__.py", "")
    project.write("src/myapp/plugins/legacy/old.py", "api_level = 0\n")
    project.write("src/myapp/plugins/test_audio.py", "api_level = 0\n")
    project.write("src/myapp/core.py", "api_level = 0\n")


def checked_by_ci(project, *targets):
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-m", "importspy", "check", *targets, "--format", "json", "--no-cache"], cwd=project.root,
                            env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode in (1, 2), result.stdout + result.stderr
    document = json.loads(result.stdout)
    return {t["file"]: t["error"]["code"] if "error" in t else t["ok"] for t in document["targets"]}


def decided_by_the_hook(project):
    program = textwrap.dedent("""
        import importlib, importspy, json
        seen = {}
        for name in ("myapp.plugins.audio", "myapp.plugins.video", "myapp.plugins.legacy.old", "myapp.plugins.test_audio", "myapp.core"):
            try:
                importlib.import_module(name)
                seen[name] = "imported"
            except importspy.ContractViolation:
                seen[name] = "refused"
        finder = importspy._imports._installed[-1]
        print(json.dumps({"seen": seen, "decided": sorted(d["module"] for d in finder.decisions)}))
    """)
    result = project.run("-c", program, env={"IMPORTSPY_POLICY": str(project.root / "pyproject.toml"), "PYTHONPATH": str(project.root / "src")})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("match", ["myapp.plugins.*", "src/myapp/plugins/*"])
def test_the_same_settings_select_the_same_modules_for_the_check_and_the_hook(project, match):
    src_layout(project, match=match)
    expected = {"src/myapp/plugins/audio.py": True, "src/myapp/plugins/video.py": False}
    assert checked_by_ci(project) == expected                                  # targets: the module pattern itself
    assert checked_by_ci(project, "src/myapp/plugins") == expected             # a folder
    # A namespace package named: the modules inside it, `myapp.core` included (no mapping matches it).
    assert checked_by_ci(project, "myapp") == {**expected, "src/myapp/core.py": "no-contract"}
    hook = decided_by_the_hook(project)
    assert hook["decided"] == ["myapp.plugins.audio", "myapp.plugins.video"]
    assert hook["seen"] == {"myapp.plugins.audio": "imported", "myapp.plugins.video": "refused", "myapp.plugins.legacy.old": "imported",
                            "myapp.plugins.test_audio": "imported", "myapp.core": "imported"}


def test_the_hook_honours_exclude(project):
    src_layout(project)
    hook = decided_by_the_hook(project)
    assert "myapp.plugins.legacy.old" not in hook["decided"] and "myapp.plugins.test_audio" not in hook["decided"]


def test_src_layout_modules_are_named_as_they_are_imported(project):
    src_layout(project, targets='"src/myapp/plugins"')
    project.write("pyproject.toml", SETTINGS.format(match="myapp.plugins.*", targets='"src/myapp/plugins"'))
    assert checked_by_ci(project) == {"src/myapp/plugins/audio.py": True, "src/myapp/plugins/video.py": False}


def test_settings_targets_and_paths_are_relative_to_the_settings_folder(project):
    src_layout(project, match="src/myapp/plugins/*", targets='"src/myapp/plugins"')
    inside = project.root / "src" / "myapp"
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-m", "importspy", "check", "--format", "json", "--no-cache"], cwd=inside, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert {t["file"]: t["ok"] for t in json.loads(result.stdout)["targets"]} == {"plugins/audio.py": True, "plugins/video.py": False}
