"""The `importspy` command line: both syntaxes, exit codes, JSON, colour rules."""

import json

from conftest import EXAMPLE

GOOD = str(EXAMPLE / "plugins" / "good" / "extension.py")
BAD = str(EXAMPLE / "plugins" / "bad" / "extension.py")
CONTRACT = str(EXAMPLE / "spymodel.yml")
ENV = {"PLUGIN_HOST_MODE": "production", "PLUGIN_HOST_TOKEN": "token-value-never-printed"}


def test_check_compliant_exits_zero(project):
    result = project.cli("check", GOOD, "-s", CONTRACT, env=ENV)
    assert result.returncode == 0, result.stderr
    assert "extension.py satisfies" in result.stdout


def test_check_violations_exit_one(project):
    result = project.cli("check", BAD, "-s", CONTRACT, env=ENV)
    assert result.returncode == 1
    assert "superclass-missing" in result.stdout
    assert "Found 12 violations (7 module, 5 class)." in result.stdout


def test_json_format_for_one_module_is_the_report_document_of_many(project):
    result = project.cli("check", BAD, "-s", CONTRACT, "--format", "json", env=ENV)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert set(document) == {"ok", "summary", "targets"}
    [target] = document["targets"]
    assert target["target"] == BAD and target["ok"] is False
    assert all(set(v) == {"code", "category", "context", "path", "expected", "actual", "message", "hint"} for v in target["violations"])


def test_importspy_legacy_syntax_keeps_working(project):
    result = project.cli("-s", CONTRACT, GOOD, env=ENV)
    assert result.returncode == 0, result.stderr
    failing = project.cli("--spymodel", CONTRACT, BAD, env=ENV)
    assert failing.returncode == 1  # ImportSpy 0.x exits 0 here; CI needs 1


def test_version_and_help(project):
    version = project.cli("-V")
    assert version.returncode == 0 and version.stdout.startswith("importspy ")
    assert project.cli("--version").stdout == version.stdout
    help_text = project.cli("--help")
    assert help_text.returncode == 0 and "check" in help_text.stdout and "--spymodel" in help_text.stdout
    assert "--mode" in project.cli("check", "--help").stdout


def test_contract_error_exits_two_with_position(project):
    bad = project.write("bad.yml", "functions:\n  - name: f\n    retrun_annotation: str\n")
    result = project.cli("check", GOOD, "-s", str(bad))
    assert result.returncode == 2
    assert f"{bad}:3:5: invalid contract: unknown key `retrun_annotation`" in result.stderr
    as_json = json.loads(project.cli("check", GOOD, "-s", str(bad), "--format", "json").stdout)["targets"][0]
    assert as_json["error"]["code"] == "contract-invalid" and as_json["error"]["line"] == 3


def test_source_error_exits_two(project):
    broken = project.write("broken.py", "def f(:\n")
    result = project.cli("check", str(broken), "-s", CONTRACT)
    assert result.returncode == 2
    assert result.stderr.startswith("broken.py:1:") and "not valid Python" in result.stderr  # relative to the working directory


def test_usage_errors_exit_two(project):
    assert project.cli().returncode == 2
    assert project.cli("check").returncode == 2  # nothing to check (a .py file without a contract: 0.5's default policy, test_cli_05_options.py)
    assert project.cli("check", GOOD, "-s", CONTRACT, "--mode", "dynamic").returncode == 2
    assert project.cli("--no-such-flag").returncode == 2


def test_static_mode_is_the_default_and_does_not_execute(project):
    marker = project.root / "ran.txt"
    module = project.write("effect.py", f"open({str(marker)!r}, 'w').close()\n")
    contract = project.write("contract.yml", "filename: effect.py\n")
    assert project.cli("check", str(module), "-s", str(contract)).returncode == 0
    assert not marker.exists()
    assert project.cli("check", str(module), "-s", str(contract), "--mode", "runtime").returncode == 0
    assert marker.exists()


def test_dotted_module_names_are_accepted(project):
    project.write("pkg/__init__.py", "")
    project.write("pkg/mod.py", "value = 3\n")
    contract = project.write("contract.yml", "variables:\n  - name: value\n    value: 3\n")
    for mode in ("static", "runtime"):
        assert project.cli("check", "pkg.mod", "-s", str(contract), "--mode", mode).returncode == 0


def test_no_colour_when_not_a_terminal_or_with_no_color(project):
    result = project.cli("check", BAD, "-s", CONTRACT, env=ENV)
    assert "\x1b[" not in result.stdout
    assert "\x1b[" not in project.cli("check", BAD, "-s", CONTRACT, env={**ENV, "NO_COLOR": "1"}).stdout


