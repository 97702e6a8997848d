"""The import hook's side of trust: the code checked is exactly the code that runs, and a matched
module the engine cannot read is an ImportError. Real interpreters, real files."""

import importlib.machinery
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


def test_a_covered_file_imported_under_another_name_is_still_checked(project):
    plugin_project(project, {"bad.py": b"api_level = 1\n", "good.py": b"api_level = 2\n"})
    (project.root / "elsewhere").mkdir()
    (project.root / "elsewhere" / "alias.py").symlink_to(project.root / "app" / "plugins" / "bad.py")
    result = run(project, """
        sys.path.insert(0, 'app/plugins')          # the plugin folder itself on sys.path: `bad`, not `app.plugins.bad`
        sys.path.insert(0, 'elsewhere')            # a symlink to it under a third name
        for name in ('bad', 'alias', 'good'):
            try:
                module = importlib.import_module(name)
                print(name, 'admitted', module.api_level)
            except importspy.ContractViolation as e:
                print(name, 'rejected', e.violations[0].code, name in sys.modules)
        print([(d['module'], d['decision']) for d in finder.decisions])
    """)
    assert result.stdout.splitlines() == [
        "bad rejected variable-value-mismatch False",
        "alias rejected variable-value-mismatch False",
        "good admitted 2",
        "[('bad', 'rejected'), ('alias', 'rejected'), ('good', 'accepted')]",
    ], result.stdout + result.stderr


def test_a_file_checked_under_its_name_stays_covered_under_any_other_name(project):
    # An exact-name rule: the file is known once it was imported under that name.
    project.write("contract.yml", CONTRACT)
    project.write("lib/plugin.py", "api_level = 2\n")
    project.write("lib/__init__.py", "")
    result = project.run("-c", textwrap.dedent("""
        import importspy, importlib, sys
        finder = importspy.install({'lib.plugin': 'contract.yml'})
        import lib.plugin
        sys.path.insert(0, 'lib')
        import plugin
        print([(d['module'], d['decision']) for d in finder.decisions])
    """))
    assert result.stdout.strip() == "[('lib.plugin', 'accepted'), ('plugin', 'accepted')]", result.stdout + result.stderr


BYPASSES = {
    "spec_from_file_location": """
        spec = importlib.util.spec_from_file_location('anything', 'app/plugins/bad.py')
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    """,
    "runpy.run_path": "import runpy; runpy.run_path('app/plugins/bad.py')",
    "load_module": "import importlib.machinery; importlib.machinery.SourceFileLoader('x', 'app/plugins/bad.py').load_module()",
    "finder ahead of ours": """
        import importlib.machinery
        class Ahead:
            def find_spec(self, name, path=None, target=None):
                if name == 'sneak':
                    return importlib.util.spec_from_file_location(name, 'app/plugins/bad.py')
        sys.meta_path.insert(0, Ahead())
        import sneak
    """,
    "exec of compiled file": "exec(compile(open('app/plugins/bad.py').read(), 'app/plugins/bad.py', 'exec'), {})",
}


