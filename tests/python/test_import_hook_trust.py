"""Issue 11, the import hook's side: the code checked is exactly the code that runs (finding 2), and a
matched module the engine cannot read is an ImportError (finding 9). Real interpreters, real files."""

import importlib.util
import os
import py_compile
import textwrap

CONTRACT = "variables:\n  - name: api_level\n    value: 2\n"
POLICY = "import importspy, importlib, importlib.util, sys\nfinder = importspy.install({'app.plugins.*': 'contract.yml'})\n"

# UTF-7 decodes `+AAo-` to a newline: read as UTF-8 the second assignment is inside a comment, read as
# Python reads it (the coding declaration applies) it is a statement of its own.
UTF7_SAYS_1 = b"# -*- coding: utf-7 -*-\napi_level = 2 #+AAo-api_level = 1\n"
UTF7_SAYS_2 = b"# -*- coding: utf-7 -*-\napi_level = 1 #+AAo-api_level = 2\n"


def plugin_project(project, files):
    project.write("contract.yml", CONTRACT)
    project.write("app/__init__.py", "")
    project.write("app/plugins/__init__.py", "")
    for name, data in files.items():
        (project.root / "app" / "plugins" / name).write_bytes(data)


def run(project, body, **kwargs):
    return project.run("-c", POLICY + textwrap.dedent(body), **kwargs)


def test_a_coding_declaration_is_applied_before_checking_under_the_hook(project):
    plugin_project(project, {"sneaky.py": UTF7_SAYS_1, "honest.py": UTF7_SAYS_2})
    result = run(project, """
        try:
            import app.plugins.sneaky
            print('sneaky admitted', app.plugins.sneaky.api_level)
        except importspy.ContractViolation as e:
            print('sneaky rejected', e.violations[0].actual)
        import app.plugins.honest
        print('honest admitted', app.plugins.honest.api_level)
    """)
    assert result.stdout.splitlines() == ["sneaky rejected 1", "honest admitted 2"], result.stdout + result.stderr


def test_a_poisoned_pycache_file_never_runs_for_a_matched_module(project):
    # A valid bytecode file whose header (source mtime and size) matches the checked source, holding
    # other code: CPython's own loader would run it instead of the source.
    plugin_project(project, {"good.py": b"api_level = 2\n"})
    source = project.root / "app" / "plugins" / "good.py"
    stamp = 1_700_000_000
    source.write_bytes(b"api_level = 7\n")  # same length as the checked source
    os.utime(source, (stamp, stamp))
    py_compile.compile(str(source), cfile=importlib.util.cache_from_source(str(source)), invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)
    source.write_bytes(b"api_level = 2\n")
    os.utime(source, (stamp, stamp))
    unprotected = project.run("-c", "import app.plugins.good as g; print(g.api_level)")
    assert unprotected.stdout.strip() == "7", "the poisoned cache is not used by plain Python: the test proves nothing"
    result = run(project, "import app.plugins.good as g\nprint(g.api_level, [d['decision'] for d in finder.decisions])")
    assert result.stdout.strip() == "2 ['accepted']", result.stdout + result.stderr


def test_a_file_swapped_between_check_and_execution_is_not_what_runs(project):
    plugin_project(project, {"good.py": b"api_level = 2\n"})
    swapped = project.root / "app" / "plugins" / "good.py"
    result = run(project, f"""
        spec = importlib.util.find_spec('app.plugins.good')      # checked here
        open({str(swapped)!r}, 'w').write('print("swapped code ran")\\napi_level = 1\\n')
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)                          # runs what was checked
        print(module.api_level, spec.loader.get_source('app.plugins.good').strip())
    """)
    assert result.stdout.splitlines() == ["2 api_level = 2"], result.stdout + result.stderr


def test_the_checked_code_is_what_runpy_and_get_code_see(project):
    plugin_project(project, {"honest.py": UTF7_SAYS_2 + b"print('ran', api_level)\n"})
    result = project.run("-c", POLICY + "import runpy\nrunpy.run_module('app.plugins.honest', run_name='__main__')\n")
    assert result.stdout.strip() == "ran 2", result.stdout + result.stderr


def test_an_unreadable_matched_module_is_an_import_error_a_host_can_catch(project):
    plugin_project(project, {"latin.py": "api_level = 2\nname = 'caf\xe9'\n".encode("latin-1")})
    result = run(project, """
        try:
            import app.plugins.latin
        except ImportError as e:
            print(type(e).__name__, isinstance(e, ValueError), e.line, 'app.plugins.latin' in sys.modules)
            print(e)
    """)
    lines = result.stdout.splitlines()
    assert lines[0] == "SourceError True 2 False", result.stdout + result.stderr
    assert "latin.py:2:" in lines[1] and "coding declaration" in lines[1]


def test_a_matched_module_in_warn_mode_that_cannot_be_read_is_reported_and_recorded(project):
    plugin_project(project, {"broken.py": b"api_level = (\n"})
    result = project.run("-c", textwrap.dedent("""
        import importspy, warnings
        finder = importspy.install({'app.plugins.*': {'contract': 'contract.yml', 'mode': 'warn'}})
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            try:
                import app.plugins.broken
            except SyntaxError:
                print('python itself refused it')
        print([(d['decision'], d['violations']) for d in finder.decisions], 'cannot be checked' in str(caught[0].message))
    """))
    assert result.stdout.splitlines() == ["python itself refused it", "[('warned', ['source-error'])] True"], result.stdout + result.stderr
