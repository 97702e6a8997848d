"""``pytest --importspy``: every target of the project settings, checked against its contract, is a test.

The settings are those ``importspy check`` reads (``[tool.importspy]`` in ``pyproject.toml`` or
``importspy.toml``, found upwards from the working directory; ``--importspy-config FILE`` names one).
The engine discovers the targets, picks each one's contract, checks them (static mode unless the
settings say ``mode = "runtime"``) and caches the results, exactly as on the command line; this module
only turns its results into test items:

- a compliant target passes;
- a target with violations fails, showing the engine's text report;
- a target that cannot be checked (a broken contract, a syntax error, no contract, nothing found) is an
  error item naming the file, line and column.

Without ``--importspy`` the plugin adds nothing and reads nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ._engine import TargetResult


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("importspy", "import contracts (ImportSpy)")
    group.addoption(
        "--importspy",
        action="store_true",
        default=False,
        help="check every target of [tool.importspy] (pyproject.toml) or importspy.toml against its contract, one test item per target",
    )
    group.addoption(
        "--importspy-config",
        default=None,
        metavar="FILE",
        help="settings file for --importspy (default: importspy.toml or pyproject.toml with [tool.importspy], found upwards)",
    )


class ImportSpyFailure(Exception):
    """A target that breaks its contract: the message is the engine's text report."""


class ImportSpyCollector(pytest.Collector):
    """The session's importspy node: its children are the items of one project check."""

    def __init__(self, *, results: list[TargetResult], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.results = results

    def collect(self) -> list[ImportSpyItem]:
        items = []
        for result in self.results:
            contract = result.contract or "no contract"
            items.append(
                ImportSpyItem.from_parent(
                    self,
                    name=f"importspy[{contract}]",
                    nodeid=f"{result.target}::importspy[{contract}]",
                    path=Path(result.file).resolve() if result.file else self.path,
                    result=result,
                )
            )
        return items


class ImportSpyItem(pytest.Item):
    """One target checked against its contract; the check itself ran once for the whole session."""

    def __init__(self, *, result: TargetResult, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result = result
        # No fixtures, said the way pytest's own Function says it: plugins that wrap every test call and
        # look for fixtures there (pytest-lsp 1.x returns without running the test when `funcargs` is
        # missing, which pytest reports as an error) run these items too.
        self.funcargs: dict[str, Any] = {}
        self.add_marker("importspy")
        self.extra_keyword_matches.add(result.target)  # `-k audio` selects plugins/audio.py

    def setup(self) -> None:
        error = self.result.error
        if error is not None:
            where = error["file"] or self.result.target
            if error["line"]:
                where += f":{error['line']}:{error['column']}"
            # As the command line shows it: the place, the message, then how to fix it ("did you mean").
            hint = f"\n  hint: {error['hint']}" if error.get("hint") else ""
            # Raised in setup, so pytest reports an error (not a failure); no traceback of this plugin.
            pytest.fail(f"{where}: {error['code']}: {error['message']}{hint}", pytrace=False)

    def runtest(self) -> None:
        report = self.result.report
        if report is not None and not report.ok:
            raise ImportSpyFailure(report.to_text())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ImportSpyFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"importspy: {self.result.target} against {self.result.contract or 'no contract'}"


@pytest.hookimpl(tryfirst=True)  # before -k, -m and --deselect filter the items
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("importspy"):
        return
    from ._engine import check_project

    try:
        results = check_project(config=config.getoption("importspy_config"))
    except ValueError as error:
        raise pytest.UsageError(f"importspy: {error}") from None
    # Collected through the collection hooks, so that pytest counts, reports and selects the items like
    # any others.
    collector = ImportSpyCollector.from_parent(session, name="importspy", nodeid="importspy", path=session.path, results=results)
    session.ihook.pytest_collectstart(collector=collector)
    report = session.ihook.pytest_make_collect_report(collector=collector)
    session.ihook.pytest_collectreport(report=report)
    items.extend(node for node in report.result if isinstance(node, pytest.Item))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "importspy: a target checked against its import contract (pytest --importspy)")
