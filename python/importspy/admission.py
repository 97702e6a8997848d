"""ImportSpy 0.5 admission from Python (docs/policies-0.5.md, "Python API").

``decide(subject, policy)`` returns the decision document ``importspy check -f json`` prints.
``load(subject, policy)`` decides, then executes exactly the bytes that were hashed and checked (read
once: a file changed after the decision is not what runs) as a new module, and returns it with its
decision. Executing is running the module's code: admission is not a sandbox.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any, Sequence

from . import _engine


class AdmissionDenied(ImportError):
    """The subject was not admitted; ``decision`` is the decision document (a dict)."""

    def __init__(self, decision: dict[str, Any]) -> None:
        codes = ", ".join(v["code"] for v in decision.get("violations", [])) or "no violation recorded"
        super().__init__(f"{decision.get('subject')} was not admitted ({codes})")
        self.decision = decision


class AdmissionExecutionFailed(ImportError):
    """The admitted subject raised while it ran (ISPY-R201); the cause is chained, not in the decision."""

    def __init__(self, decision: dict[str, Any]) -> None:
        super().__init__(f"{decision.get('subject')} was admitted but raised while it ran (ISPY-R201)")
        self.decision = decision


def decide(subject: str | Path, policy: str | Path | None = None, *, project_root: str | Path | None = None,
           providers: Sequence[str] = (), allow_network: bool = False) -> dict[str, Any]:
    """The 0.5 decision document for ``subject`` under ``policy`` (else its sidecar, else the default policy)."""
    document, _ = _engine.admission_decision(str(subject), None if policy is None else str(policy),
                                             None if project_root is None else str(project_root), list(providers), allow_network)
    decision: dict[str, Any] = json.loads(document)
    return decision


def load(subject: str | Path, policy: str | Path | None = None, *, name: str | None = None, project_root: str | Path | None = None,
         providers: Sequence[str] = (), allow_network: bool = False) -> tuple[types.ModuleType, dict[str, Any]]:
    """Decide, then run the admitted bytes as module ``name`` (default: the file's stem) and return it.

    Raises AdmissionDenied when not admitted, ValueError when ``name`` is already in sys.modules, and
    AdmissionExecutionFailed (ISPY-R201 added to the decision) when the module raises while it runs.
    """
    document, admitted = _engine.admission_decision(str(subject), None if policy is None else str(policy),
                                                    None if project_root is None else str(project_root), list(providers), allow_network)
    decision: dict[str, Any] = json.loads(document)
    if admitted is None or decision.get("decision") != "ADMIT":
        raise AdmissionDenied(decision)
    module_name = name or Path(decision["subject"]).stem
    if module_name in sys.modules:
        raise ValueError(f"a module named {module_name!r} is loaded already; pass another name")
    module = types.ModuleType(module_name)
    module.__file__ = decision["subject"]
    module.__package__ = module_name.rpartition(".")[0]
    code = compile(admitted, decision["subject"], "exec", dont_inherit=True)
    decision["target_executed"] = True
    decision["phases"].append("execution")
    sys.modules[module_name] = module
    try:
        exec(code, module.__dict__)
    except BaseException as error:
        sys.modules.pop(module_name, None)
        decision["decision"] = "DENY"
        decision["violations"].append({
            "code": "ISPY-R201", "category": "runtime", "message": "the admitted module raised while it ran (its error is chained, not recorded)",
            "subject": decision["subject"], "severity": "error", "phase": "runtime", "location": None, "expected": None, "observed": None,
            "remediation": "fix the module, or load it where its import-time requirements are met",
        })
        if not isinstance(error, Exception):
            raise
        raise AdmissionExecutionFailed(decision) from error
    return module, decision
