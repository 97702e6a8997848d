"""The C++ reader is the engine of static mode (CPython's parser on request), a
batch never aborts, static checks run on threads, shards and their merge. Real CLI, real files."""

import json
import os
import sys

import pytest

CONTRACT = "variables:\n  - name: value\n    value: 1\n"

# What Python sees when it imports this module: `main` is defined only when it runs as a script.
MAIN_GUARDED = """
value = 1
if __name__ == "__main__":
    def main():
        pass
"""
MAIN_CONTRACT = CONTRACT + "functions:\n  - name: main\n"


def many(project, count=60, bad=(7, 31)):
    project.write("contract.yml", CONTRACT)
    for i in range(count):
        project.write(f"plugins/p{i:03}.py", f"value = {2 if i in bad else 1}\n")


def check(project, *args):
    return project.cli("check", *args, "--no-cache")


class TestParser:
    def test_the_reader_sees_what_python_sees_at_import_time(self, project):
        project.write("contract.yml", MAIN_CONTRACT)
        project.write("m.py", MAIN_GUARDED)
        result = check(project, "m.py", "-s", "contract.yml", "--format", "json")
        assert result.returncode == 1, result.stderr
        assert [v["code"] for v in json.loads(result.stdout)["targets"][0]["violations"]] == ["function-missing"]

    def test_parser_cpython_decides_no_condition_so_a_guarded_definition_is_unverifiable(self, project):
        project.write("contract.yml", MAIN_CONTRACT)
        project.write("m.py", MAIN_GUARDED)
        result = check(project, "m.py", "-s", "contract.yml", "--parser", "cpython", "--format", "json")
        assert result.returncode == 1, result.stdout + result.stderr
        violations = json.loads(result.stdout)["targets"][0]["violations"]
        assert [v["code"] for v in violations] == ["definition-unverifiable"]
        assert "this parser does not decide" in violations[0]["actual"]

    def test_parser_cpython_judges_the_guarded_definition_when_the_contract_opts_out(self, project):
        project.write("contract.yml", "when_unsure: {definitions: allow}\n" + MAIN_CONTRACT)
        project.write("m.py", MAIN_GUARDED)
        result = check(project, "m.py", "-s", "contract.yml", "--parser", "cpython")
        assert result.returncode == 0, result.stdout + result.stderr

    def test_python_api_takes_the_parser_keyword(self, project):
        import importspy

        project.write("contract.yml", MAIN_CONTRACT)
        path = project.write("m.py", MAIN_GUARDED)
        assert not importspy.check(str(path), str(project.root / "contract.yml")).ok
        assert [v.code for v in importspy.check(str(path), str(project.root / "contract.yml"), parser="cpython").violations] == ["definition-unverifiable"]
        with pytest.raises(ValueError, match="parser must be"):
            importspy.check(str(path), str(project.root / "contract.yml"), parser="ast")

    def test_facts_read_without_hashes_are_not_served_when_hashes_are_asked(self, project):
        import importspy

        path = project.write("m.py", "value = 1\ndef f(x):\n    return x\n")
        project.write("plain.yml", CONTRACT)
        pin = project.cli("hash", "m.py", "--select", "f").stdout.strip()
        project.write("pinned.yml", f"functions:\n  - name: f\n    hash: {pin}\n")
        assert importspy.check(str(path), str(project.root / "plain.yml")).ok
        assert importspy.check(str(path), str(project.root / "pinned.yml")).ok

    def test_platform_and_version_branches_are_decided_for_the_running_interpreter(self, project):
        other = "win32" if sys.platform != "win32" else "linux"
        project.write("m.py", f"""
            import sys
            value = 1
            if sys.platform == {other!r}:
                def helper(a):
                    pass
            else:
                def helper(a, b):
                    pass
            if sys.version_info < (3, 8):
                legacy = True
        """)
        project.write("contract.yml", CONTRACT + "functions:\n  - name: helper\n    arguments:\n      - name: a\n      - name: b\n")
        assert check(project, "m.py", "-s", "contract.yml").returncode == 0
        # CPython's parser keeps the first branch: the comparison the reader was made for.
        assert check(project, "m.py", "-s", "contract.yml", "--parser", "cpython").returncode == 1
        facts = json.loads(__import__("importspy")._engine.facts_json(str(project.root / "m.py")))
        assert "legacy" not in [v["name"] for v in facts["module"]["variables"]]

    def test_an_unknown_parser_is_a_usage_error(self, project):
        project.write("contract.yml", CONTRACT)
        project.write("m.py", "value = 1\n")
        result = check(project, "m.py", "-s", "contract.yml", "--parser", "pegen")
        assert result.returncode == 2 and "--parser" in result.stderr

    def test_a_syntax_error_is_located_by_the_reader(self, project):
        project.write("contract.yml", CONTRACT)
        project.write("m.py", "value = 1\nx = 'unterminated\n")
        result = check(project, "m.py", "-s", "contract.yml")
        assert result.returncode == 2
        assert "m.py:2:5: error: not valid Python:" in result.stderr, result.stderr


