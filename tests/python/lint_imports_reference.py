"""import-linter's verdicts on one configuration, as JSON: the reference of the lint-imports differential
tests. Run in the folder holding the configuration and the packages, with the interpreter import-linter is
installed in: `python lint_imports_reference.py [CONFIG_FILE]`.

Prints {"error": MESSAGE} when lint-imports would stop before its report (a malformed configuration, an
ignored import that matches nothing with the default alerting), else {"contracts": [{"name", "kept",
"warnings", "pairs"}], "modules", "dependencies"} (what its report's "Analyzed" line counts): `pairs` are the (importer, imported) modules at the two ends of every illegal
chain a contract reports, or null where the contract's findings are heuristic (acyclic_siblings' cycle
breakers).
"""

from __future__ import annotations

import json
import os
import sys


def chain_ends(detailed_chains) -> set[tuple[str, str]]:
    pairs = set()
    for detailed in detailed_chains:
        if isinstance(detailed, dict):  # layers, independence: a chain with the extra first and last links merged in
            chain = detailed["chain"]
            firsts = [chain[0]] + list(detailed["extra_firsts"])
            lasts = [chain[-1]] + list(detailed["extra_lasts"])
        else:  # forbidden: a plain chain of links
            firsts, lasts = [detailed[0]], [detailed[-1]]
        for first in firsts:
            for last in lasts:
                pairs.add((first["importer"], last["imported"]))
    return pairs


def pairs_of(contract, check) -> list[list[str]] | None:
    metadata = check.metadata or {}
    pairs: set[tuple[str, str]] = set()
    if "invalid_chains" in metadata:  # forbidden, independence
        for data in metadata["invalid_chains"]:
            pairs |= chain_ends(data["chains"])
    elif "invalid_dependencies" in metadata:  # layers
        for data in metadata["invalid_dependencies"]:
            pairs |= chain_ends(data["routes"])
        for module in metadata.get("undeclared_modules") or ():
            pairs.add(("<undeclared>", module))
    elif "illegal_imports" in metadata:  # protected (objects), private_modules (links)
        for item in metadata["illegal_imports"]:
            links = item.illegal_links if hasattr(item, "illegal_links") else [item]
            for link in links:
                pairs.add((link["importer"], link["imported"]))
    else:
        return None
    return sorted([list(pair) for pair in pairs])


def main() -> None:
    # import-linter and its own dependencies first: a package under test may share a name with one of
    # them (rich), and lint-imports puts the working directory first on sys.path.
    from importlinter import configuration
    from importlinter.application import use_cases
    import rich.live  # noqa: F401  (what the report's progress display imports later)

    configuration.configure()
    sys.path.insert(0, os.getcwd())

    config = sys.argv[1] if len(sys.argv) > 1 else None
    try:
        options = use_cases.read_user_options(config)
        use_cases._register_built_in_contract_types()
        report = use_cases.create_report(options, cache_dir=None)
    except Exception as error:  # what lint-imports renders and exits 1 on
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        return
    if report.could_not_run:
        print(json.dumps({"error": "invalid contract options: " + ", ".join(sorted(report.invalid_contract_options))}))
        return
    contracts = []
    for contract, check in report.get_contracts_and_checks():
        contracts.append({"name": contract.name, "kept": check.kept, "warnings": len(check.warnings), "pairs": pairs_of(contract, check)})
    print(json.dumps({"contracts": contracts, "modules": report.module_count, "dependencies": report.import_count}))


if __name__ == "__main__":
    main()
