"""Agreement between a metric and people: the measures, and their bootstrap resamples.

Every measure is written so that one bootstrap resample costs a few matrix
products: a resample is a vector of *group* multiplicities (a group is what
is resampled as a whole: an MQM segment with all its systems, or one item),
and each measure is computed from weighted sums over groups.

- Kendall tau-b over all items (no grouping, as WMT's segment-level
  "no grouping" tau): ``(C - D) / sqrt((C + D + Tx)(C + D + Ty))``, with C and
  D the concordant and discordant pairs, Tx the pairs tied only on the
  metric, Ty those tied only on the people's side. Pairs tied on both sides
  count nowhere.
- Pairwise accuracy with ties (Deutsch et al. 2023, without tie calibration):
  the share of all pairs on which metric and people agree, a tie on both
  sides being an agreement: ``(C + Txy) / (C + D + Tx + Ty + Txy)``.
- ROC AUC: the chance that a random positive item outscores a random
  negative one, ties counting 1/2 (the Mann-Whitney statistic).
- Pearson's r (system level).

Pair counts under resampling are quadratic forms: with ``M[s, t]`` the
concordant (ordered) item pairs between groups s and t and ``w`` the group
multiplicities, a resample has ``w M w / 2`` concordant pairs. Two copies of
one item are tied on both sides, so they change no measure but accuracy's
tie count, and they are left out of it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

PAIR_KINDS = ("concordant", "discordant", "ties_x", "ties_y", "ties_both")


def tau_b(
    c: FloatArray, d: FloatArray, tx: FloatArray, ty: FloatArray, txy: FloatArray
) -> FloatArray:
    """Kendall tau-b from pair counts (arrays: one value per resample); NaN when undefined."""
    del txy  # pairs tied on both sides enter neither factor
    denominator = np.sqrt((c + d + tx) * (c + d + ty))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, (c - d) / denominator, np.nan)


def pairwise_accuracy(
    c: FloatArray, d: FloatArray, tx: FloatArray, ty: FloatArray, txy: FloatArray
) -> FloatArray:
    """Share of pairs ordered alike, a tie on both sides counting as alike; NaN without pairs."""
    total = c + d + tx + ty + txy
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, (c + txy) / total, np.nan)


MAX_PAIR_GROUPS = 3000
"""Above this many groups the G x G pair matrices are not kept: point estimates only."""


class GroupedPairs:
    """Pair counts between every two groups, for resampling pair measures by group.

    ``x`` is the metric's score, ``y`` the people's, ``group`` each item's
    group index (0..G-1). Five G x G matrices are kept when G is at most
    ``MAX_PAIR_GROUPS``; above that only the totals (no resampling).
    """

    def __init__(self, x: FloatArray, y: FloatArray, group: IntArray, groups: int) -> None:
        order = np.argsort(group, kind="stable")
        xs, ys, gs = x[order], y[order], group[order]
        sizes = np.bincount(gs, minlength=groups)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        present = np.flatnonzero(sizes > 0)
        self.resamplable = groups <= MAX_PAIR_GROUPS
        self.matrices = np.zeros((len(PAIR_KINDS), groups, groups) if self.resamplable else (0,))
        self.totals = np.zeros(len(PAIR_KINDS))
        self.diagonal = np.zeros((len(PAIR_KINDS), groups))
        """Pairs within each group (ordered, as the matrices' diagonals)."""
        for s in present:
            rows = slice(starts[s], starts[s] + sizes[s])
            sx = np.sign(xs[rows, None] - xs[None, :])
            sy = np.sign(ys[rows, None] - ys[None, :])
            product = sx * sy
            tx, ty = sx == 0, sy == 0
            kinds = (product > 0, product < 0, tx & ~ty, ty & ~tx, tx & ty)
            for k, mask in enumerate(kinds):
                per_item = mask.sum(axis=0, dtype=np.float64)
                per_group = np.bincount(gs, weights=per_item, minlength=groups)[present]
                if self.resamplable:
                    self.matrices[k, s, present] = per_group
                self.totals[k] += per_group.sum()
                self.diagonal[k, s] = per_group[np.searchsorted(present, s)]
        self.totals[4] -= len(x)  # each item paired with itself
        self.diagonal[4] -= sizes
        self.totals /= 2  # ordered pairs -> unordered
        if self.resamplable:
            self.matrices[4][np.diag_indices(groups)] -= sizes

    def counts(self, weights: FloatArray) -> tuple[FloatArray, ...]:
        """Pair counts (each an array over rows) for group multiplicities (rows x G).

        Only the first row (the observed data) when the matrices were not kept.
        """
        if not self.resamplable:
            return tuple(np.array([t]) for t in self.totals)
        return tuple(0.5 * np.sum((weights @ m) * weights, axis=1) for m in self.matrices)

    def within(self, weights: FloatArray) -> tuple[FloatArray, ...]:
        """Pair counts of items of the same group only (WMT's "group by item").

        A group drawn twice counts its pairs twice; its two copies are not
        paired with each other.
        """
        return tuple(0.5 * (weights @ d) for d in self.diagonal)


def roc_auc(scores: FloatArray, positive: npt.NDArray[np.bool_], weights: FloatArray) -> FloatArray:
    """AUC of ``scores`` separating positives from negatives, one value per column of ``weights``.

    ``weights`` (n items x R) are item multiplicities, one column per
    resample; a positive outscoring a negative counts 1, a tie 1/2. NaN where
    a resample lacks either class.
    """
    return roc_aucs(scores, positive, [~positive], weights)[0]


def roc_aucs(
    scores: FloatArray,
    positive: npt.NDArray[np.bool_],
    negatives: Sequence[npt.NDArray[np.bool_]],
    weights: FloatArray,
) -> list[FloatArray]:
    """:func:`roc_auc` of the positives against each set of negatives, sharing the work.

    Each negative j earns the positives the weight of those above it plus
    half of those tied with it: ``P - (P(<= x_j) + P(< x_j)) / 2``, read off
    the cumulative weights of the positives in score order. One pass over
    the positives serves every set of negatives (the break-down by type).
    """
    order = np.flatnonzero(positive)[np.argsort(scores[positive], kind="stable")]
    ordered = scores[order]
    cumulative = np.zeros((len(order) + 1, weights.shape[1]))
    np.cumsum(weights[order], axis=0, out=cumulative[1:])
    total = cumulative[-1]
    found = []
    for negative in negatives:
        x, w = scores[negative], weights[negative]
        below = cumulative[np.searchsorted(ordered, x, side="left")]
        up_to = cumulative[np.searchsorted(ordered, x, side="right")]
        wins = np.sum(w * (total - 0.5 * (below + up_to)), axis=0)
        pairs = total * w.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            found.append(np.where(pairs > 0, wins / pairs, np.nan))
    return found


def pearson(x: FloatArray, y: FloatArray) -> FloatArray:
    """Pearson's r along the last axis (one value per row); NaN when either side is constant."""
    dx = x - x.mean(axis=-1, keepdims=True)
    dy = y - y.mean(axis=-1, keepdims=True)
    denominator = np.sqrt(np.sum(dx * dx, axis=-1) * np.sum(dy * dy, axis=-1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, np.sum(dx * dy, axis=-1) / denominator, np.nan)


def system_accuracy(x: FloatArray, y: FloatArray) -> FloatArray:
    """Pairwise accuracy with ties over all pairs of systems (last axis), one value per row."""
    i, j = np.triu_indices(x.shape[-1], k=1)
    sx = np.sign(x[..., i] - x[..., j])
    sy = np.sign(y[..., i] - y[..., j])
    return np.asarray(np.mean(sx == sy, axis=-1), dtype=np.float64)


def resample_groups(groups: int, resamples: int, seed: int) -> FloatArray:
    """(1 + resamples) x groups multiplicities: the observed data (all ones), then resamples."""
    from bench.stats import resample_counts

    drawn = resample_counts(groups, resamples, seed) if resamples else np.zeros((0, groups))
    return np.vstack([np.ones((1, groups)), drawn.astype(np.float64)])


def interval(samples: FloatArray) -> tuple[float, float] | None:
    """The 2.5th and 97.5th percentiles of the resampled values (None without resamples)."""
    finite = samples[np.isfinite(samples)]
    if len(finite) == 0:
        return None
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def paired_p(observed: float, samples: FloatArray) -> float | None:
    """Two-sided bootstrap p-value of a paired difference (Efron and Tibshirani's shift).

    The resampled differences, shifted to mean 0 (the null of no
    difference), are compared with the observed one:
    ``p = (#{b: |d_b - mean(d)| >= |observed|} + 1) / (B + 1)``.
    """
    finite = samples[np.isfinite(samples)]
    if len(finite) == 0 or not np.isfinite(observed):
        return None
    exceed = int(np.sum(np.abs(finite - finite.mean()) >= abs(observed) - 1e-12))
    return (exceed + 1) / (len(finite) + 1)
