"""Under the import hook the text checked is the text compiled: one decoder (the reader's) for both, with
compile()'s line ends, declaration lines and codecs; a codec it cannot reproduce exactly is refused."""

import textwrap

POLICY = "import importspy, sys\nfinder = importspy.install({'app.plugins.*': 'contract.yml'})\n"


def plugin_project(project, contract, files):
    project.write("contract.yml", contract)
    project.write("app/__init__.py", "")
    project.write("app/plugins/__init__.py", "")
    for name, data in files.items():
        (project.root / "app" / "plugins" / name).write_bytes(data)


def run(project, body):
    return project.run("-c", POLICY + textwrap.dedent(body))


def test_a_utf7_declaration_on_a_line_a_lone_cr_ends_is_applied_before_checking(project):
    # compile() reads lines ended by '\r': Python runs `api_level = 1`, which UTF-8 reading hides in a comment.
    plugin_project(project, "variables:\n  - name: api_level\n    value: 2\n",
                   {"sneaky.py": b"# -*- coding: utf-7 -*-\rapi_level = 2 #+AAo-api_level = 1\r"})
    result = run(project, """
        try:
            import app.plugins.sneaky
            print('admitted', app.plugins.sneaky.api_level)
        except importspy.ContractViolation as e:
            print('rejected', e.violations[0].actual)
    """)
    assert result.stdout.strip() == "rejected 1", result.stdout + result.stderr


def test_a_declaration_after_a_first_line_that_is_a_lone_cr_is_applied(project):
    plugin_project(project, "variables:\n  - name: city\n    value: Zürich\n", {"latin.py": "\r# coding: latin-1\ncity = 'Zürich'\n".encode("latin-1")})
    result = run(project, "import app.plugins.latin as m\nprint(m.city == 'Z\\u00fcrich', [d['decision'] for d in finder.decisions])\n")
    assert result.stdout.strip() == "True ['accepted']", result.stdout + result.stderr


def test_a_gb18030_file_is_refused_rather_than_read_through_a_different_table(project):
    # b'\xa6\xd9' is U+E78D to Python and U+FE10 to glibc's iconv: the checked value was not the running one.
    plugin_project(project, "variables:\n  - name: mark\n    value: \"\\uFE10\"\n", {"chinese.py": b"# coding: gb18030\nmark = '\xa6\xd9'\n"})
    result = run(project, """
        try:
            import app.plugins.chinese as m
            print('admitted', hex(ord(m.mark)))
        except ImportError as e:
            print('refused', type(e).__name__, 'gb18030' in str(e), 'UTF-8' in str(e))
    """)
    assert result.stdout.strip() == "refused SourceError True True", result.stdout + result.stderr
