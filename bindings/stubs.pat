# Replacements for the generated stub of importspy._engine (nanobind stubgen pattern file).
# The exception types are created at run time with PyErr_NewException, so the stub generator only sees
# them as re-exports of `importspy`; declare them here with their bases and attributes so that type
# checkers know them (mypy --strict over tests/python/typing/ proves it).

importspy\._engine\.ContractError$:
    class ContractError(ValueError):
        """The contract cannot be loaded."""
        file: str
        """The contract file."""
        line: int
        """1-based line; 0 when the whole file is concerned."""
        column: int
        """1-based column; 0 when unknown."""
        hint: str
        """How to fix it."""
        kind: str
        """What went wrong: 'syntax', 'unknown-key', 'wrong-type', 'not-utf8', ... (docs/report-format.md)."""

importspy\._engine\.ContractImportError$:
    class ContractImportError(ContractError, ImportError):
        """The import hook refuses a module because its rule's contract cannot be loaded; `name` is that module."""

importspy\._engine\.ContractViolation$:
    class ContractViolation(ImportError, ValueError):
        """A module or its environment breaks its contract; the message is the text report."""
        report: Report
        violations: list[Violation]

importspy\._engine\.SourceError$:
    class SourceError(ImportError, ValueError):
        """A module's source cannot be used (unreadable, undecodable, too large, a syntax error, or raised on import)."""
        file: str
        line: int
        column: int

importspy\._engine\.ContractWarning$:
    class ContractWarning(UserWarning):
        """A module imported under a `warn` rule breaks its contract."""

importspy\._engine\.__suffix__$:
    __version__: str
