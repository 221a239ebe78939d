"""Putting intervals, paired tests and rank clusters on a dataset's leaderboard rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from bench.leaderboard import Row
from bench.results.schema import ArticleResult
from bench.scoring import ConfiguredMetric
from bench.stats import Comparison, analyse


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
