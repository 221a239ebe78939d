"""The versioned results schema; docs/results-schema.md documents every key.

The classes are plain dataclasses, so writing a run builds them at no cost;
reading one back validates each file with pydantic (``from_json``), which
checks every key's type, rejects unknown keys, and says which key is wrong. The
types are pydantic's strict ones (``StrictStr`` is a ``str``): a number written
as a string, or ``true`` for a count, is an error, as the JSON Schema says. The
same classes generate that schema, docs/results-schema.json
(``python -m bench.results.json_schema``).

Bump ``SCHEMA_VERSION``'s major part on any change that breaks readers, the
minor part when keys are only added.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pydantic import StrictBool, StrictFloat, StrictInt, StrictStr, TypeAdapter

from bench.validation import STRICT, Number, validate

SCHEMA_VERSION = "1.1"


@dataclass(frozen=True)
class MetricInfo:
    """One leaderboard column: a metric with the options it was built with."""

    __pydantic_config__ = STRICT

    key: StrictStr
    """Column key: the registry name, plus options if any, e.g. ``chrf[word_order=2]``."""
    name: StrictStr
    """The metric's registry name."""
    signature: StrictStr
    """What exactly was computed, e.g. sacrebleu's ``nrefs:1|case:mixed|...|version:2.6.0``."""
    direction: StrictStr
    """``higher`` or ``lower`` is better, or ``neutral`` (a description, not a quality)."""
    options: dict[str, Any]
    """The options it was built with."""
    statistics: list[StrictStr]
    """Names of the per-article statistics in scores files, in order."""
    decimals: StrictInt = 2
    """Digits shown in tables (added in 1.1)."""
    extra_columns: list[list[StrictStr]] = field(default_factory=list)
    """``[details key, header]`` pairs shown beside the score (added in 1.1)."""


@dataclass(frozen=True)
class DatasetInfo:
    """One dataset of the run."""

    __pydantic_config__ = STRICT

    name: StrictStr
    """The dataset's name in tables."""
    version: StrictStr
    """The dataset's version; ``file`` for a user's file."""
    sha256: StrictStr
    """Hex digest of the articles file (of a folder's file names and digests)."""
    articles: StrictInt
    """How many articles it has."""
    location: StrictStr
    """The path read."""
    licence: StrictStr | None
    """The licence its manifest states, if any."""


@dataclass(frozen=True)
class SystemInfo:
    """One (dataset, system) pair: a leaderboard row."""

    __pydantic_config__ = STRICT

    dataset: StrictStr
    """The dataset's name."""
    name: StrictStr
    """The row's name."""
    type: StrictStr
    """The system type, e.g. ``identity``, ``outputs``, ``command``."""
    reference: StrictBool
    """True for a ceiling row such as ``identity``, which is not ranked."""
    spec: dict[str, Any]
    """What is needed to rerun it."""
    spec_hash: StrictStr
    """16 hex digits of the type and options."""


@dataclass
class RunManifest:
    """``manifest.json``: what a run is, and whether it finished."""

    __pydantic_config__ = STRICT

    run_id: StrictStr
    """The folder name: ``YYYYMMDD-HHMMSS-<6 hex of the config>`` unless set."""
    status: Literal["running", "complete"]
    """``running`` while the run works, ``complete`` when every table is written."""
    started: StrictStr
    """UTC ISO-8601 time."""
    seed: StrictInt
    """The run's seed."""
    spinbench_version: StrictStr
    """Version of the harness."""
    python: StrictStr
    """Interpreter version."""
    platform: StrictStr
    """Platform string of the machine."""
    packages: dict[str, StrictStr]
    """Name -> version of spinbench and the packages its scores depend on."""
    git_commit: StrictStr | None
    """Commit of the spinbench checkout, when it is one."""
    config: dict[str, Any]
    """The resolved run configuration (``RunConfig.to_json``); resuming reruns exactly it."""
    datasets: list[DatasetInfo] = field(default_factory=list)
    """One entry per dataset."""
    systems: list[SystemInfo] = field(default_factory=list)
    """One entry per (dataset, system) pair."""
    metrics: list[MetricInfo] = field(default_factory=list)
    """One entry per metric column."""
    finished: StrictStr | None = None
    """UTC ISO-8601 time; null until complete."""
    schema_version: StrictStr = SCHEMA_VERSION
    """This schema's version: readers of 1.1 read 1.0 files."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunManifest:
        """A stored manifest, checked; ValueError saying what is wrong with it."""
        major = str(data.get("schema_version", "0")).split(".")[0]
        if major != SCHEMA_VERSION.split(".")[0]:
            raise ValueError(
                f"results schema {data.get('schema_version')!r} is not readable by this "
                f"spinbench (schema {SCHEMA_VERSION})"
            )
        return validate(_MANIFEST, data)


@dataclass(frozen=True)
class ArticleResult:
    """One line of scores/<dataset>/<system>.jsonl."""

    __pydantic_config__ = STRICT

    id: StrictStr
    """The article's id."""
    status: Literal["ok", "failed"]
    """A failed article is scored as an empty paraphrase."""
    statistics: dict[str, list[Number]]
    """Metric key -> the article's statistics, named as in the manifest's metrics."""
    scores: dict[str, StrictFloat]
    """Metric key -> the article's own score, from its statistics alone."""
    error: StrictStr | None = None
    """Why the paraphraser failed, for a failed article."""
    diagnostics: dict[str, Any] = field(default_factory=dict)
    """Metric key -> what lies behind the statistics (each fact and its status; added in 1.1)."""

    def to_json(self) -> dict[str, Any]:
        # Not dataclasses.asdict, nor pydantic's serialiser: their copies of every
        # diagnostic dominated writing a run's scores; the values are JSON data already.
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
        """A stored line, checked; ValueError saying what is wrong with it."""
        return validate(_ARTICLE, data)


_MANIFEST = TypeAdapter(RunManifest)
_ARTICLE = TypeAdapter(ArticleResult)
