"""The differential fuzzer (tests/corpus/differential_fuzz.py), a short deterministic run on this interpreter.

The C++ reader (the test-only driver `importspy_read_facts`, built by scripts/test.sh in build/ or named
by IMPORTSPY_READ_FACTS) and this CPython, sandboxed, read the same inputs: the regression cases of
tests/corpus/regressions/, this interpreter's own tokenizer/grammar/coding test inputs mutated,
programs generated at the attack classes and hypothesmith's. Any divergence not listed in
tests/corpus/differential_exceptions.toml fails, printed with its shrunk reproducer.
scripts/fuzz-differential.sh runs the same for long.
"""

import os
import re
import subprocess
import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "tests" / "corpus"))
import differential_fuzz  # noqa: E402

CASES = int(os.environ.get("IMPORTSPY_DIFFFUZZ_CASES", "120"))


def read_facts_driver():
    named = os.environ.get("IMPORTSPY_READ_FACTS")
    if named:
        return named
    # build/ (scripts/bootstrap.sh), else the instrumented tree the test command builds (scripts/fuzz.sh --ctest).
    for build in ("build", "build-fuzz/cmake", "build-sanitize"):
        candidate = REPO / build / "tests" / "cpp" / "importspy_read_facts"
        if candidate.is_file() and os.access(candidate, os.X_OK) and runs_here(candidate):
            return str(candidate)
    return None


def runs_here(program) -> bool:
    """False for a driver built for another machine: the x86_64 build/ seen from an aarch64 run of the
    suite (scripts/build-aarch64.sh) cannot be started there."""
    try:
        subprocess.run([str(program)], input=b"", capture_output=True, timeout=60)
    except OSError:
        return False
    except subprocess.TimeoutExpired:
        pass
    return True


@pytest.fixture(scope="module")
def driver():
    found = read_facts_driver()
    if not found:
        pytest.skip("no reader driver: build build/ (scripts/bootstrap.sh) or set IMPORTSPY_READ_FACTS")
    return found


def test_exceptions_file_names_a_class_and_a_reason_for_each_entry():
    entries = differential_fuzz.load_exceptions()
    assert entries, "tests/corpus/differential_exceptions.toml lists no exception"
    for entry in entries:
        assert entry.get("id") and entry.get("class") and entry.get("why"), f"exception without id, class or why: {entry}"
        classes = entry["class"] if isinstance(entry["class"], list) else [entry["class"]]
        for name in classes:
            assert name == "*" or name in differential_fuzz.CLASSES, f"unknown class {name!r} in {entry['id']}"


def test_every_regression_case_is_valid_python_for_this_interpreter():
    # A case of one CPython's quirk says so on its first line: `# only on CPython 3.10, 3.11: ...`.
    this = "%d.%d" % sys.version_info[:2]
    for origin, data in differential_fuzz.regression_inputs():
        only = re.match(rb"# only on CPython ([0-9., ]+):", data)
        if only and this not in only.group(1).decode().replace(" ", "").split(","):
            continue
        compile(data, origin, "exec")


def test_reader_and_cpython_agree_on_a_short_deterministic_run(driver, tmp_path):
    fuzzer = differential_fuzz.fuzz(driver, cases=CASES, seed=21, findings=str(tmp_path / "findings"), quiet=True)
    print(fuzzer.summary())
    assert fuzzer.counts.get("compared", 0) > CASES // 3, f"too few inputs compared: {fuzzer.summary()}"
    report = [f"{d[0]} at {d[1]!r} ({origin}): reader {d[2]!r}, CPython {d[3]!r}\n  reproducer: {data!r}" for d, origin, data in fuzzer.new]
    assert not report, "divergences not in differential_exceptions.toml:\n" + "\n".join(report)


def test_a_driver_that_cannot_start_here_is_not_used(tmp_path):
    foreign = tmp_path / "importspy_read_facts"
    foreign.write_bytes(b"\x7fELF")  # no program the kernel (or an emulator registered with it) can start
    foreign.chmod(0o755)
    assert not runs_here(foreign)