def test_secrets_are_never_printed(project):
    for fmt in ("text", "json"):
        result = project.cli("check", BAD, "-s", CONTRACT, "--format", fmt, env=ENV)
        assert "token-value-never-printed" not in result.stdout + result.stderr


def test_log_level_option(project):
    result = project.cli("check", GOOD, "-s", CONTRACT, "-l", "debug", env=ENV)
    assert result.returncode == 0, result.stderr


def test_colour_on_a_terminal(project):
    status, shown, _ = project.cli_on_terminal("check", BAD, "-s", CONTRACT, env=ENV)
    assert status == 1
    assert b"\x1b[31m" in shown


def test_a_misspelled_command_gets_a_did_you_mean(project):
    for arguments in (["chek"], ["chek", "plugins", "-s", CONTRACT], ["gnerate", GOOD]):
        result = project.cli(*arguments)
        assert result.returncode == 2, arguments
        assert f"unknown command `{arguments[0]}`; did you mean" in result.stderr, result.stderr
    assert "did you mean `check`?" in project.cli("chek").stderr
    assert "did you mean `generate`?" in project.cli("gnerate", GOOD).stderr


def test_a_module_named_like_a_typo_of_a_command_is_still_a_module(project):
    project.write("chek.py", "value = 1\n")
    contract = project.write("contract.yml", "variables:\n  - name: value\n    value: 1\n")
    result = project.cli("chek", "-s", str(contract))
    assert result.returncode == 0, result.stderr


def test_bare_importspy_prints_the_help_as_a_usage_error(project):
    result = project.cli()
    assert result.returncode == 2
    assert "no module given" not in result.stderr
    assert "Usage:" in result.stderr and "check" in result.stderr and "generate" in result.stderr
    assert result.stdout == ""


def test_summary_of_violations_of_one_context_reads_as_a_sentence(project):
    module = project.write("m.py", "value = 2\n")
    contract = project.write("contract.yml", "variables:\n  - name: value\n    value: 1\n  - name: other\n")
    result = project.cli("check", str(module), "-s", str(contract))
    assert result.returncode == 1
    assert result.stdout.rstrip().endswith("Found 2 module violations."), result.stdout


def test_contract_error_hint_is_in_its_own_field(project):
    bad = project.write("bad.yml", "functions:\n  - name: f\n    retrun_annotation: str\n")
    project.write("plugins/a.py", "def f():\n    pass\n")
    single = json.loads(project.cli("check", GOOD, "-s", str(bad), "--format", "json").stdout)["targets"][0]["error"]
    batch = json.loads(project.cli("check", "plugins", "-s", str(bad), "--format", "json").stdout)["targets"][0]["error"]
    for error in (single, batch):
        assert "did you mean `return_annotation`" in error["hint"], error
        assert "did you mean" not in error["message"], error


def test_jobs_zero_means_one_thread_per_core_in_both_forms(project):
    for arguments in (["-s", CONTRACT, "-j", "0", GOOD], ["check", GOOD, "-s", CONTRACT, "-j", "0"], ["check", "-j", "0", GOOD, "-s", CONTRACT]):
        result = project.cli(*arguments, env=ENV)
        assert result.returncode == 0, (arguments, result.stderr)
        assert result.stdout == "extension.py satisfies " + CONTRACT + "\n", arguments


def test_unexpected_arguments_are_named_in_the_order_given(project):
    result = project.cli("check", GOOD, "-s", CONTRACT, "--bogus", "--other")
    assert result.returncode == 2
    assert "unexpected arguments: --bogus --other\n" in result.stderr, result.stderr


def test_short_flags_mean_what_they_mean_to_ruff_and_pytest(project):
    version = project.cli("-V")
    assert version.returncode == 0 and version.stdout == project.cli("--version").stdout and version.stdout.startswith("importspy ")
    verbose = project.cli("check", GOOD, "-s", CONTRACT, "-v", env=ENV)  # -v is --verbose now, not the version
    assert verbose.returncode == 0 and "extension.py satisfies" in verbose.stdout
    both = project.cli("check", GOOD, "-s", CONTRACT, "-q", "-v", env=ENV)
    assert both.returncode == 2 and "excludes" in both.stderr


def test_quiet_prints_problems_only(project):
    project.write("contract.yml", "variables:\n  - name: value\n    value: 1\n")
    project.write("plugins/a.py", "value = 1\n")
    project.write("plugins/b.py", "value = 2\n")
    assert project.cli("check", "plugins/a.py", "-s", "contract.yml", "-q").stdout == ""
    single = project.cli("check", "plugins/b.py", "-s", "contract.yml", "--quiet")
    assert single.returncode == 1 and "variable-value-mismatch" in single.stdout and "Found" not in single.stdout
    batch = project.cli("check", "plugins", "-s", "contract.yml", "-q")
    assert batch.returncode == 1 and "plugins/b.py violates" in batch.stdout and "Checked" not in batch.stdout and "plugins/a.py" not in batch.stdout


