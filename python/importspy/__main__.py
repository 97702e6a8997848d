"""`python -m importspy` and the `importspy` console script."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ._engine import run_cli


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; exits with 0 (compliant), 1 (violations) or 2 (usage or contract error).

    Without ``argv`` (the console script, ``python -m importspy``) this process is the program, and both
    entry points search modules alike (docs/cli.md); with ``argv``, the caller's ``sys.path`` is left alone.
    """
    return run_cli(list(sys.argv[1:] if argv is None else argv), argv is None)


if __name__ == "__main__":
    sys.exit(main())