def test_the_guard_refuses_covered_code_run_outside_the_import_system(project):
    plugin_project(project, {"bad.py": f"open({str(project.root / 'ran')!r}, 'a').write('x')\napi_level = 1\n".encode(), "good.py": b"api_level = 2\n"})
    for name, body in BYPASSES.items():
        unguarded = run(project, body)
        assert unguarded.returncode == 0 and (project.root / "ran").exists(), (name, "bypass does not work without the guard", unguarded.stderr)
        (project.root / "ran").unlink()
        attempt = "try:\n" + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ") + "\n" + textwrap.dedent("""
            except ImportError as e:
                print('refused', 'outside the import system' in str(e))
            import app.plugins.good                  # ordinary imports are unaffected
            print(app.plugins.good.api_level)
        """)
        guarded = project.run("-c", POLICY.replace("})\n", "}, guard=True)\n") + attempt)
        assert guarded.stdout.splitlines() == ["refused True", "2"], (name, guarded.stdout, guarded.stderr)
        assert not (project.root / "ran").exists(), name


def test_modules_imported_before_install_are_reported_as_unchecked(project):
    plugin_project(project, {"good.py": b"api_level = 2\n"})
    result = project.run("-c", textwrap.dedent("""
        import importspy, warnings
        import app.plugins.good, json
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            finder = importspy.install({'app.plugins.*': 'contract.yml'})
        print([(d['module'], d['stage'], d['decision']) for d in finder.decisions])
        print(len(caught), 'ran unchecked' in str(caught[0].message))
    """))
    assert result.stdout.splitlines() == ["[('app.plugins.good', 'preloaded', 'unchecked')]", "1 True"], result.stdout + result.stderr


def compiled_plugin(project, name="compiled", code="api_level = 2\n"):
    """A sourceless module: app/plugins/<name>.pyc and no .py (SourcelessFileLoader)."""
    source = project.root / f"{name}_src.py"
    source.write_text(code)
    target = project.root / "app" / "plugins" / f"{name}.pyc"
    py_compile.compile(str(source), cfile=str(target))
    source.unlink()
    return target


def test_a_matched_module_without_source_is_denied_in_enforce_mode_and_recorded(project):
    plugin_project(project, {})
    compiled_plugin(project)
    # The suffix this interpreter imports extension modules by (cpython-310-..., cpython-313-..., .pyd).
    (project.root / "app" / "plugins" / f"native{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"\x7fELF not really")
    log = project.root / "audit.jsonl"
    result = project.run("-c", textwrap.dedent(f"""
        import importspy, sys
        finder = importspy.install({{'app.plugins.*': 'contract.yml'}}, audit_log={str(log)!r})
        for name in ('app.plugins.compiled', 'app.plugins.native'):
            try:
                __import__(name)
                print(name, 'admitted')
            except importspy.ContractViolation as e:
                print(name, 'rejected', e.violations[0].code, name in sys.modules)
    """))
    assert result.stdout.splitlines() == ["app.plugins.compiled rejected module-unverifiable False",
                                          "app.plugins.native rejected module-unverifiable False"], result.stdout + result.stderr
    import json
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(e["module"], e["stage"], e["decision"], e["violations"]) for e in entries] == [
        ("app.plugins.compiled", "binary", "rejected", ["module-unverifiable"]),
        ("app.plugins.native", "binary", "rejected", ["module-unverifiable"])]
    assert len(entries[0]["sha256"]) == 64


def test_unverifiable_modules_warn_in_warn_mode_and_can_be_allowed(project):
    plugin_project(project, {})
    compiled_plugin(project)
    result = project.run("-c", textwrap.dedent("""
        import importspy, warnings
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            finder = importspy.install({'app.plugins.*': {'contract': 'contract.yml', 'mode': 'warn'}})
            import app.plugins.compiled
        print(app.plugins.compiled.api_level, len(caught), 'module-unverifiable' in str(caught[0].message))
        importspy.uninstall(finder)
        finder = importspy.install({'app.*': {'contract': 'contract.yml', 'unverifiable': 'allow'}})
        import importlib; importlib.reload(app.plugins.compiled)
        print([(d['stage'], d['decision']) for d in finder.decisions if d['module'] == 'app.plugins.compiled'])
    """))
    # Installed after the first import: the module is also reported as having run unchecked then.
    assert result.stdout.splitlines() == ["2 1 True", "[('preloaded', 'unchecked'), ('binary', 'recorded')]"], result.stdout + result.stderr


def test_an_integrity_pin_admits_exactly_one_compiled_module(project):
    import hashlib
    plugin_project(project, {})
    pyc = compiled_plugin(project)
    digest = hashlib.sha256(pyc.read_bytes()).hexdigest()
    project.write("pinned.yml", f"integrity:\n  sha256: {digest}\n")
    project.write("other.yml", f"integrity:\n  sha256: {'0' * 64}\n")
    result = project.run("-c", textwrap.dedent("""
        import importspy, sys
        finder = importspy.install({'app.plugins.*': 'pinned.yml'})
        import app.plugins.compiled
        print('pinned admitted', app.plugins.compiled.api_level)
        importspy.uninstall(finder); del sys.modules['app.plugins.compiled']
        importspy.install({'app.plugins.*': 'other.yml'})
        try:
            import app.plugins.compiled
        except importspy.ContractViolation as e:
            print('other rejected', e.violations[0].code)
    """))
    assert result.stdout.splitlines() == ["pinned admitted 2", "other rejected integrity-mismatch"], result.stdout + result.stderr


def test_a_pinned_compiled_module_replaced_after_the_decision_is_not_what_runs(project):
    import hashlib
    plugin_project(project, {})
    pyc = compiled_plugin(project)
    project.write("pinned.yml", f"integrity:\n  sha256: {hashlib.sha256(pyc.read_bytes()).hexdigest()}\n")
    other = compiled_plugin(project, "other", "print('replaced code ran')\napi_level = 9\n")
    result = project.run("-c", textwrap.dedent(f"""
        import importspy, importlib.util, os
        importspy.install({{'app.plugins.*': 'pinned.yml'}})
        spec = importlib.util.find_spec('app.plugins.compiled')         # hashed and admitted here
        os.replace({str(other)!r}, {str(pyc)!r})                        # then replaced
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(module.api_level)
    """))
    assert result.stdout.strip() == "2", result.stdout + result.stderr


def test_a_covered_file_is_recognised_through_folders_added_to_sys_path_after_install(project):
    plugin_project(project, {"bad.py": b"api_level = 1\n"})
    (project.root / "later").mkdir()
    (project.root / "app").rename(project.root / "later" / "app")   # not on sys.path when the policy is installed
    result = project.run("-c", POLICY + textwrap.dedent("""
        sys.path.append('later')                  # the package's root, added afterwards
        sys.path.insert(0, 'later/app/plugins')   # and its plugin folder under another name
        try:
            import bad
            print('admitted', bad.api_level)
        except importspy.ContractViolation as e:
            print('rejected', e.violations[0].code)
    """))
    assert result.stdout.strip() == "rejected variable-value-mismatch", result.stdout + result.stderr
