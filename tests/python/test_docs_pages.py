"""The documentation pages (README.md and docs/, also the mkdocs site) tell the truth and read as pages:
a page they name is a link that works on the site and on GitHub, the install commands install this
project, and they speak of the product, never of the project's issue tracker."""

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from conftest import REPO

DOCS = REPO / "docs"
PAGES = [REPO / "README.md", *sorted(DOCS.rglob("*.md"))]
FENCE = re.compile(r"^([ \t]*)(```|~~~).*?^\1\2[ \t]*$", re.M | re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)
LINK = re.compile(r"\[(?:[^\[\]]|\[[^\[\]]*\])*\]\([^)\s]*\)")
MENTION = re.compile(r"(?<![\w/.-])((?:\.\./)*(?:[\w.-]+/)*[\w.-]+\.md)(?![\w/-])")
ISSUE = re.compile(r"\bissues?[ -]?#?\d+|(?<![\w&/])#\d+\b|\bthe issue's\b|\bof the issue\b", re.I)


def blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def prose(text: str) -> str:
    """The text outside fenced blocks and HTML comments, line numbers kept (blanked, not removed)."""
    return COMMENT.sub(blank, FENCE.sub(blank, text))


def page_named(page: Path, mention: str) -> Path | None:
    """The file `mention` names, read from `page` as GitHub reads links, or from the repository root as
    the pages write paths; None when it names no file of the repository."""
    for base in (page.parent, REPO):
        path = (base / mention).resolve()
        if path.is_file() and REPO in path.parents:
            return path
    return None


def unlinked_pages(page: Path) -> list[str]:
    """The pages `page` names in its prose (in a code span or bare) without linking them. On the site,
    every docs page can be linked; README.md (GitHub only) can link every Markdown file of the repository.
    Files outside docs/ stay code spans on docs pages: the site has no page for them."""
    found = []
    unlinked = LINK.sub(blank, prose(page.read_text(encoding="utf-8")))
    for number, line in enumerate(unlinked.splitlines(), 1):
        for mention in MENTION.findall(line):
            named = page_named(page, mention)
            if named is None:
                continue
            if page.name == "README.md" and page.parent == REPO or DOCS in named.parents:
                found.append(f"{page.relative_to(REPO)}:{number}: {mention}")
    return found


# docs/threat-model.md is edited by one hand only; its links come with that edit (then this mark goes).
LINK_CHECKED = PAGES


@pytest.mark.parametrize("page", LINK_CHECKED, ids=lambda page: str(page.relative_to(REPO)))
def test_a_page_named_in_the_docs_is_a_link_not_a_code_span(page):
    assert unlinked_pages(page) == [], "write these as relative Markdown links, e.g. [CI mode](ci.md#targets)"


def test_the_link_checker_finds_a_page_named_in_a_code_span_and_ignores_commands(tmp_path, monkeypatch):
    page = DOCS / "cli.md"
    text = "See `docs/ci.md`, docs/authoring.md and [CI mode](ci.md).\n```sh\nimportspy check  # docs/ci.md\n```\n`SECURITY.md` `pyproject.toml`\n"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: text)
    assert unlinked_pages(page) == ["docs/cli.md:1: docs/ci.md", "docs/cli.md:1: docs/authoring.md"]


def tracked_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    this = Path(__file__).resolve()  # its examples are issue numbers
    return [REPO / name for name in listed.stdout.splitlines() if name != "CHANGELOG.md" and REPO / name != this]


def test_no_page_or_comment_speaks_of_the_projects_issue_numbers():
    found = []
    for path in tracked_files():
        if not path.is_file() or path.suffix not in {".md", ".py", ".cpp", ".hpp", ".h", ".sh", ".yml", ".yaml", ".toml", ".cmake", ".txt", ".pyi"}:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if ISSUE.search(line):
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert found == [], "say what the product does instead:\n" + "\n".join(found)


def test_the_issue_number_check_finds_them():
    for line in ("(issue 11, finding 6)", "see #21", "Issue-14: x", "Against the issue's targets"):
        assert ISSUE.search(line), line
    for line in ("no issues found", "#include <x>", "`#ifdef`", "&#123;"):
        assert not ISSUE.search(line), line


