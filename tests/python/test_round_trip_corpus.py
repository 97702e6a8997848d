"""Round trip over real code: for every file of this interpreter's standard library and of the
pinned packages of tests/corpus/packages.txt, the contract `generate` writes loads, and the file satisfies
it. The target is 100 %; any exception would be listed here with its reason (there is none)."""

import os
import sys
import sysconfig
from pathlib import Path

import pytest

import importspy

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def python_files(root):
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "__pycache__"))
        yield from (os.path.join(folder, n) for n in sorted(names) if n.endswith(".py"))


def round_trip(files, folder):
    """(files read, files the reader refuses, [(file, why) for each that fails the round trip])."""
    contract = folder / "generated.yml"
    read = refused = 0
    failures = []
    for path in files:
        try:
            text = importspy.generate(path, include_private=True)
        except importspy.SourceError:
            refused += 1  # not Python (the standard library's own syntax-error fixtures): nothing to generate
            continue
        read += 1
        contract.write_text(text, encoding="utf-8")
        try:
            report = importspy.check(path, str(contract))
        except importspy.ContractError as error:
            failures.append((path, f"the generated contract does not load: {error}"))
            continue
        if not report.ok:
            failures.append((path, report.to_text()[:2000]))
    return read, refused, failures


def test_every_standard_library_file_satisfies_the_contract_generated_from_it(tmp_path):
    files = list(python_files(sysconfig.get_paths()["stdlib"]))
    read, refused, failures = round_trip(files, tmp_path)
    assert read > 1500 and refused < 20, (read, refused)
    assert failures == [], "\n\n".join(f"{path}:\n{why}" for path, why in failures[:10])


def test_every_file_of_the_pinned_packages_satisfies_the_contract_generated_from_it(tmp_path):
    sys.path.insert(0, str(CORPUS))
    try:
        from run_corpora import packages_folder
    finally:
        sys.path.remove(str(CORPUS))
    folders, why = packages_folder()
    if folders is None:
        pytest.skip(f"the pinned packages of tests/corpus/packages.txt are not available: {why}")
    files = [f for folder in folders for f in python_files(folder)]
    read, refused, failures = round_trip(files, tmp_path)
    assert read == len(files) and refused == 0
    assert failures == [], "\n\n".join(f"{path}:\n{why}" for path, why in failures[:10])
