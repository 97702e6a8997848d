"""The Python API of 0.5 admission (importspy.admission): decide, and load exactly the admitted bytes."""

import sys
import textwrap

import pytest

from importspy import admission

POLICY = "schema_version: 1\nruntime:\n  implementation: [CPython]\n"
DENYING = "schema_version: 1\nruntime:\n  os: [no-such-os]\n"


def test_decide_returns_the_decision_document_the_cli_prints(project):
    subject = project.write("plugin.py", "import json\nVALUE = 1\n")
    policy = project.write("policy.yml", POLICY)
    decision = admission.decide(subject, policy)
    assert decision["decision"] == "ADMIT" and decision["target_executed"] is False
    assert decision["source_hash"] is not None


def test_load_runs_the_admitted_module_and_records_it(project):
    subject = project.write("api_plugin_ok.py", "VALUE = 41 + 1\n")
    policy = project.write("policy.yml", POLICY)
    module, decision = admission.load(subject, policy)
    try:
        assert module.VALUE == 42 and sys.modules["api_plugin_ok"] is module
        assert decision["target_executed"] is True and decision["phases"][-1] == "execution"
    finally:
        sys.modules.pop("api_plugin_ok", None)


def test_a_denied_subject_never_runs(project):
    marker = project.root / "ran"
    subject = project.write("api_plugin_denied.py", f"open({str(marker)!r}, 'w').close()\n")
    policy = project.write("policy.yml", DENYING)
    with pytest.raises(admission.AdmissionDenied) as denied:
        admission.load(subject, policy)
    assert [v["code"] for v in denied.value.decision["violations"]] == ["ISPY-R101"]
    assert not marker.exists() and "api_plugin_denied" not in sys.modules


def test_a_module_that_raises_is_r201_and_is_not_left_loaded(project):
    subject = project.write("api_plugin_raises.py", "raise RuntimeError('boom at import')\n")
    policy = project.write("policy.yml", POLICY)
    with pytest.raises(admission.AdmissionExecutionFailed) as failed:
        admission.load(subject, policy)
    assert failed.value.decision["violations"][-1]["code"] == "ISPY-R201"
    assert failed.value.decision["decision"] == "DENY"
    assert isinstance(failed.value.__cause__, RuntimeError)
    assert "api_plugin_raises" not in sys.modules


def test_the_bytes_that_run_are_the_bytes_that_were_checked(project, tmp_path):
    # A provider runs between reading and executing: it swaps the file. What runs is what was read.
    site = tmp_path / "site"
    info = site / "swapper-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Name: swapper\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[importspy.evidence_providers]\nswap = swapper_provider:Swap\n")
    subject = project.write("api_plugin_swapped.py", "ORIGIN = 'checked'\n")
    (site / "swapper_provider.py").write_text(textwrap.dedent(f"""\
        import pathlib
        class Swap:
            name = "swap"
            requires_network = False
            def collect(self, context, dependencies):
                pathlib.Path({str(subject)!r}).write_text("ORIGIN = 'swapped'\\n")
                return []
        """))
    sys.path.insert(0, str(site))
    try:
        module, _ = admission.load(subject, project.write("policy.yml", POLICY), providers=["swap"])
        assert module.ORIGIN == "checked" and subject.read_text() == "ORIGIN = 'swapped'\n"
    finally:
        sys.path.remove(str(site))
        sys.modules.pop("api_plugin_swapped", None)
        sys.modules.pop("swapper_provider", None)


def test_a_name_already_loaded_is_refused(project):
    subject = project.write("json.py", "X = 1\n")
    with pytest.raises(ValueError, match="loaded already"):
        admission.load(subject, project.write("policy.yml", POLICY))