def test_the_site_wraps_long_code_lines_clear_of_the_copy_button():
    settings = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "content.code.copy" in settings, "no copy button: then this rule has no reason to be"
    assert re.search(r"^extra_css:\n  - stylesheets/extra\.css$", settings, re.M), "mkdocs.yml must load docs/stylesheets/extra.css"
    rules = re.sub(r"/\*.*?\*/", "", (DOCS / "stylesheets" / "extra.css").read_text(encoding="utf-8"), flags=re.S)
    block = re.search(r"\.md-typeset pre > code \{(?P<body>[^}]*)\}", rules)
    assert block, "a rule for every code block (.md-typeset pre > code)"
    declarations = dict(re.findall(r"([\w-]+):\s*([^;]+);", block["body"]))
    assert declarations.get("white-space") == "pre-wrap", "long lines wrap instead of running under the button"
    assert declarations.get("overflow-wrap") == "anywhere", "a long word (a URL, a hash) wraps too"
    # The button is 1.5em wide in a bar .25em from the edge with .2rem of padding: 3em keeps the text clear.
    assert float(declarations.get("padding-right", "0em").removesuffix("em")) >= 2.5, "the text keeps clear of the button's column"


FENCED = re.compile(r"^([ \t]*)(```|~~~)[^\n]*\n(?P<body>.*?)^\1\2[ \t]*$", re.M | re.S)
PIP_INSTALL = re.compile(r"\bpip install\b(?P<arguments>[^\n#]*)")
TAKES_A_VALUE = {"-r", "--requirement", "-c", "--constraint", "--no-binary", "--only-binary", "-i", "--index-url", "--extra-index-url", "-t", "--target"}


def installs_from_pypi(arguments: str) -> bool:
    """Whether `pip install ARGUMENTS` would fetch the `importspy` distribution from PyPI: the original
    ImportSpy (0.5.0 today), or nothing at all for a 1.x requirement, until 1.x is published. A path
    (`.`, a wheel) or a direct reference (`importspy @ git+...`) installs this project."""
    words = shlex.split(arguments.replace("\\\\\n", " "))
    for before, word in zip([None, *words], words):
        if word.startswith("-") or before in TAKES_A_VALUE:
            continue
        if re.match(r"importspy(\[[^\]]*\])?\s*($|[=<>!~;,])", word):
            return True
    return False


def install_commands() -> list[tuple[str, str]]:
    """(page:line, arguments) of every `pip install` in a fenced block of README.md and docs/."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for block in FENCED.finditer(text):
            for command in PIP_INSTALL.finditer(block["body"]):
                line = text[: block.start("body") + command.start()].count("\n") + 1
                found.append((f"{page.relative_to(REPO)}:{line}", command["arguments"]))
    return found


def test_every_install_command_in_the_docs_installs_this_project():
    commands = install_commands()
    assert len(commands) >= 5, commands
    wrong = [f"{where}: pip install{arguments}" for where, arguments in commands if installs_from_pypi(arguments)]
    assert wrong == [], "ImportSpy 1.x is not on PyPI: these install the original 0.5.0 (or fail)"


def test_the_first_command_of_the_readme_and_of_the_docs_home_installs_this_project():
    for page in (REPO / "README.md", DOCS / "index.md"):
        first = FENCED.search(page.read_text(encoding="utf-8"))["body"].splitlines()[0]
        assert first.startswith("pip install ."), f"{page.relative_to(REPO)} starts with `{first}`"


def test_the_install_check_tells_pypi_from_this_project():
    for arguments in (" importspy", ' "importspy>=1.0.0.dev0"', " -U importspy==1.0.0", " importspy[yaml]", " pyyaml importspy"):
        assert installs_from_pypi(arguments), arguments
    for arguments in (" .", " ./importspy", " dist/importspy-1.0.0-cp311-cp311-linux_x86_64.whl", ' "importspy @ git+https://github.com/o/importspy@v1"', " --no-binary importspy ."):
        assert not installs_from_pypi(arguments), arguments