class TestBatchNeverAborts:
    def test_every_unusable_target_is_its_own_error_with_file_line_and_column_and_the_rest_is_reported(self, project):
        many(project, count=5, bad=(3,))
        project.write("plugins/syntax.py", "value = 1\nclass C:\n  def m(self, *a): pass\n  a = b = m\n def broken(:\n")
        (project.root / "plugins" / "klingon.py").write_bytes(b"# -*- coding: klingon -*-\nvalue = 1\n")
        (project.root / "plugins" / "bad_utf8.py").write_bytes(b"value = 1\ns = '\xff'\n")
        (project.root / "plugins" / "nul.py").write_bytes(b"value = 1\0\n")
        result = check(project, "plugins", "-s", "contract.yml", "--format", "json", "-j", "2")
        assert result.returncode == 2, result.stderr
        document = json.loads(result.stdout)
        targets = {t["target"]: t for t in document["targets"]}
        errors = {name: (t["error"]["code"], t["error"]["file"], t["error"]["line"]) for name, t in targets.items() if "error" in t}
        assert errors == {
            "plugins/bad_utf8.py": ("source-error", "plugins/bad_utf8.py", 2),
            "plugins/klingon.py": ("source-error", "plugins/klingon.py", 1),
            "plugins/nul.py": ("source-error", "plugins/nul.py", 1),
            "plugins/syntax.py": ("source-error", "plugins/syntax.py", 5),
        }
        assert targets["plugins/syntax.py"]["error"]["column"] > 0
        assert document["summary"] == {"targets": 9, "compliant": 4, "violating": 1, "errors": 4, "violations": 1}

    def test_exit_status_says_errors_apart_from_violations(self, project):
        many(project, count=4, bad=(1,))
        assert check(project, "plugins", "-s", "contract.yml").returncode == 1
        project.write("plugins/zz.py", "def f(:\n")
        assert check(project, "plugins", "-s", "contract.yml").returncode == 2
        (project.root / "plugins" / "p001.py").write_text("value = 1\n")
        (project.root / "plugins" / "zz.py").unlink()
        assert check(project, "plugins", "-s", "contract.yml").returncode == 0


class TestThreads:
    # A first use of CPython's parser from two threads at once hung: the initializer of a function-local
    # static ran Python (importing `_ast`), which let the other thread take the GIL and block on the static's
    # guard while holding it. A tiny switch interval makes that interleaving happen on every run.
    RACE = (
        "import sys, threading\n"
        "sys.setswitchinterval(1e-6)\n"
        "{body}"
    )

    def test_the_first_cpython_parse_on_two_threads_at_once_does_not_hang(self, project):
        project.write("plugins/a.py", "value = 1\ndef f(x):\n    return x\n")
        project.write("plugins/b.py", "value = 1\ndef f(x):\n    return x + 1\n")
        pin = project.cli("hash", "plugins/a.py", "--select", "f").stdout.strip()
        project.write("contract.yml", f"functions:\n  - name: f\n    hash: {pin}\n")
        batch = self.RACE.format(body=(
            "from importspy.__main__ import main\n"
            "raise SystemExit(main(['check', 'plugins', '-s', 'contract.yml', '-j', '2', '--no-cache', '-q']))\n"))
        for _ in range(3):
            result = project.run("-c", batch)  # conftest's timeout (120 s) turns a hang into a failure
            assert result.returncode == 1, result.stdout + result.stderr
        threads = self.RACE.format(body=(
            "import importspy\n"
            "codes = []\n"
            "def run(name):\n"
            "    codes.append(len(importspy.check('plugins/' + name, 'contract.yml', parser='cpython').violations))\n"
            "workers = [threading.Thread(target=run, args=(n,)) for n in ('a.py', 'b.py', 'a.py', 'b.py')]\n"
            "[w.start() for w in workers]\n"
            "[w.join() for w in workers]\n"
            "print(sorted(codes))\n"))
        result = project.run("-c", threads)
        assert result.stdout.strip() == "[0, 0, 1, 1]", result.stdout + result.stderr

    @pytest.mark.parametrize("form", ["json", "text", "sarif", "junit", "github"])
    def test_same_output_at_one_two_and_four_threads(self, project, form):
        many(project, count=120, bad=(5, 64, 119))
        project.write("plugins/syntax.py", "def f(:\n")
        outputs = {jobs: check(project, "plugins", "-s", "contract.yml", "--format", form, "-j", jobs) for jobs in ("1", "2", "4", "0")}
        assert {r.returncode for r in outputs.values()} == {2}
        assert len({r.stdout for r in outputs.values()}) == 1

    def test_jobs_zero_means_every_core_and_negative_is_a_usage_error(self, project):
        many(project, count=3, bad=())
        assert check(project, "plugins", "-s", "contract.yml", "-j", "0").returncode == 0
        result = check(project, "plugins", "-s", "contract.yml", "-j", "-1")
        assert result.returncode == 2 and "jobs" in result.stderr

    def test_hash_pinned_contracts_are_checked_on_threads_too(self, project):
        project.write("plugins/a.py", "value = 1\ndef f(x):\n    return x\n")
        project.write("plugins/b.py", "value = 1\ndef f(x):\n    return x + 1\n")
        pin = project.cli("hash", "plugins/a.py", "--select", "f").stdout.strip()
        project.write("contract.yml", f"functions:\n  - name: f\n    hash: {pin}\n")
        for jobs in ("1", "2"):
            result = check(project, "plugins", "-s", "contract.yml", "--format", "json", "-j", jobs)
            verdicts = {t["target"]: [v["code"] for v in t["violations"]] for t in json.loads(result.stdout)["targets"]}
            assert verdicts == {"plugins/a.py": [], "plugins/b.py": ["hash-mismatch"]}, result.stdout


