"""ImportSpy: runtime import contracts for Python, with a C++ engine.

A module declares, in a YAML contract, what the code importing it must look like and where it may
run; `Spy().importspy(filepath=...)` inside that module enforces it on its importer, and
`importspy.check()` / `importspy check` validate any module on demand.
"""

from __future__ import annotations

# For type checkers only (mypy and pyright treat any name TYPE_CHECKING as true): importing `typing`
# at run time would cost `import importspy` a few milliseconds.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import os
    import types
    from typing import Literal, Union

    #: A module object, a path to a ``.py`` file, or a dotted module name.
    ModuleTarget = Union[types.ModuleType, str, os.PathLike[str]]
    #: A path to a YAML contract or a compiled :class:`Contract`.
    ContractSource = Union["Contract", str, os.PathLike[str]]
    #: How facts are read: from the source without executing it, or from the imported module.
    Mode = Literal["static", "runtime"]
    #: Which parser reads source in static mode: ImportSpy's C++ reader, or CPython's (for comparison).
    Parser = Literal["reader", "cpython"]

from ._engine import (
    Contract,
    ContractError,
    ContractImportError,
    ContractViolation,
    ContractWarning,
    Report,
    SourceError,
    Violation,
    __version__,
    load_contract,
    parse_contract,
)
from ._engine import check as _check
from ._engine import generate as _generate
from ._engine import enable_logging as _enable_logging
from ._engine import validate_importer as _validate_importer
from ._imports import aimport, install, installed, load_entry_points, uninstall

__all__ = [
    "Contract",
    "ContractError",
    "ContractImportError",
    "ContractViolation",
    "ContractWarning",
    "Report",
    "SourceError",
    "Spy",
    "Violation",
    "__version__",
    "aimport",
    "check",
    "generate",
    "install",
    "installed",
    "load_entry_points",
    "load_contract",
    "parse_contract",
    "uninstall",
]


def check(module_or_path: ModuleTarget, contract: ContractSource, *, mode: Mode = "static", parser: Parser = "reader") -> Report:
    """Check a module against a contract and return a :class:`Report` (never raises for violations).

    ``module_or_path`` is a module object, a path to a ``.py`` file, or a dotted module name.
    ``contract`` is a path to a YAML contract or a :class:`Contract`. ``mode="static"`` reads the
    source and never executes it; ``mode="runtime"`` imports the module and reads its live objects.
    ``parser="cpython"`` reads the source with CPython's parser instead of ImportSpy's C++ reader (for
    comparison; both never execute the module).
    Raises :class:`ContractError` for a broken contract and :class:`SourceError` for a module whose
    source cannot be read, parsed or imported.
    """
    return _check(module_or_path, contract, mode, parser)


def generate(
    module_or_path: ModuleTarget,
    *,
    mode: Mode = "static",
    with_environment: bool = False,
    include_private: bool = False,
    with_hashes: bool = False,
    parser: Parser = "reader",
) -> str:
    """Return the text of a contract (YAML, versioned schema) that the module satisfies.

    ``mode="static"`` never executes the module. ``with_environment`` adds a deployment for this
    machine; ``include_private`` keeps names starting with ``_``; ``with_hashes`` pins the file and
    every definition. ``parser`` as for :func:`check`.
    """
    return _generate(module_or_path, mode, with_environment, include_private, with_hashes, parser)


class Spy:
    """Embedded validation, compatible with ImportSpy 0.x.

    In a protected module::

        from importspy import Spy
        caller = Spy().importspy(filepath="spymodel.yml")

    validates the module importing it (and the environment) and returns that module.
    """

    def importspy(
        self,
        filepath: str | os.PathLike[str] | None = None,
        log_level: int | str | None = None,
        info_module: types.ModuleType | None = None,
    ) -> types.ModuleType:
        """Validate the importer of the calling module (or ``info_module``) against ``filepath``.

        A relative ``filepath`` is looked up beside the calling module, then in the working directory.
        ``log_level`` (a ``logging`` level or its name) enables the ``importspy`` logger.
        Raises :class:`ContractViolation` (an ``ImportError`` and a ``ValueError``) when the contract
        is broken, :class:`ContractError` when it cannot be loaded.
        """
        if filepath is None:
            raise ValueError("Spy().importspy() needs filepath=, the path of the contract (spymodel.yml)")
        if log_level is not None:
            _enable_logging(log_level)
        return _validate_importer(filepath, info_module)
