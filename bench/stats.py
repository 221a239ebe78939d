"""Uncertainty: paired bootstrap intervals, paired significance tests, rank clusters.

Everything works on matrices of per-article sufficient statistics, never on
text: a resample is a vector of article multiplicities, and a resampled
corpus statistic is that vector times the statistics matrix. The article is
the unit (its sentences are not independent), and the *same* resamples serve
every system and every metric of a dataset, so differences are paired.

- Intervals: the 2.5th and 97.5th percentiles of the resampled scores.
- Paired bootstrap test (Koehn 2004, as sacrebleu's ``--paired-bs``): with
  observed difference d = |s_A - s_B| and resampled differences d_b, the
  p-value is (#{b: d_b - mean(d) >= d} + 1) / (B + 1). sacrebleu counts
  strictly (>), which gives two identical systems p = 1/(B + 1), "significant";
  counting ties makes that p = 1 and changes nothing else measurably.
- Approximate randomisation (optional): each article's statistics are swapped
  between the two systems with probability 1/2; p = (#{r: d_r >= d} + 1) / (R + 1).
- Holm's step-down correction over all pairs of systems, per metric.
- With fewer than two articles nothing can be resampled: every pair gets
  p = 1 and all systems share one cluster, rather than a false "significant".
- Rank clusters (as in the WMT findings): systems sorted by score; a cluster
  boundary falls between positions i and i+1 only if every system above it is
  significantly better than every system below it, so systems that are not
  significantly different always share a cluster.

Resamples come from ``numpy.random.default_rng(seed)`` as ``rng.choice(n,
(B, n))``, exactly as sacrebleu draws them, so with the same seed both tools
resample the same articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from metrics import Direction, Metric

FloatArray = npt.NDArray[np.float64]
TESTS = ("bootstrap", "ar")
MIN_ARTICLES = 2
"""Below this, every resample is the same corpus: tests report p = 1 and one cluster."""


@dataclass(frozen=True)
class Interval:
    """A 95% bootstrap interval of a score: the 2.5th and 97.5th percentiles."""

    low: float
    high: float

    @property
    def half_width(self) -> float:
        """Half the interval's width, the "±" the tables print after a score."""
        return (self.high - self.low) / 2


@dataclass(frozen=True)
class Comparison:
    """One pair of systems on one metric."""

    metric: str
    a: str
    b: str
    difference: float
    """score(a) - score(b)."""
    p: float
    p_holm: float
    significant: bool

    def to_json(self) -> dict[str, Any]:
        """The test as plain data, in leaderboard.json's ``comparisons``."""
        return {
            "metric": self.metric, "a": self.a, "b": self.b, "difference": self.difference,
            "p": self.p, "p_holm": self.p_holm, "significant": self.significant,
        }  # fmt: skip


@dataclass(frozen=True)
class Uncertainty:
    """Intervals, pairwise tests and clusters for one dataset."""

    intervals: dict[str, dict[str, Interval]]
    """metric key -> system -> interval."""
    comparisons: list[Comparison]
    clusters: dict[str, dict[str, str]]
    """metric key -> system -> its cluster's rank range, e.g. "1" or "2-3"."""
    signature: str


def resample_counts(n_articles: int, resamples: int, seed: int) -> npt.NDArray[np.int64]:
    """(resamples x n_articles) multiplicities of each article in each bootstrap resample."""
    rng = np.random.default_rng(seed)
    indices = rng.choice(n_articles, size=(resamples, n_articles), replace=True)
    counts = np.zeros((resamples, n_articles), dtype=np.int64)
    rows = np.repeat(np.arange(resamples), n_articles)
    np.add.at(counts, (rows, indices.ravel()), 1)
    return counts


