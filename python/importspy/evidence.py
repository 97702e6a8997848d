"""Evidence providers for ImportSpy 0.5 policies (docs/policies-0.5.md, "Evidence providers").

A provider is selected by name with ``importspy check SUBJECT -s policy.yml --provider NAME``, which loads
exactly that entry point of the group ``importspy.evidence_providers`` (never every installed one). It is
an object with ``name`` (a non-empty string), ``requires_network`` (a bool) and
``collect(context, dependencies)``, which yields :class:`Evidence`. The engine calls it once the
subject's imports are resolved, before any rule is evaluated; what it yields can satisfy the policy's
``evidence_requirements``. A provider that raises is recorded as unavailable, without its message
(which could hold a URL or a token).

The data handed to providers are plain records with the attribute names ImportSpy 0.5's providers read,
so a provider written for 0.5 runs unchanged as long as it yields objects with ``kind`` and ``subject``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Iterable, Iterator, cast

from . import _engine


@dataclasses.dataclass(frozen=True)
class Evidence:
    kind: str
    subject: str
    observed: Any = None
    expected: Any = None
    provider: str = "importspy"
    phase: str = "external"  # static, runtime or external
    status: str = "observed"  # verified, observed, unknown or unavailable
    detail: str | None = None


@dataclasses.dataclass(frozen=True)
class ImportReference:
    name: str
    line: int = 1
    column: int = 1
    level: int = 0
    optional: bool = False


@dataclasses.dataclass(frozen=True)
class Origin:
    type: str = "unknown"  # unknown, index, vcs, local, archive
    url: str | None = None
    repository: str | None = None
    commit: str | None = None
    editable: bool | None = None
    hashes: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Distribution:
    name: str
    version: str | None = None
    declared: bool | None = None
    origin: Origin = dataclasses.field(default_factory=Origin)


@dataclasses.dataclass(frozen=True)
class Dependency:
    reference: ImportReference
    kind: str  # stdlib, internal, external, namespace, direct, unresolved
    distributions: tuple[Distribution, ...] = ()
    declared: bool | None = None
    detail: str | None = None


@dataclasses.dataclass(frozen=True)
class AdmissionContext:
    subject: Path
    project_root: Path
    environment: dict[str, str] = dataclasses.field(default_factory=dict)
    network_allowed: bool = False


def _dependencies(documents: list[dict[str, Any]]) -> list[Dependency]:
    """The decision document's `dependencies` (the engine's JSON) as records for providers."""
    return [
        Dependency(
            reference=ImportReference(**item["reference"]),
            kind=item["kind"],
            distributions=tuple(
                Distribution(name=d["name"], version=d.get("version"), declared=d.get("declared"), origin=Origin(**d.get("origin", {})))
                for d in item.get("distributions", [])
            ),
            declared=item.get("declared"),
            detail=item.get("detail"),
        )
        for item in documents
    ]


class RecordProvider:
    """``--provider record``: every installed file of each distribution the subject imports is compared
    with the sha256 its RECORD lists (works offline; ImportSpy 0.5 has no such provider).

    Yields one ``distribution.record`` evidence per distribution: ``verified`` when every file listed with
    a hash is present and identical, ``observed`` otherwise (``detail`` names what differs). Require it
    with ``evidence_requirements: [{kind: distribution.record, subject: <distribution>}]``.
    """

    name = "record"
    requires_network = False

    def collect(self, context: AdmissionContext, dependencies: Iterable[Dependency]) -> Iterator[Evidence]:
        seen: set[str] = set()
        for dependency in dependencies:
            for distribution in dependency.distributions:
                if distribution.name in seen:
                    continue
                seen.add(distribution.name)
                yield Evidence(**cast("dict[str, Any]", _engine.record_evidence(distribution.name)))
