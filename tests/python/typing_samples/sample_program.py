"""A user's program: every public entry point of importspy, as mypy --strict sees it."""
from __future__ import annotations

import asyncio
import types

import importspy
from importspy import Contract, ContractError, ContractViolation, Report, SourceError, Spy, Violation


def summarise(report: Report) -> list[str]:
    lines: list[str] = []
    for violation in report.violations:
        v: Violation = violation
        lines.append(f"{v.code} {v.path}: {v.message} ({v.expected!r} -> {v.actual!r}) {v.hint}")
    ok: bool = report.ok
    text: str = report.to_text()
    document: str = report.to_json()
    return lines + [str(ok), text, document]


def main() -> int:
    contract: Contract = importspy.load_contract("spymodel.yml")
    parsed: Contract = importspy.parse_contract("importspy: 1\n", "inline.yml")
    report: Report = importspy.check("plugin.py", contract, mode="static")
    summarise(report)
    summarise(importspy.check("plugin.py", "spymodel.yml"))
    text: str = importspy.generate("plugin.py", with_hashes=True)
    caller: types.ModuleType = Spy().importspy(filepath="spymodel.yml", log_level="DEBUG")
    finder = importspy.install({"plugins.*": "contracts/plugin.yml"}, audit_log="audit.jsonl")
    importspy.uninstall(finder)
    with importspy.installed({"plugins.*": "contracts/plugin.yml"}):
        pass
    loaded = importspy.load_entry_points("app.plugins", "contracts/plugin.yml", on_violation="skip")
    names: list[str] = sorted(loaded.plugins)
    module: types.ModuleType = asyncio.run(importspy.aimport("json"))
    try:
        importspy.check("plugin.py", "spymodel.yml")
    except ContractError as error:
        print(error.file, error.line, error.column, error.hint)
    except SourceError as error:
        print(error.file, error.line)
    except ContractViolation as violation:
        print(violation.report.ok)
    version: str = importspy.__version__
    print(parsed, text, caller, names, module, version)
    return 0
