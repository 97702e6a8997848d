"""importspy.install(): one rule for relative contract paths (as Spy's), and refusals that are ImportErrors."""

import textwrap

CONTRACT = "variables:\n  - name: api_level\n    value: 2\n"


def host_project(project):
    """A host program in app/ whose contract sits beside it; the program is run from another folder."""
    project.write("app/contracts/plugin.yml", CONTRACT)
    project.write("app/plugins/__init__.py", "")
    project.write("app/plugins/good.py", "api_level = 2\n")
    project.write("app/plugins/old.py", "api_level = 1\n")
    project.write("elsewhere/README", "the working directory: no contract here\n")


def run_host(project, body, policy="{'plugins.*': 'contracts/plugin.yml'}"):
    host = project.write("app/host.py", "import importspy, sys\nsys.path.insert(0, __import__('os').path.dirname(__file__))\n"
                         f"finder = importspy.install({policy})\n" + textwrap.dedent(body))
    return project.run(str(host), cwd=project.root / "elsewhere")


def test_a_relative_contract_of_a_dict_policy_is_found_beside_the_module_that_installs_it(project):
    host_project(project)
    result = run_host(project, """
        import plugins.good
        try:
            import plugins.old
        except importspy.ContractViolation as refused:
            print("refused", refused.violations[0].code)
        print(plugins.good.api_level, [d["decision"] for d in finder.decisions])
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["refused variable-value-mismatch", "2 ['accepted', 'rejected']"]
    assert "does not exist" not in result.stderr


def test_a_relative_contract_found_only_in_the_working_directory_is_still_used(project):
    host_project(project)
    (project.root / "app" / "contracts" / "plugin.yml").unlink()
    project.write("elsewhere/contracts/plugin.yml", CONTRACT)
    result = run_host(project, "import plugins.good\nprint(plugins.good.api_level)\n")
    assert result.returncode == 0 and result.stdout.strip() == "2", result.stderr


def test_installing_through_the_context_manager_resolves_beside_the_caller_too(project):
    host_project(project)
    host = project.write("app/host.py", textwrap.dedent("""
        import importspy, os, sys
        sys.path.insert(0, os.path.dirname(__file__))
        with importspy.installed({'plugins.*': 'contracts/plugin.yml'}) as finder:
            import plugins.good
        print([d["decision"] for d in finder.decisions])
    """))
    result = project.run(str(host), cwd=project.root / "elsewhere")
    assert result.returncode == 0 and result.stdout.strip() == "['accepted']", result.stderr


def test_a_missing_contract_under_the_hook_is_caught_by_except_import_error(project):
    host_project(project)
    result = run_host(project, """
        try:
            import plugins.good
        except ImportError as refused:
            print(type(refused).__name__, refused.name, isinstance(refused, importspy.ContractError), refused.file.endswith("gone.yml"))
    """, policy="{'plugins.*': 'gone.yml'}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ContractImportError plugins.good True True"


def test_a_refusal_for_a_missing_contract_is_still_a_contract_error_for_code_that_catches_that():
    import importspy

    assert issubclass(importspy.ContractImportError, ImportError)
    assert issubclass(importspy.ContractImportError, importspy.ContractError)
    assert issubclass(importspy.ContractImportError, ValueError)  # as every ContractError
    assert importspy.ContractImportError.__module__ == "importspy"
