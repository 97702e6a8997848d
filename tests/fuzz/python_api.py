"""atheris harness for the Python API: contract text, Python source and the two together.

Any input must end in a result or in one of the documented exceptions (ContractError, SourceError);
anything else — another exception, a crash, a sanitizer report — is a finding.

    IMPORTSPY_FUZZ_TARGETS=python_api scripts/fuzz.sh --runs 2000     # or SECONDS; seeds in tests/fuzz/python_api/

scripts/fuzz.sh installs atheris into build-fuzz/atheris-venv with the extension built by clang for coverage
(-fsanitize=fuzzer-no-link), ASan and UBSan, and preloads atheris' ASan + libFuzzer runtime: the fuzzer is
guided by the C++ engine's edges, not only by this file's.
"""

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    import importspy
    import importspy._engine as engine

FOLDER = tempfile.mkdtemp(prefix="importspy-atheris-")
MODULE = os.path.join(FOLDER, "target.py")


def test_one_input(data: bytes) -> None:
    # The first line chooses nothing; a "\n---\n" separator splits contract text from module source.
    contract_bytes, _, source = data.partition(b"\n---\n")
    contract_text = contract_bytes.decode("utf-8", "replace") if contract_bytes else "filename: target.py\n"
    contract = None
    try:
        contract = importspy.parse_contract(contract_text, "fuzz.yml")
    except importspy.ContractError:
        pass
    with open(MODULE, "wb") as out:
        out.write(source)
    try:
        engine.facts_json(MODULE, "static")
        if contract is not None:
            report = importspy.check(MODULE, contract)
            report.to_text()
            report.to_json()
    except importspy.SourceError:
        pass
    finally:
        engine.clear_caches()


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