def scores_of(metric: Metric[Any], sums: FloatArray) -> FloatArray:
    """The metric's score for each row of summed statistics."""
    return metric.scores(sums)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (monotone, capped at 1)."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [0.0] * len(p_values)
    running = 0.0
    m = len(p_values)
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def clusters(
    systems: Sequence[str],
    scores: dict[str, float],
    direction: Direction,
    significant: dict[frozenset[str], bool],
) -> dict[str, str]:
    """Rank clusters: a boundary only where everything above beats everything below."""
    ordered = sorted(systems, key=lambda s: -scores[s] if direction is Direction.HIGHER
                     else scores[s])  # fmt: skip
    boundaries = [0]
    for cut in range(1, len(ordered)):
        above, below = ordered[:cut], ordered[cut:]
        if all(significant[frozenset((a, b))] for a in above for b in below):
            boundaries.append(cut)
    boundaries.append(len(ordered))
    result = {}
    for start, end in pairwise(boundaries):
        label = f"{start + 1}" if end - start == 1 else f"{start + 1}-{end}"
        for system in ordered[start:end]:
            result[system] = label
    return result


def analyse(
    metrics: Sequence[tuple[str, Metric[Any]]],
    statistics: dict[str, dict[str, FloatArray]],
    *,
    resamples: int,
    seed: int,
    test: str = "bootstrap",
    alpha: float = 0.05,
    contestants: Sequence[str] | None = None,
) -> Uncertainty:
    """Intervals, all-pairs tests and clusters for one dataset.

    ``statistics[metric key][system]`` is that system's (articles x columns)
    statistics matrix; every system covers the same articles in the same order.
    Every system gets intervals; only ``contestants`` (default: all) are
    compared and clustered, so reference rows such as ``identity`` do not
    take part in the ranking.
    """
    if test not in TESTS:
        raise ValueError(f"unknown test {test!r}; choose from {', '.join(TESTS)}")
    systems = list(next(iter(statistics.values())))
    n_articles = next(iter(next(iter(statistics.values())).values())).shape[0]
    counts = resample_counts(n_articles, resamples, seed).astype(np.float64)
    rng_ar = np.random.default_rng(seed + 1)
    swaps = (rng_ar.random((resamples, n_articles)) < 0.5).astype(np.float64)

    intervals: dict[str, dict[str, Interval]] = {}
    comparisons: list[Comparison] = []
    cluster_map: dict[str, dict[str, str]] = {}
    for key, metric in metrics:
        matrices = statistics[key]
        actual = {s: metric.score_from_statistics(matrices[s].sum(axis=0).tolist()).score
                  for s in systems}  # fmt: skip
        boot = {s: scores_of(metric, counts @ matrices[s]) for s in systems}
        intervals[key] = {
            s: Interval(float(np.percentile(boot[s], 2.5)), float(np.percentile(boot[s], 97.5)))
            for s in systems
        }
        ranked = [s for s in systems if contestants is None or s in contestants]
        if metric.direction is Direction.NEUTRAL or not ranked:
            continue
        if len(ranked) == 1:
            cluster_map[key] = {ranked[0]: "1"}
            continue
        pairs = list(combinations(ranked, 2))
        raw = []
        for a, b in pairs:
            observed = abs(actual[a] - actual[b])
            if n_articles < MIN_ARTICLES:
                raw.append(1.0)  # one article cannot be resampled: no evidence either way
                continue
            if test == "bootstrap":
                sampled = np.abs(boot[a] - boot[b])
                centred = sampled - sampled.mean()
                exceed = int(np.sum(centred >= observed))
            else:
                xa, xb = matrices[a], matrices[b]
                sums_a = (1 - swaps) @ xa + swaps @ xb
                sums_b = swaps @ xa + (1 - swaps) @ xb
                shuffled = np.abs(scores_of(metric, sums_a) - scores_of(metric, sums_b))
                exceed = int(np.sum(shuffled >= observed)) if observed > 0 else resamples
            raw.append((exceed + 1) / (resamples + 1))
        adjusted = holm(raw)
        significant: dict[frozenset[str], bool] = {}
        for (a, b), p, p_adj in zip(pairs, raw, adjusted, strict=True):
            is_significant = p_adj < alpha
            significant[frozenset((a, b))] = is_significant
            comparisons.append(
                Comparison(key, a, b, actual[a] - actual[b], p, p_adj, is_significant)
            )
        cluster_map[key] = clusters(ranked, actual, metric.direction, significant)
    signature = f"test:{test}|n:{resamples}|seed:{seed}|alpha:{alpha:g}|holm|unit:article"
    return Uncertainty(intervals, comparisons, cluster_map, signature)
