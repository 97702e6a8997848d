"""A folder target covers the modules Python imports from it as plugins, package plugins included; what
it leaves out is counted in the summary and listed with -v."""

import json

CONTRACT = "functions:\n  - name: register\n"


def plugin_folder(project):
    project.write("plugin.yml", CONTRACT)
    project.write("plugins/__init__.py", "")                                    # the folder's own package
    project.write("plugins/audio.py", "def register(host): ...\n")             # the plugin plugins.audio
    project.write("plugins/video/__init__.py", "from .helpers import scale\n")  # the plugin plugins.video: no register
    project.write("plugins/video/helpers.py", "def register(host): ...\ndef scale(x): ...\n")


def test_a_package_plugin_inside_a_folder_is_checked(project):
    plugin_folder(project)
    result = project.cli("check", "plugins", "-s", "plugin.yml", "--format", "json", "--no-cache")
    targets = {t["target"]: t for t in json.loads(result.stdout)["targets"]}
    assert set(targets) == {"plugins/audio.py", "plugins/video/__init__.py", "plugins/video/helpers.py"}
    assert targets["plugins/video/__init__.py"]["violations"][0]["code"] == "function-missing"
    assert result.returncode == 1


def test_the_summary_counts_what_the_folder_leaves_out_and_verbose_lists_it(project):
    plugin_folder(project)
    project.write("plugins/test_audio.py", "")
    quiet = project.cli("check", "plugins", "-s", "plugin.yml", "--exclude", "test_*.py", "--no-cache")
    assert "Checked 3 modules: 2 compliant, 1 with violations (1 violation), 0 errors; 2 left out (-v lists them)." in quiet.stdout, quiet.stdout
    verbose = project.cli("check", "plugins", "-s", "plugin.yml", "--exclude", "test_*.py", "--no-cache", "-v")
    assert "plugins/__init__.py: left out: the module of the package this folder is" in verbose.stdout, verbose.stdout
    assert "plugins/test_audio.py: left out: excluded" in verbose.stdout
    assert verbose.stdout.rstrip().endswith("; 2 left out.")


def test_naming_the_folders_own_package_checks_it(project):
    plugin_folder(project)
    result = project.cli("check", "plugins", "plugins/__init__.py", "-s", "plugin.yml", "--format", "json", "--no-cache")
    assert "plugins/__init__.py" in {t["target"] for t in json.loads(result.stdout)["targets"]}
    text = project.cli("check", "plugins", "plugins/__init__.py", "-s", "plugin.yml", "--no-cache")
    assert "left out" not in text.stdout


def test_lock_and_locked_check_take_the_same_modules_of_a_folder(project):
    plugin_folder(project)
    assert project.cli("lock", "plugins").returncode == 0
    locked = json.loads((project.root / "importspy.lock").read_text())["modules"]
    assert set(locked) == {"plugins/audio.py", "plugins/video/__init__.py", "plugins/video/helpers.py"}
    result = project.cli("check", "plugins", "-s", "plugin.yml", "--locked", "--format", "json")
    assert all(v["code"] != "integrity-mismatch" for t in json.loads(result.stdout)["targets"] for v in t.get("violations", []))


def test_the_json_report_lists_what_was_left_out_and_merge_keeps_it(project):
    plugin_folder(project)
    document = json.loads(project.cli("check", "plugins", "-s", "plugin.yml", "--format", "json", "--no-cache").stdout)
    assert [m["target"] for m in document["left_out"]] == ["plugins/__init__.py"]
    assert "the package this folder is" in document["left_out"][0]["why"]
    for shard in ("1/2", "2/2"):
        project.cli("check", "plugins", "-s", "plugin.yml", "--format", "json", "--shard", shard, "-o", f"shard{shard[0]}.json")
    merged = json.loads(project.cli("merge", "shard1.json", "shard2.json").stdout)
    assert [m["target"] for m in merged["left_out"]] == ["plugins/__init__.py"]
    assert len(merged["targets"]) == 3


def test_a_folder_that_leaves_nothing_out_writes_the_same_json_as_before(project):
    project.write("plugin.yml", CONTRACT)
    project.write("plugins/audio.py", "def register(host): ...\n")
    document = json.loads(project.cli("check", "plugins", "-s", "plugin.yml", "--format", "json", "--no-cache").stdout)
    assert set(document) == {"ok", "summary", "targets"}