def test_verbose_lists_every_target_compliant_ones_too(project):
    project.write("contract.yml", "variables:\n  - name: value\n    value: 1\n")
    project.write("plugins/a.py", "value = 1\n")
    project.write("plugins/b.py", "value = 2\n")
    project.cli("check", "plugins", "-s", "contract.yml")
    result = project.cli("check", "plugins", "-s", "contract.yml", "--verbose")
    assert result.returncode == 1
    assert result.stdout.startswith("plugins/a.py satisfies contract.yml (cached)\nplugins/b.py violates contract.yml\n"), result.stdout


def test_debug_log_level_prints_the_engines_decisions_on_stderr(project):
    project.write("contracts/plugin.yml", "variables:\n  - name: value\n    value: 1\n")
    project.write("plugins/a.py", "value = 1\n")
    project.write("plugins/b.py", "value = 2\n")
    project.write("pyproject.toml", '[tool.importspy]\ntargets = ["plugins"]\n[[tool.importspy.contracts]]\nmatch = "plugins/*.py"\ncontract = "contracts/plugin.yml"\n')
    quiet = project.cli("check", "--no-cache")
    result = project.cli("check", "--no-cache", "-l", "debug")
    assert result.returncode == quiet.returncode == 1
    assert result.stdout == quiet.stdout and quiet.stderr == ""
    log = result.stderr
    assert "project settings: pyproject.toml" in log
    assert "2 targets discovered" in log and "result cache off (--no-cache)" in log
    assert "plugins/a.py: source plugins/a.py, module plugins.a; contract contracts/plugin.yml (mapping `plugins/*.py` of pyproject.toml)" in log, log
    assert "plugins/a.py: checked: compliant" in log and "plugins/b.py: checked: 1 violation" in log, log


def test_colour_follows_no_color_force_color_and_the_color_option(project):
    def coloured(*options, env=None):
        return "\x1b[" in project.cli("check", BAD, "-s", CONTRACT, *options, env={**ENV, **(env or {})}).stdout

    assert not coloured()  # not a terminal
    assert coloured(env={"FORCE_COLOR": "1"})
    assert not coloured(env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert coloured("--color", "always") and coloured("--color", "always", env={"NO_COLOR": "1"})
    assert not coloured("--color", "never", env={"FORCE_COLOR": "1"})
    for options, env in ((("--color", "never"), {}), ((), {"NO_COLOR": "1"})):
        _, shown, _ = project.cli_on_terminal("check", BAD, "-s", CONTRACT, *options, env={**ENV, **env})
        assert b"\x1b[" not in shown, options
    assert project.cli("check", BAD, "-s", CONTRACT, "--color", "sometimes").returncode == 2


# Coming from ImportSpy 0.4: its spellings either work or say what ours are.
def test_legacy_form_reads_spymodel_yml_from_the_working_directory_as_0_4_does(project):
    (project.root / "spymodel.yml").write_text((EXAMPLE / "spymodel.yml").read_text())
    assert project.cli(GOOD, env=ENV).returncode == 0
    failing = project.cli(BAD, env=ENV)
    assert failing.returncode == 1 and "superclass-missing" in failing.stdout


def test_legacy_form_without_a_contract_or_spymodel_yml_says_both(project):
    result = project.cli(GOOD, env=ENV)
    assert result.returncode == 2
    assert "no contract given (-s CONTRACT), and no spymodel.yml in the working directory" in result.stderr


def test_dash_v_alone_prints_the_version_as_0_4_did_and_names_dash_capital_v(project):
    result = project.cli("-v")
    assert result.returncode == 0 and result.stdout == project.cli("-V").stdout
    assert "-V/--version" in result.stderr


def test_typer_completion_options_of_0_4_point_at_the_completion_command(project):
    for option in ("--install-completion", "--show-completion"):
        result = project.cli(option)
        assert result.returncode == 2
        assert "importspy completion bash|zsh|fish" in result.stderr


def test_a_subcommand_help_names_the_program_in_its_usage_line(project):
    for command in ("check", "graph", "lint"):
        assert f"Usage: importspy {command}" in project.cli(command, "--help").stdout


def test_a_settings_file_that_does_not_exist_is_named_as_missing_not_as_bad_toml(project):
    result = project.cli("check", GOOD, "-s", CONTRACT, "--config", "nope.toml")
    assert result.returncode == 2
    assert "nope.toml: the settings file cannot be read: no such file" in result.stderr
    assert "TOML" not in result.stderr
