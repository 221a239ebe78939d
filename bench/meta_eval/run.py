"""``bench meta-eval`` as a library call: read the judged sets, score them, measure, write."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bench.config import DEFAULT_METRICS
from bench.errors import BenchError
from bench.execution import Execution, open_executor
from bench.meta_eval.evaluate import SetReport, evaluate_set
from bench.meta_eval.items import JudgedItem, JudgedSet
from bench.meta_eval.readers import read_sets
from bench.meta_eval.scoring import score_items
from bench.score_cache import ScoreCache
from bench.scoring import MetricResult, build_metrics
from bench.specs import DEFAULT_SEED, MetricSpec

DEFAULT_AGAINST = "chrf"
META_EVAL_METRICS = tuple(dict.fromkeys((*DEFAULT_METRICS, "chrf", "bleu")))
"""``bench run``'s default metrics, with chrF and BLEU as the baselines (already among them)."""


@dataclass(frozen=True)
class MetaEvalConfig:
    """What ``bench meta-eval`` was asked: the judged files, the metrics and their baseline,
    and how to resample; checked when built."""

    paths: tuple[Path, ...]
    metrics: tuple[MetricSpec, ...] = tuple(MetricSpec(m) for m in META_EVAL_METRICS)
    against: str = DEFAULT_AGAINST
    """The baseline metric every other metric is compared with (added if not listed)."""
    format_in: str | None = None
    resamples: int = 1000
    seed: int = DEFAULT_SEED
    limit: int | None = None
    """Keep only the first N groups (segments, or items) of each set: for quick checks."""
    out: Path | None = None
    execution: Execution = field(default_factory=Execution)

    def __post_init__(self) -> None:
        if not 0 <= self.resamples <= 100_000:
            raise BenchError("--bootstrap must be from 0 to 100000")
        if self.limit is not None and self.limit < 1:
            raise BenchError("--limit must be at least 1")

    def with_baseline(self) -> tuple[MetricSpec, ...]:
        """The metrics to score: those asked for, and the baseline if it is not among them."""
        keys = [s.key for s in self.metrics]
        if self.against in keys:
            return self.metrics
        return (*self.metrics, MetricSpec(self.against))


def limited(judged: JudgedSet, limit: int | None) -> JudgedSet:
    """The set cut to its first ``limit`` groups (an item without a group is its own)."""
    if limit is None:
        return judged
    kept: dict[str, None] = {}
    items: list[JudgedItem] = []
    for item in judged.items:
        unit = item.group if item.group is not None else f"\0{item.id}"
        if unit not in kept and len(kept) >= limit:
            continue
        kept[unit] = None
        items.append(item)
    note = f"cut to the first {limit} groups (--limit)"
    return replace(judged, items=items, notes=[*judged.notes, note])


def meta_evaluate(
    config: MetaEvalConfig, *, log: Callable[[str], None] = lambda _: None
) -> list[SetReport]:
    """One report per judged set (see :func:`bench.meta_eval.evaluate.evaluate_set`)."""
    specs = config.with_baseline()
    metrics = build_metrics(specs)
    sets = [limited(s, config.limit) for s in read_sets(config.paths, config.format_in)]
    cache = ScoreCache.default()
    reports = []
    try:
        with open_executor(config.execution) as executor:
            for judged in sets:
                start = time.perf_counter()
                results = score_items(
                    judged.items,
                    specs,
                    metrics,
                    label=judged.name,
                    execution=config.execution,
                    executor=executor,
                    cache=cache,
                )
                scored = time.perf_counter()
                report = evaluate_set(
                    judged,
                    metrics,
                    results,
                    against=config.against,
                    resamples=config.resamples,
                    seed=config.seed,
                )
                report.seconds = time.perf_counter() - start
                report.scoring_seconds = scored - start
                left = ", ".join(f"{n} {why}" for why, n in judged.left_out.items())
                log(
                    f"[{judged.name}] {len(judged.items)} items scored in "
                    f"{report.scoring_seconds:.1f} s, measured in "
                    f"{report.seconds - report.scoring_seconds:.1f} s"
                    + (f"; left out: {left}" if left else "")
                )
                if config.out is not None:
                    write_items(config.out / f"{judged.name}.items.jsonl", judged, results)
                reports.append(report)
    finally:
        if cache is not None:
            cache.close()
    return reports


def write_items(path: Path, judged: JudgedSet, results: list[dict[str, MetricResult]]) -> None:
    """Per-item texts, judgments, scores, statistics and diagnostics, one JSON object a line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for item, faithful, found in zip(judged.items, judged.faithful(), results, strict=True):
            record: dict[str, Any] = {
                "id": item.id,
                "system": item.system,
                "group": item.group,
                "types": list(item.types),
                "clean": item.clean,
                "paraphrase": item.paraphrase,
                "judgment": item.judgment,
                "faithful": faithful,
                "scores": {key: value[1] for key, value in found.items()},
                "statistics": {key: value[0] for key, value in found.items()},
                "diagnostics": {k: v[2] for k, v in found.items() if v[2] is not None},
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
