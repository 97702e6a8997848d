"""Import-system glue for importspy.install(): only what must be Python. The checking is in C++."""

from __future__ import annotations

import os
import sys

from . import _engine

TYPE_CHECKING = False  # see __init__.py: typing is imported by type checkers only
if TYPE_CHECKING:
    import types
    from collections.abc import Mapping
    from typing import Literal, Union

    #: ``{module pattern: contract path}`` or ``{module pattern: {"contract", "mode", "runtime"}}``, or the
    #: path of an ``importspy.toml`` / ``pyproject.toml``.
    Policy = Union[Mapping[str, Union[str, "os.PathLike[str]", Mapping[str, object]]], str, "os.PathLike[str]"]

_installed: list[_engine.ContractFinder] = []  # the finders this process put on sys.meta_path, newest last
_from_environment = False  # IMPORTSPY_POLICY handled (installed or reported) in this process


def install(
    policy: Policy | None = None, *, audit_log: str | os.PathLike[str] | None = None, guard: bool | None = None
) -> _engine.ContractFinder:
    """Enforce contracts on imports: modules matching a rule are checked before their code runs.

    ``policy`` is a dict ``{module pattern: contract}`` (or ``{pattern: {"contract", "mode", "runtime"}}``),
    the path of an ``importspy.toml`` or ``pyproject.toml``, or None for ``$IMPORTSPY_POLICY``. A relative
    contract path is looked up beside the file that names it (the module calling ``install`` for a dict,
    the settings file for a policy file), then in the working directory, as ``Spy`` does. In enforce mode
    a module whose rule's contract cannot be loaded is refused with :class:`ContractImportError` (an
    ``ImportError`` and a ``ContractError``). With
    ``guard=True`` (default: ``IMPORTSPY_GUARD=1``), code of a covered file executed outside the import
    system (``runpy.run_path``, ``spec_from_file_location``, ...) raises ImportError. Returns the finder,
    which is first on ``sys.meta_path`` until :func:`uninstall`.
    """
    if policy is None:
        policy = os.environ.get("IMPORTSPY_POLICY")
        if not policy:
            raise ValueError("no policy given and IMPORTSPY_POLICY is not set")
    finder = _engine.make_finder(policy, audit_log, _caller_file())
    if guard or (guard is None and os.environ.get("IMPORTSPY_GUARD") == "1"):
        finder.set_guard(True)
    sys.meta_path.insert(0, finder)
    _installed.append(finder)
    return finder


def _caller_file() -> str:
    """The file of the code that called install() (directly or through ``installed``); empty when it has none."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
    file = frame.f_globals.get("__file__") if frame is not None else None
    return os.path.abspath(file) if isinstance(file, str) else ""


def uninstall(finder: _engine.ContractFinder | None = None) -> None:
    """Remove ``finder`` (by default the most recently installed one) from ``sys.meta_path``."""
    if finder is None:
        if not _installed:
            return
        finder = _installed[-1]
    finder.set_guard(False)
    if finder in sys.meta_path:
        sys.meta_path.remove(finder)
    if finder in _installed:
        _installed.remove(finder)


class installed:
    """``with importspy.installed(policy) as finder: ...`` installs for the block only."""

    def __init__(
        self, policy: Policy | None = None, *, audit_log: str | os.PathLike[str] | None = None, guard: bool | None = None
    ) -> None:
        self._policy, self._audit_log, self._guard = policy, audit_log, guard
        self._finder: _engine.ContractFinder | None = None

    def __enter__(self) -> _engine.ContractFinder:
        self._finder = install(self._policy, audit_log=self._audit_log, guard=self._guard)
        return self._finder

    def __exit__(self, *exc: object) -> Literal[False]:
        uninstall(self._finder)
        return False


class LoadedPlugins:
    """What :func:`load_entry_points` returns: the admitted plugins and the rejected ones' reports."""

    def __init__(self, plugins: dict[str, object], rejected: dict[str, _engine.Report | BaseException]) -> None:
        self.plugins = plugins    # {entry point name: loaded object}
        self.rejected = rejected  # {entry point name: Report or exception}

    def __repr__(self) -> str:
        return f"<LoadedPlugins {len(self.plugins)} loaded, {len(self.rejected)} rejected>"


def load_entry_points(
    group: str,
    contract: _engine.Contract | str | os.PathLike[str] | None = None,
    *,
    on_violation: Literal["skip", "raise"] = "skip",
) -> LoadedPlugins:
    """Load the plugins of an entry-point group, admitting only compliant ones.

    With ``contract``, each plugin module is checked statically before it is imported; without, an
    installed policy decides during the import. ``on_violation="raise"`` re-raises the first rejection.
    """
    if on_violation not in ("skip", "raise"):
        raise ValueError('on_violation must be "skip" or "raise"')
    from importlib.metadata import entry_points

    plugins: dict[str, object] = {}
    rejected: dict[str, _engine.Report | BaseException] = {}
    for entry in entry_points(group=group):
        module = entry.value.split(":")[0].split("[")[0].strip()
        if contract is not None:
            report = _engine.check(module, contract, "static")
            if not report.ok:
                if on_violation == "raise":
                    raise _engine.ContractViolation(report.to_text())
                rejected[entry.name] = report
                continue
        try:
            plugins[entry.name] = entry.load()
        except _engine.ContractViolation as violation:
            if on_violation == "raise":
                raise
            rejected[entry.name] = violation.report
    return LoadedPlugins(plugins, rejected)


async def aimport(name: str, package: str | None = None) -> types.ModuleType:
    """Import (and validate) ``name`` in a worker thread, without blocking the event loop."""
    import asyncio
    import importlib

    return await asyncio.to_thread(importlib.import_module, name, package)


def install_from_environment() -> None:
    """Called at interpreter start (importspy-policy.pth) when IMPORTSPY_POLICY is set.

    Fails closed: a policy that cannot be installed (missing, unreadable or invalid file, an audit log an
    enforcing policy cannot write) stops the interpreter with exit status 2 and one message on stderr,
    before any of the program runs. ``IMPORTSPY_POLICY_ERRORS=warn`` reports it once and goes on unchecked.
    """
    global _from_environment
    if _from_environment:  # `site` may read the same .pth twice (a virtual environment's site-packages)
        return
    _from_environment = True
    policy = os.environ["IMPORTSPY_POLICY"]
    try:
        install(policy)
    except Exception as error:
        if os.environ.get("IMPORTSPY_POLICY_ERRORS") == "warn":
            print(f"importspy: warning: IMPORTSPY_POLICY ({policy}) is not installed, imports are NOT checked: {error}", file=sys.stderr)
            return
        print(f"importspy: error: IMPORTSPY_POLICY ({policy}) cannot be installed: {error}\n"
              "  Nothing runs without its policy: fix it, unset IMPORTSPY_POLICY, or set IMPORTSPY_POLICY_ERRORS=warn to run unchecked.",
              file=sys.stderr)
        sys.stderr.flush()
        os._exit(2)
