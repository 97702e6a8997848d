"""Evidence providers for 0.5 policies: `--provider NAME` loads exactly that entry point of
`importspy.evidence_providers`; the built-in offline `record` provider checks installed files against
their RECORD. Real distributions on disk, the real CLI, real entry points."""

import base64
import hashlib
import json
import textwrap
from pathlib import Path

REQUIRE_RECORD = textwrap.dedent("""\
    schema_version: 1
    evidence_requirements:
      - kind: distribution.record
        subject: demo-dist
    """)


def record_digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def install_demo(site: Path, entry_points: str = "") -> Path:
    """demo_dist 1.0 installed in `site` as pip would: files, METADATA, RECORD with each file's sha256."""
    package = site / "demo_dist"
    package.mkdir(parents=True)
    files = {"demo_dist/__init__.py": b"VALUE = 1\n", "demo_dist/core.py": b"def run():\n    return 1\n"}
    for name, data in files.items():
        (site / name).write_bytes(data)
    info = site / "demo_dist-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: demo_dist\nVersion: 1.0\n")
    (info / "top_level.txt").write_text("demo_dist\n")
    if entry_points:
        (info / "entry_points.txt").write_text(entry_points)
    rows = [f"{name},{record_digest(data)},{len(data)}" for name, data in files.items()]
    rows.append("demo_dist-1.0.dist-info/RECORD,,")
    (info / "RECORD").write_text("\n".join(rows) + "\n")
    return package


def check(project, site: Path, policy: str, *options: str):
    project.write("policy.yml", policy)
    project.write("subject.py", "import demo_dist\n")
    result = project.run("-m", "importspy", "check", "subject.py", "-s", "policy.yml", "-f", "json", *options, env={"PYTHONPATH": str(site)})
    return result.returncode, (json.loads(result.stdout) if result.stdout.strip() else None), result


def test_the_record_provider_verifies_every_installed_file(project, tmp_path):
    site = tmp_path / "site"
    install_demo(site)
    status, document, result = check(project, site, REQUIRE_RECORD, "--provider", "record")
    assert (status, document["decision"]) == (0, "ADMIT"), result.stdout + result.stderr
    [evidence] = [e for e in document["evidence"] if e["kind"] == "distribution.record"]
    assert (evidence["subject"], evidence["provider"], evidence["status"]) == ("demo-dist", "record", "verified")
    assert evidence["observed"]["files_verified"] == 2


def test_an_installed_file_edited_after_installation_denies(project, tmp_path):
    site = tmp_path / "site"
    package = install_demo(site)
    (package / "core.py").write_text("def run():\n    return 2  # patched in place\n")
    status, document, result = check(project, site, REQUIRE_RECORD, "--provider", "record")
    assert (status, [v["code"] for v in document["violations"]]) == (1, ["ISPY-P101"]), result.stdout
    [evidence] = [e for e in document["evidence"] if e["kind"] == "distribution.record"]
    assert evidence["status"] == "observed"
    assert evidence["observed"]["mismatched_files"] == ["demo_dist/core.py"]


def test_without_the_provider_the_requirement_is_unmet(project, tmp_path):
    site = tmp_path / "site"
    install_demo(site)
    status, document, _ = check(project, site, REQUIRE_RECORD)
    assert (status, [v["code"] for v in document["violations"]]) == (1, ["ISPY-P101"])


PROVIDERS = textwrap.dedent("""\
    import pathlib

    class Attesting:
        name = "attest"
        requires_network = False

        def collect(self, context, dependencies):
            for dependency in dependencies:
                for distribution in dependency.distributions:
                    yield {"kind": "distribution.provenance", "subject": distribution.name, "observed": {"by": "attest"},
                           "status": "verified", "detail": str(context.subject.name)}

    class Failing:
        name = "failing"
        requires_network = False

        def collect(self, context, dependencies):
            raise RuntimeError("token=SECRET-123 leaked in a message")

    class Online:
        name = "online"
        requires_network = True

        def collect(self, context, dependencies):
            pathlib.Path("called").write_text("yes")
            return []

    class NotAProvider:
        name = ""
    """)

ENTRY_POINTS = textwrap.dedent("""\
    [importspy.evidence_providers]
    attest = demo_providers:Attesting
    failing = demo_providers:Failing
    online = demo_providers:Online
    broken = demo_providers:NotAProvider
    """)

REQUIRE_PROVENANCE = textwrap.dedent("""\
    schema_version: 1
    dependencies:
      demo-dist:
        provenance: {required: true}
    """)


def site_with_providers(tmp_path):
    site = tmp_path / "site"
    install_demo(site, ENTRY_POINTS)
    (site / "demo_providers.py").write_text(PROVIDERS)
    return site


def test_a_third_party_provider_found_by_its_entry_point_supplies_evidence(project, tmp_path):
    site = site_with_providers(tmp_path)
    status, document, result = check(project, site, REQUIRE_PROVENANCE, "--provider", "attest")
    assert (status, document["decision"]) == (0, "ADMIT"), result.stdout + result.stderr
    [evidence] = [e for e in document["evidence"] if e["kind"] == "distribution.provenance"]
    assert (evidence["provider"], evidence["detail"], evidence["observed"]) == ("attest", "subject.py", {"by": "attest"})


def test_a_provider_that_raises_is_unavailable_and_its_message_is_not_shown(project, tmp_path):
    site = site_with_providers(tmp_path)
    status, document, result = check(project, site, REQUIRE_PROVENANCE, "--provider", "failing")
    assert status == 1
    [availability] = [e for e in document["evidence"] if e["kind"] == "provider.availability"]
    assert (availability["subject"], availability["status"]) == ("failing", "unavailable")
    assert "SECRET-123" not in result.stdout + result.stderr


def test_a_provider_that_needs_the_network_is_not_called_without_allow_network(project, tmp_path):
    site = site_with_providers(tmp_path)
    status, document, _ = check(project, site, REQUIRE_PROVENANCE, "--provider", "online")
    assert status == 1 and not (project.root / "called").exists()
    assert [e["status"] for e in document["evidence"] if e["kind"] == "provider.availability"] == ["unavailable"]
    check(project, site, REQUIRE_PROVENANCE, "--provider", "online", "--allow-network")
    assert (project.root / "called").read_text() == "yes"


def test_a_provider_without_the_protocol_or_unknown_is_a_configuration_error(project, tmp_path):
    site = site_with_providers(tmp_path)
    for name in ("broken", "nosuch"):
        status, document, _ = check(project, site, REQUIRE_PROVENANCE, "--provider", name)
        assert (status, [v["code"] for v in document["violations"]]) == (2, ["ISPY-C101"]), name
