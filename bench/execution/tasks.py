"""The work a run hands to executors: paraphrasing and scoring, a chunk of articles at a time.

Tasks are frozen dataclasses of plain data (specs, texts), so any executor
can ship them to another process or machine; the functions are module-level
so they pickle by name. A worker builds what a task names (metrics, a system)
on first use and keeps it for later tasks with the same specs: a worker
process scores many chunks but builds its metrics once.

Every result depends only on the task's own data, never on which worker ran
it or in which order, so a run gives the same numbers whatever the executor
and however many workers it has.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bench.data.article import Article
from bench.scoring import ConfiguredMetric, MetricResult, build_metrics, measure
from bench.specs import MetricSpec, SystemSpec
from bench.systems import System, SystemFailure, build_system


@dataclass(frozen=True)
class ScoreItem:
    """One system's paraphrase of one article, and the metrics it still needs."""

    article: int
    """Index into the task's ``references``."""
    system: str
    hypothesis: str
    metrics: tuple[str, ...]


@dataclass(frozen=True)
class ScoreTask:
    """A chunk of articles: their clean texts and every paraphrase of them still to score."""

    metrics: tuple[MetricSpec, ...]
    references: tuple[str, ...]
    items: tuple[ScoreItem, ...]


@dataclass(frozen=True)
class ParaphraseTask:
    """A chunk of articles for one system to paraphrase in a worker (which builds the
    system from its spec once, and keeps it for the next chunk)."""

    system: SystemSpec
    articles: tuple[Article, ...]


_metrics: dict[str, dict[str, ConfiguredMetric]] = {}
_systems: dict[str, System] = {}


def _metrics_for(specs: Sequence[MetricSpec]) -> dict[str, ConfiguredMetric]:
    key = json.dumps([asdict(s) for s in specs], sort_keys=True, default=str)
    if key not in _metrics:
        _metrics[key] = {m.key: m for m in build_metrics(specs)}
    return _metrics[key]


def score_chunk(task: ScoreTask) -> list[dict[str, MetricResult]]:
    """For each item, ``{metric key: (statistics, score, diagnostics)}`` of the metrics it needs.

    Each reference is prepared once per metric (in one batch, so NER runs
    batched) however many systems the chunk scores against it.
    """
    metrics = _metrics_for(task.metrics)
    needed: dict[str, dict[int, None]] = {}  # metric key -> articles, in order, once each
    for item in task.items:
        for key in item.metrics:
            needed.setdefault(key, {})[item.article] = None
    prepared: dict[tuple[str, int], Any] = {}
    for key, articles in needed.items():
        refs = metrics[key].metric.prepare_references([task.references[i] for i in articles])
        prepared |= {(key, i): ref for i, ref in zip(articles, refs, strict=True)}
    return [
        {
            key: measure(metrics[key].metric, item.hypothesis, prepared[key, item.article])
            for key in item.metrics
        }
        for item in task.items
    ]


def paraphrase_chunk(task: ParaphraseTask) -> list[tuple[str, str | None, str | None]]:
    """Per article, in order: ``(id, paraphrase, None)`` or ``(id, None, reason)``."""
    spec = task.system
    if spec.spec_hash not in _systems:
        _systems[spec.spec_hash] = build_system(spec)
    outcomes: dict[str, str | SystemFailure] = {
        article.id: outcome
        for article, outcome in _systems[spec.spec_hash].paraphrase_many(task.articles)
    }
    return [
        (a.id, None, str(o)) if isinstance(o := outcomes[a.id], SystemFailure) else (a.id, o, None)
        for a in task.articles
    ]
