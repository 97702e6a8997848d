"""ImportSpy: runtime import contracts for Python, with a C++ engine.

A module declares, in a YAML contract, what the code importing it must look like and where it may
run; `Spy().importspy(filepath=...)` inside that module enforces it on its importer, and
`importspy.check()` / `importspy check` validate any module on demand.
"""

from ._engine import (
    Contract,
    ContractError,
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


def check(module_or_path, contract, *, mode="static"):
    """Check a module against a contract and return a :class:`Report` (never raises for violations).

    ``module_or_path`` is a module object, a path to a ``.py`` file, or a dotted module name.
    ``contract`` is a path to a YAML contract or a :class:`Contract`. ``mode="static"`` reads the
    source and never executes it; ``mode="runtime"`` imports the module and reads its live objects.
    Raises :class:`ContractError` for a broken contract and :class:`SourceError` for a module whose
    source cannot be read, parsed or imported.
    """
    return _check(module_or_path, contract, mode)


def generate(module_or_path, *, mode="static", with_environment=False, include_private=False, with_hashes=False):
    """Return the text of a contract (YAML, versioned schema) that the module satisfies.

    ``mode="static"`` never executes the module. ``with_environment`` adds a deployment for this
    machine; ``include_private`` keeps names starting with ``_``; ``with_hashes`` pins the file and
    every definition.
    """
    return _generate(module_or_path, mode, with_environment, include_private, with_hashes)


class Spy:
    """Embedded validation, compatible with ImportSpy 0.x.

    In a protected module::

        from importspy import Spy
        caller = Spy().importspy(filepath="spymodel.yml")

    validates the module importing it (and the environment) and returns that module.
    """

    def importspy(self, filepath=None, log_level=None, info_module=None):
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
