"""The versioned results schema; docs/results-schema.md documents every key.

Bump ``SCHEMA_VERSION``'s major part on any change that breaks readers, the
minor part when keys are only added.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = "1.1"


@dataclass(frozen=True)
class MetricInfo:
    key: str
    name: str
    signature: str
    direction: str
    options: dict[str, Any]
    statistics: list[str]
    decimals: int = 2
    extra_columns: list[list[str]] = field(default_factory=list)
    """``[details key, header]`` pairs shown beside the score (added in 1.1)."""


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    version: str
    sha256: str
    articles: int
    location: str
    licence: str | None


@dataclass(frozen=True)
class SystemInfo:
    dataset: str
    name: str
    type: str
    reference: bool
    spec: dict[str, Any]
    spec_hash: str


@dataclass
class RunManifest:
    run_id: str
    status: str
    started: str
    seed: int
    spinbench_version: str
    python: str
    platform: str
    packages: dict[str, str]
    git_commit: str | None
    config: dict[str, Any]
    datasets: list[DatasetInfo] = field(default_factory=list)
    systems: list[SystemInfo] = field(default_factory=list)
    metrics: list[MetricInfo] = field(default_factory=list)
    finished: str | None = None
    schema_version: str = SCHEMA_VERSION

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunManifest:
        major = str(data.get("schema_version", "0")).split(".")[0]
        if major != SCHEMA_VERSION.split(".")[0]:
            raise ValueError(
                f"results schema {data.get('schema_version')!r} is not readable by this "
                f"spinbench (schema {SCHEMA_VERSION})"
            )
        values = dict(data)
        values["datasets"] = [DatasetInfo(**d) for d in data["datasets"]]
        values["systems"] = [SystemInfo(**s) for s in data["systems"]]
        values["metrics"] = [MetricInfo(**m) for m in data["metrics"]]
        return cls(**values)


@dataclass(frozen=True)
class ArticleResult:
    """One line of scores/<dataset>/<system>.jsonl."""

    id: str
    status: str
    statistics: dict[str, list[float]]
    scores: dict[str, float]
    error: str | None = None
    diagnostics: dict[str, Any] = field(default_factory=dict)
    """Metric key -> what lies behind the statistics (each fact and its status; added in 1.1)."""

    def to_json(self) -> dict[str, Any]:
        # Not dataclasses.asdict: its deep copy of every diagnostic dominated writing
        # a run's scores (6 ms per article); the values are JSON data already.
        return {
            "id": self.id,
            "status": self.status,
            "statistics": self.statistics,
            "scores": self.scores,
            "error": self.error,
            "diagnostics": self.diagnostics,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArticleResult:
        return cls(**data)
