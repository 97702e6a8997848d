"""The overhead guard: instructions per warm embedded path (callgrind) against committed baselines.

Runs bench/instruction_counts.py against the installed package, on the CPython versions that have baselines
in bench/instruction_baselines.json (the others skip: a count is specific to an interpreter build). A path
whose count rises more than 10 % above its baseline fails, as does a repeat importer above 1.5x a plain
cached import, a cold check (fresh interpreter) above the plain import it guards, or an unmatched import
more than 2 % dearer under the import hook; the table is printed either way.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "instruction_counts.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("instruction_counts", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = load_bench()
baselines = bench.load_baselines()

pytestmark = [
    pytest.mark.skipif(not shutil.which("valgrind"), reason="valgrind is not installed (scripts/bootstrap.sh installs it)"),
    pytest.mark.skipif(not baselines, reason=f"no instruction baselines for CPython {bench.minor_version()}"),
]


def test_no_warm_path_costs_more_than_ten_percent_above_its_baseline(capsys):
    counts = bench.measure(sorted(baselines))
    text, failed = bench.table(counts, baselines)
    with capsys.disabled():
        print("\n" + text)
    assert not failed, f"instruction counts rose more than 10 % above their baselines, or past a ratio: {', '.join(failed)}\n{text}"


def test_a_count_above_its_baseline_by_more_than_ten_percent_is_reported():
    _, failed = bench.table({"repeat_importer": 1101}, {"repeat_importer": 1000})
    assert failed == ["repeat_importer"]


def test_a_repeat_importer_above_one_and_a_half_plain_imports_is_reported():
    _, failed = bench.table({"repeat_importer": 1501, "plain_cached_import": 1000}, {"repeat_importer": 1501, "plain_cached_import": 1000})
    assert failed == ["repeat_importer/plain_cached_import"]


def test_an_unmatched_import_two_percent_dearer_under_the_hook_is_reported():
    counts = {"unmatched_import_hooked": 1030, "unmatched_import_plain": 1000}
    _, failed = bench.table(counts, counts)
    assert failed == ["unmatched_import_hooked/unmatched_import_plain"]


def test_a_count_within_ten_percent_of_its_baseline_passes():
    _, failed = bench.table({"repeat_importer": 1100, "new_importer": 500}, {"repeat_importer": 1000, "new_importer": 900})
    assert failed == []


def test_a_cold_check_dearer_than_the_plain_import_it_guards_is_reported():
    counts = {"cold_check": 1001, "cold_plain_import": 1000}
    _, failed = bench.table(counts, counts)
    assert failed == ["cold_check/cold_plain_import"]


def test_another_machine_is_never_held_to_the_x86_64_baselines(monkeypatch):
    monkeypatch.setattr(bench.platform, "machine", lambda: "aarch64")
    assert bench.minor_version().endswith("-aarch64")
    assert bench.load_baselines() == {}
    monkeypatch.setattr(bench.platform, "machine", lambda: "x86_64")
    assert bench.load_baselines() == baselines
