"""`pytest --importspy`: each target of the project settings × its contract is a test item."""

import textwrap

import pytest

SETTINGS = """
[tool.importspy]
targets = ["plugins"]

[[tool.importspy.contracts]]
match = "plugins/*.py"
contract = "contracts/plugin.yml"
"""
BAD_SETTINGS = SETTINGS.replace('targets = ["plugins"]', 'targets = ["plugins"]\ncontract = 1')  # unknown key
CONTRACT = "variables:\n  - name: api_level\n    value: 2\n"


@pytest.fixture
def plugin_project(pytester):
    pytester.makefile(".toml", pyproject=SETTINGS)
    (pytester.path / "contracts").mkdir()
    (pytester.path / "contracts" / "plugin.yml").write_text(CONTRACT)
    (pytester.path / "plugins").mkdir()
    (pytester.path / "plugins" / "good.py").write_text("api_level = 2\n")
    (pytester.path / "plugins" / "old.py").write_text("api_level = 1\n")
    return pytester


def run(pytester, *args):
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_compliant_targets_pass_and_violating_ones_fail_with_the_text_report(plugin_project):
    result = run(plugin_project, "--importspy", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "plugins/good.py::importspy[[]contracts/plugin.yml[]] PASSED*",
            "plugins/old.py::importspy[[]contracts/plugin.yml[]] FAILED*",
            "*importspy: plugins/old.py against contracts/plugin.yml*",
            "plugins/old.py violates *contracts/plugin.yml",
            "*variable-value-mismatch variables.api_level: variable `api_level` is 1, expected 2*",
            "*hint: set `api_level = 2`",
        ]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_all_compliant_is_a_green_run(plugin_project):
    (plugin_project.path / "plugins" / "old.py").write_text("api_level = 2\n")
    result = run(plugin_project, "--importspy")
    result.assert_outcomes(passed=2)
    assert result.ret == pytest.ExitCode.OK


def test_a_broken_contract_is_an_error_naming_file_line_and_column(plugin_project):
    (plugin_project.path / "contracts" / "plugin.yml").write_text("variables:\n  - name: api_level\n    valeu: 2\n")
    result = run(plugin_project, "--importspy")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(["*ERROR at setup of importspy: plugins/good.py*", "*contracts/plugin.yml:3:5: contract-invalid: *valeu*"])
    assert "Traceback" not in result.stdout.str()


def test_a_broken_contract_error_keeps_the_did_you_mean_hint(plugin_project):
    (plugin_project.path / "contracts" / "plugin.yml").write_text("variables:\n  - name: api_level\n    valeu: 2\n")
    result = run(plugin_project, "--importspy")
    result.stdout.fnmatch_lines(["*contracts/plugin.yml:3:5: contract-invalid: *valeu*", "*hint: *did you mean `value`*"])


def test_a_module_that_cannot_be_read_is_an_error_naming_its_line(plugin_project):
    (plugin_project.path / "plugins" / "broken.py").write_text("def f(:\n")
    result = run(plugin_project, "--importspy")
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines(["plugins/broken.py:1:6: source-error: not valid Python: '(' was never closed*"])


def test_a_target_without_contract_is_an_error(plugin_project):
    (plugin_project.path / "pyproject.toml").write_text(SETTINGS.replace('match = "plugins/*.py"', 'match = "plugins/good.py"'))
    result = run(plugin_project, "--importspy")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["plugins/old.py: no-contract: no contract applies to this module*"])


def test_items_are_selected_like_any_test(plugin_project):
    result = run(plugin_project, "--importspy", "-k", "good")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["collected 2 items / 1 deselected / 1 selected"])
    result = run(plugin_project, "--importspy", "-m", "not importspy")
    result.assert_outcomes()
    assert "2 deselected" in result.stdout.str()


def test_settings_that_do_not_load_are_a_usage_error_naming_the_place(plugin_project):
    (plugin_project.path / "pyproject.toml").write_text(BAD_SETTINGS)
    result = run(plugin_project, "--importspy")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*importspy: *pyproject.toml:*: unknown key `contract`*"])


def test_an_explicit_settings_file(plugin_project):
    (plugin_project.path / "pyproject.toml").unlink()
    (plugin_project.path / "importspy-ci.toml").write_text(
        textwrap.dedent("""
        targets = ["plugins/good.py"]
        [[contracts]]
        match = "plugins/*.py"
        contract = "contracts/plugin.yml"
        """)
    )
    result = run(plugin_project, "--importspy", "--importspy-config", "importspy-ci.toml")
    result.assert_outcomes(passed=1)


def test_without_the_option_the_plugin_adds_and_reads_nothing(plugin_project):
    # Settings that would be a usage error with --importspy, and a module that would fail: neither is read.
    (plugin_project.path / "pyproject.toml").write_text(BAD_SETTINGS)
    plugin_project.makepyfile(test_unrelated="def test_one():\n    pass\n")
    result = run(plugin_project)
    result.assert_outcomes(passed=1)
    assert "importspy[" not in result.stdout.str()
    assert not (plugin_project.path / ".importspy_cache").exists()


def test_the_plugin_is_registered_by_its_entry_point(pytester):
    result = pytester.runpytest_subprocess("--help")
    result.stdout.fnmatch_lines(["*--importspy *check every target of*"])


def test_items_run_beside_plugins_that_wrap_every_test_call(plugin_project):
    # pytest-lsp (a test tool here, loaded by its entry point) wraps every test call and returns without
    # running one that has no `funcargs`, which pytest reports as an error of the item.
    pytest.importorskip("pytest_lsp")
    result = run(plugin_project, "--importspy", "-v")
    assert "pytest-lsp" in result.stdout.str() or "lsp" in " ".join(result.stdout.lines[:6])
    result.assert_outcomes(passed=1, failed=1)
