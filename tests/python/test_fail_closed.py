"""A policy that cannot be installed, or an audit log that cannot be written, never
lets imports through unchecked in silence. Every case in a real interpreter."""

import textwrap

import pytest

CONTRACT = "variables:\n  - name: api_level\n    value: 2\n"
PROGRAM = "print('program ran')"


def with_plugins(project):
    project.write("contract.yml", CONTRACT)
    project.write("app/__init__.py", "")
    project.write("app/plugins/__init__.py", "")
    project.write("app/plugins/good.py", "api_level = 2\n")
    project.write("app/plugins/other.py", "api_level = 2\n")


def assert_stopped(result, *named):
    assert result.returncode == 2, result.stdout + result.stderr
    assert "program ran" not in result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.count("importspy: error: IMPORTSPY_POLICY") == 1, result.stderr
    for text in named:
        assert text in result.stderr, result.stderr


def test_a_missing_policy_file_stops_the_interpreter_naming_it(project):
    result = project.run("-c", PROGRAM, env={"IMPORTSPY_POLICY": str(project.root / "missing.toml")})
    assert_stopped(result, "missing.toml", "does not exist")


def test_a_broken_policy_file_stops_the_interpreter_with_its_line(project):
    project.write("importspy.toml", '[[contracts]]\nmatch = "app.plugins.*"\ncontract = \n')
    result = project.run("-c", PROGRAM, env={"IMPORTSPY_POLICY": str(project.root / "importspy.toml")})
    assert_stopped(result, "importspy.toml:3")


def test_a_policy_that_is_a_folder_stops_the_interpreter(project):
    (project.root / "policy").mkdir()
    result = project.run("-c", PROGRAM, env={"IMPORTSPY_POLICY": str(project.root / "policy")})
    assert_stopped(result, "policy", "not a regular file")


def test_policy_errors_warn_reports_once_and_runs_unchecked(project):
    result = project.run("-c", PROGRAM, env={"IMPORTSPY_POLICY": str(project.root / "missing.toml"), "IMPORTSPY_POLICY_ERRORS": "warn"})
    assert result.returncode == 0 and result.stdout.strip() == "program ran", result.stderr
    assert result.stderr.count("importspy: warning:") == 1 and "missing.toml" in result.stderr and "NOT checked" in result.stderr


def test_an_unwritable_audit_log_stops_an_enforcing_policy_at_start(project):
    with_plugins(project)
    (project.root / "audit-is-a-folder").mkdir()
    project.write("importspy.toml", 'audit_log = "audit-is-a-folder"\n[[contracts]]\nmatch = "app.plugins.*"\ncontract = "contract.yml"\n')
    result = project.run("-c", PROGRAM, env={"IMPORTSPY_POLICY": str(project.root / "importspy.toml")})
    assert_stopped(result, "audit-is-a-folder", "cannot be written")


def test_an_unwritable_audit_log_is_an_error_of_install_in_enforce_mode(project):
    with_plugins(project)
    (project.root / "log").mkdir()
    result = project.run("-c", textwrap.dedent("""
        import importspy
        try:
            importspy.install({'app.plugins.*': 'contract.yml'}, audit_log='log')
        except OSError as e:
            print('refused:', 'log' in str(e), 'cannot be written' in str(e))
        import app.plugins.good
    """))
    assert result.stdout.strip() == "refused: True True", result.stdout + result.stderr


def test_an_audit_log_that_fails_later_refuses_the_import_in_enforce_mode(project):
    with_plugins(project)
    log = project.root / "audit.jsonl"
    result = project.run("-c", textwrap.dedent(f"""
        import importspy, os, sys
        importspy.install({{'app.plugins.*': 'contract.yml'}}, audit_log={str(log)!r})
        import app.plugins.good
        os.remove({str(log)!r}); os.mkdir({str(log)!r})          # the log can no longer be written
        try:
            import app.plugins.other
        except ImportError as e:
            print('refused', 'app.plugins.other' in sys.modules, 'audit.jsonl' in str(e))
    """))
    assert result.stdout.strip() == "refused False True", result.stdout + result.stderr


def test_an_unwritable_audit_log_in_warn_mode_is_reported_once_and_imports_go_on(project):
    with_plugins(project)
    (project.root / "log").mkdir()
    result = project.run("-c", textwrap.dedent("""
        import importspy
        importspy.install({'app.plugins.*': {'contract': 'contract.yml', 'mode': 'warn'}}, audit_log='log')
        import app.plugins.good, app.plugins.other
        print(app.plugins.good.api_level, app.plugins.other.api_level)
    """))
    assert result.returncode == 0 and result.stdout.strip() == "2 2", result.stderr
    assert result.stderr.count("cannot be written") == 1, result.stderr


@pytest.mark.parametrize("mode", ["enforce", "warn", "audit"])
def test_a_policy_naming_a_missing_contract_says_so_once_on_stderr_in_every_mode(project, mode):
    with_plugins(project)
    project.write("importspy.toml", f'[[contracts]]\nmatch = "app.plugins.*"\ncontract = "gone.yml"\nmode = "{mode}"\n')
    result = project.run("-c", textwrap.dedent("""
        import importlib
        for name in ("app.plugins.good", "app.plugins.other", "app.plugins.good"):
            try:
                importlib.import_module(name)
                print("imported", name)
            except (ImportError, ValueError) as refused:  # enforce: importspy.ContractError naming the contract
                print("refused", name, "gone.yml" in str(refused))
    """), env={"IMPORTSPY_POLICY": str(project.root / "importspy.toml")})
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stderr.splitlines() if "gone.yml" in line]
    assert len(said) == 1 and str(project.root / "gone.yml") in said[0] and "does not exist" in said[0], result.stderr
    assert "Traceback" not in result.stderr and "ContractWarning" not in result.stderr, result.stderr
    if mode == "enforce":  # fails closed: nothing it covers is admitted
        assert result.stdout.split("\n")[:2] == ["refused app.plugins.good True", "refused app.plugins.other True"], result.stdout
        assert "refused" in said[0]
    else:
        assert result.stdout.split("\n")[:2] == ["imported app.plugins.good", "imported app.plugins.other"], result.stdout
        assert "UNCHECKED" in said[0]