class TestShards:
    @pytest.mark.parametrize("form", ["json", "sarif", "junit"])
    @pytest.mark.parametrize("count", [1, 3, 4])
    def test_merged_shards_equal_one_run(self, project, form, count):
        many(project, count=23, bad=(0, 12, 22))
        project.write("plugins/syntax.py", "def f(:\n")
        single = check(project, "plugins", "-s", "contract.yml", "--format", form)
        files = []
        for i in range(count, 0, -1):  # given out of order: the merge orders them by the shard each records
            shard = check(project, "plugins", "-s", "contract.yml", "--format", form, "--shard", f"{i}/{count}")
            assert shard.returncode in (0, 1, 2), shard.stderr
            files.append(project.write(f"shard-{i}.{form}", shard.stdout))
        merged = project.cli("merge", *map(str, files))
        assert merged.stdout == single.stdout, merged.stderr
        assert merged.returncode == single.returncode == 2

    def test_shards_split_the_targets_without_overlap(self, project):
        many(project, count=10, bad=())
        seen = []
        for i in (1, 2, 3):
            result = check(project, "plugins", "-s", "contract.yml", "--format", "json", "--shard", f"{i}/3")
            document = json.loads(result.stdout)
            assert document["shard"] == f"{i}/3"
            seen += [t["target"] for t in document["targets"]]
        assert seen == [f"plugins/p{i:03}.py" for i in range(10)]

    @pytest.mark.parametrize("bad", ["0/3", "4/3", "2", "a/b", "1/0"])
    def test_a_malformed_shard_is_a_usage_error(self, project, bad):
        many(project, count=2, bad=())
        result = check(project, "plugins", "-s", "contract.yml", "--shard", bad)
        assert result.returncode == 2 and "--shard" in result.stderr and "I/N" in result.stderr

    def test_merge_names_a_missing_or_repeated_shard_and_outputs_without_shards(self, project):
        many(project, count=6, bad=())
        one = project.write("one.json", check(project, "plugins", "-s", "contract.yml", "--format", "json", "--shard", "1/3").stdout)
        three = project.write("three.json", check(project, "plugins", "-s", "contract.yml", "--format", "json", "--shard", "3/3").stdout)
        whole = project.write("whole.json", check(project, "plugins", "-s", "contract.yml", "--format", "json").stdout)
        missing = project.cli("merge", str(one), str(three))
        assert missing.returncode == 2 and "shard 2/3 is missing" in missing.stderr
        twice = project.cli("merge", str(one), str(one), str(three))
        assert twice.returncode == 2 and "given twice" in twice.stderr
        plain = project.cli("merge", str(whole))
        assert plain.returncode == 2 and "whole.json" in plain.stderr and "--shard" in plain.stderr

    def test_merge_writes_to_a_file(self, project):
        many(project, count=4, bad=(2,))
        files = [project.write(f"s{i}.json", check(project, "plugins", "-s", "contract.yml", "--format", "json", "--shard", f"{i}/2").stdout) for i in (1, 2)]
        result = project.cli("merge", *map(str, files), "-o", "all.json")
        assert result.returncode == 1 and result.stdout == ""
        assert json.loads((project.root / "all.json").read_text())["summary"]["violating"] == 1
