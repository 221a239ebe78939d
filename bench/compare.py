"""``bench compare``: what changed between two stored runs, per dataset, system and metric.

Only like is compared with like: a dataset whose articles changed (another
sha256) or a metric whose signature changed is reported, not compared. For
the rest, the two runs' per-article statistics form a paired sample (same
articles, same order), and the paired bootstrap of ``bench.stats`` says
whether the difference is significant.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bench.config import RunConfig
from bench.errors import BenchError
from bench.results.read import read_manifest, read_scores
from bench.scoring import build_metrics
from bench.specs import DEFAULT_SEED, MetricSpec
from bench.stats import analyse
from bench.tables import format_table
from metrics import Direction


@dataclass(frozen=True)
class Change:
    """One system's score on one metric and dataset, in the baseline run and the new one,
    with the paired test's p-value (None for a metric with no better direction: it is
    not tested)."""

    dataset: str
    system: str
    metric: str
    baseline: float
    new: float
    difference: float
    """new - baseline."""
    improved: bool | None
    """None for metrics with no better direction."""
    p: float | None
    significant: bool


@dataclass(frozen=True)
class Comparison:
    """Every change found, and notes on what could not be compared and why."""

    changes: list[Change]
    notes: list[str]


def compare_runs(baseline: Path, new: Path, *, resamples: int = 1000, seed: int = DEFAULT_SEED,
                 alpha: float = 0.05) -> Comparison:  # fmt: skip
    """Compare two stored runs from their per-article statistics, nothing re-scored.

    Only datasets, systems and metrics that both runs have, with the same articles and
    the same metric signatures, are compared; the rest become notes. Each difference
    gets a paired bootstrap test (``resamples``, ``seed``, ``alpha``).
    """
    old_manifest, new_manifest = read_manifest(baseline), read_manifest(new)
    notes: list[str] = []
    old_datasets = {d.name: d for d in old_manifest.datasets}
    old_metrics = {m.key: m for m in old_manifest.metrics}
    keys = [m.key for m in new_manifest.metrics if m.key in old_metrics]
    for info in new_manifest.metrics:
        old = old_metrics.get(info.key)
        if old is not None and old.signature != info.signature:
            notes.append(f"{info.key}: signatures differ, not compared ({old.signature} vs "
                         f"{info.signature})")  # fmt: skip
            keys.remove(info.key)
    specs = {MetricSpec(**s).key: MetricSpec(**s)
             for s in RunConfig.from_json(new_manifest.config).to_json()["metrics"]}  # fmt: skip
    metrics = build_metrics([specs[k] for k in keys])
    changes: list[Change] = []
    for dataset in new_manifest.datasets:
        before = old_datasets.get(dataset.name)
        if before is None:
            notes.append(f"dataset {dataset.name}: not in the baseline")
            continue
        if before.sha256 != dataset.sha256:
            notes.append(f"dataset {dataset.name}: its articles changed, not compared")
            continue
        old_systems = {s.name for s in old_manifest.systems if s.dataset == dataset.name}
        for system in (s for s in new_manifest.systems if s.dataset == dataset.name):
            if system.name not in old_systems:
                notes.append(f"{dataset.name}/{system.name}: not in the baseline")
                continue
            old_results = read_scores(baseline, dataset.name, system.name, old_manifest.metrics)
            new_results = read_scores(new, dataset.name, system.name, new_manifest.metrics)
            if [r.id for r in old_results] != [r.id for r in new_results]:
                raise BenchError(f"{dataset.name}/{system.name}: the runs scored other articles",
                                 path=new)  # fmt: skip
            stats = {
                m.key: {
                    "baseline": np.array([r.statistics[m.key] for r in old_results], dtype=float),
                    "new": np.array([r.statistics[m.key] for r in new_results], dtype=float),
                }
                for m in metrics
            }
            found = analyse([(m.key, m.metric) for m in metrics], stats, resamples=resamples,
                            seed=seed, alpha=alpha)  # fmt: skip
            tests = {c.metric: c for c in found.comparisons}
            for m in metrics:
                old_score = m.metric.score_from_statistics(stats[m.key]["baseline"].sum(0).tolist())
                new_score = m.metric.score_from_statistics(stats[m.key]["new"].sum(0).tolist())
                difference = new_score.score - old_score.score
                direction = m.metric.direction
                test = tests.get(m.key)
                changes.append(Change(
                    dataset=dataset.name, system=system.name, metric=m.key,
                    baseline=old_score.score, new=new_score.score, difference=difference,
                    improved=None if direction is Direction.NEUTRAL or difference == 0
                    else direction.better(new_score.score, old_score.score),
                    p=None if test is None else test.p,
                    significant=bool(test and test.significant),
                ))  # fmt: skip
    return Comparison(changes, notes)


def render_comparison(comparison: Comparison, fmt: str) -> str:
    """The comparison as JSON, or as a table with a better / worse verdict per change."""
    if fmt == "json":
        return (
            json.dumps(
                {"changes": [asdict(c) for c in comparison.changes], "notes": comparison.notes},
                indent=2,
            )
            + "\n"
        )
    head = ["dataset", "system", "metric", "baseline", "new", "change", "p", ""]
    rows = []
    for c in comparison.changes:
        verdict = "" if c.improved is None else ("better" if c.improved else "worse")
        if verdict and c.significant:
            verdict += " (significant)"
        p = "-" if c.p is None else f"{c.p:.3f}"
        rows.append([c.dataset, c.system, c.metric, f"{c.baseline:.3f}", f"{c.new:.3f}",
                     f"{c.difference:+.3f}", p, verdict])  # fmt: skip
    lines = format_table(head, rows, fmt)
    return "\n".join([*lines, *comparison.notes]) + "\n"
