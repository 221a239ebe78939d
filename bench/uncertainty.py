"""A dataset's leaderboard rows, with intervals, paired tests and rank clusters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from bench.config import RunConfig
from bench.leaderboard import Row
from bench.results.schema import ArticleResult
from bench.scoring import ConfiguredMetric, corpus_scores
from bench.stats import Comparison, analyse


def dataset_table(
    dataset: str,
    systems: Sequence[tuple[str, bool, list[ArticleResult]]],
    metrics: Sequence[ConfiguredMetric],
    config: RunConfig,
) -> tuple[list[Row], list[Comparison], str | None]:
    """One row per ``(system, is_reference, results)``; with ``config.bootstrap``, uncertainty.

    The runner calls this on fresh results and ``bench leaderboard`` on stored
    ones, so both give the same table for the same run.
    """
    rows = [
        Row(
            dataset=dataset,
            system=name,
            reference=reference,
            articles=len(results),
            failed=sum(1 for r in results if r.status == "failed"),
            scores=corpus_scores(metrics, results),
        )
        for name, reference, results in systems
    ]
    if not config.bootstrap:
        return rows, [], None
    return with_uncertainty(
        rows,
        {name: results for name, _, results in systems},
        metrics,
        resamples=config.bootstrap,
        seed=config.seed,
        test=config.test,
        alpha=config.alpha,
    )


def with_uncertainty(
    rows: Sequence[Row],
    results: dict[str, list[ArticleResult]],
    metrics: Sequence[ConfiguredMetric],
    *,
    resamples: int,
    seed: int,
    test: str,
    alpha: float,
) -> tuple[list[Row], list[Comparison], str]:
    """``rows`` of one dataset with intervals and clusters, the pairwise tests, the signature.

    ``results[system]`` are the per-article results the rows were computed from;
    reference rows get intervals but are not compared or clustered.
    """
    statistics = {
        m.key: {
            system: np.array([r.statistics[m.key] for r in rs], dtype=np.float64)
            for system, rs in results.items()
        }
        for m in metrics
    }
    contestants = [r.system for r in rows if not r.reference]
    found = analyse(
        [(m.key, m.metric) for m in metrics],
        statistics,
        resamples=resamples,
        seed=seed,
        test=test,
        alpha=alpha,
        contestants=contestants,
    )
    updated = [
        replace(
            row,
            intervals={key: by_system[row.system] for key, by_system in found.intervals.items()},
            clusters={
                key: by_system[row.system]
                for key, by_system in found.clusters.items()
                if row.system in by_system
            },
        )
        for row in rows
    ]
    return updated, found.comparisons, found.signature
