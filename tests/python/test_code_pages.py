"""docs/codes/: one reference page per violation code of the engine's catalogue, and no other."""

import re

from conftest import REPO

import importspy._engine

CODES = REPO / "docs" / "codes"


def catalogue():
    return {entry["code"]: entry for entry in importspy._engine.violation_codes()}


def test_every_code_has_a_page_and_every_page_a_code():
    pages = {path.stem for path in CODES.glob("*.md")} - {"index"}
    codes = set(catalogue())
    assert codes - pages == set(), f"codes without a page in docs/codes/: {sorted(codes - pages)}"
    assert pages - codes == set(), f"pages in docs/codes/ for no code of the engine: {sorted(pages - codes)}"


def test_each_page_states_the_engine_summary_category_and_context():
    for code, entry in catalogue().items():
        text = (CODES / f"{code}.md").read_text(encoding="utf-8")
        assert text.startswith(f"# {code}\n"), f"docs/codes/{code}.md:1: the title must be `# {code}`"
        assert entry["summary"] in text, f"docs/codes/{code}.md: the engine's summary is\n  {entry['summary']}"
        assert f"| category | `{entry['category']}` |" in text, f"docs/codes/{code}.md: category is {entry['category']}"
        assert f"| context | `{entry['context']}`" in text, f"docs/codes/{code}.md: context is {entry['context']}"


def test_the_index_links_every_code_in_catalogue_order():
    index = (CODES / "index.md").read_text(encoding="utf-8")
    linked = re.findall(r"\[`([a-z-]+)`\]\(\1\.md\)", index)
    assert linked == list(catalogue())


def test_the_catalogue_is_the_engines():
    # The same entries the core's own tool prints (`importspy-core codes`), with the fields it prints.
    entries = importspy._engine.violation_codes()
    assert len(entries) == len({e["code"] for e in entries}) > 20
    assert all(set(e) == {"code", "category", "context", "summary"} for e in entries)
    assert {"code": "argument-missing", "category": "missing", "context": "module",
            "summary": "A function or method lacks a parameter the contract requires."} in entries
