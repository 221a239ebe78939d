"""Divergence from the clean article: how much the paraphrase actually rewrote.

The clean article is both the paraphraser's input and the reference, so a
copy scores perfectly on every fidelity metric. These metrics say how far a
paraphrase moved away from its input; they are descriptions, not qualities
(random text diverges most), so their direction is neutral, and the
``ranking`` metric combines divergence with fidelity.

- ``pinc``: PINC (Chen & Dolan, 2011), the share of the paraphrase's word
  n-grams (n = 1..4) that are not in the clean article, averaged over n;
- ``edit_distance``: character Levenshtein distance divided by the longer
  text's length.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from rapidfuzz.distance import Levenshtein

from metrics.base import Direction, FloatArray, Metric, Score, Statistics
from metrics.ngrams import WordSequence
from metrics.version import __version__

PINC_ORDER = 4

EXACT_CHARS = 100_000
"""Levenshtein distance costs time quadratic in the length (about 37 s for two 1 MB texts);
longer texts are cut into this many characters or fewer, in proportion, and the
distances of matching pieces summed: an upper bound that keeps the cost linear."""


def _levenshtein(hypothesis: str, reference: str) -> int:
    """Exact up to EXACT_CHARS characters, piecewise (an upper bound) beyond."""
    pieces = -(-max(len(hypothesis), len(reference)) // EXACT_CHARS)
    if pieces <= 1:
        return Levenshtein.distance(hypothesis, reference)
    h, r = len(hypothesis), len(reference)
    # Never above the longest text's length, which bounds the true distance too.
    return min(
        max(h, r),
        sum(
            Levenshtein.distance(
                hypothesis[h * i // pieces : h * (i + 1) // pieces],
                reference[r * i // pieces : r * (i + 1) // pieces],
            )
            for i in range(pieces)
        ),
    )


def _ngram_sets(words: list[str], order: int) -> list[frozenset[tuple[str, ...]]]:
    return [
        frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
        for n in range(1, order + 1)
    ]


class Pinc(Metric[WordSequence]):
    """PINC: percentage of the paraphrase's distinct word n-grams absent from the clean article.

    Statistics per article, for n = 1..4: ``hyp_ngrams`` (distinct n-grams of
    the paraphrase, lowercased, whitespace-split) and ``novel`` (those not in
    the clean article). The corpus score pools articles: for each n,
    sum(novel) / sum(hyp_ngrams), then the mean over the n that occur.
    """

    name: ClassVar[str] = "pinc"
    direction: ClassVar[Direction] = Direction.NEUTRAL
    perfect: ClassVar[float] = 0.0
    description: ClassVar[str] = "PINC: share of the paraphrase's n-grams not in the clean article"

    @property
    def statistic_names(self) -> tuple[str, ...]:
        return tuple(f"{part}_{n}" for n in range(1, PINC_ORDER + 1) for part in ("hyp", "novel"))

    @property
    def signature(self) -> str:
        return f"pinc|n:1-{PINC_ORDER}|case:lc|tok:space|v:{__version__}"

    def prepare_reference(self, reference: str) -> WordSequence:
        return WordSequence.of(reference.lower().split())

    def statistics(self, hypothesis: str, reference: WordSequence) -> Statistics:
        words = hypothesis.lower().split()
        found = reference.novel(words, PINC_ORDER)
        if found is None:  # vocabularies too large to pack: compare sets of tuples
            found = [
                (len(hyp), len(hyp - ref))
                for hyp, ref in zip(
                    _ngram_sets(words, PINC_ORDER),
                    _ngram_sets(list(reference.words), PINC_ORDER),
                    strict=True,
                )
            ]
        return [count for pair in found for count in pair]

    def score_from_statistics(self, statistics: Sequence[float]) -> Score:
        shares = [
            statistics[2 * i + 1] / statistics[2 * i]
            for i in range(PINC_ORDER)
            if statistics[2 * i]
        ]
        value = 100 * sum(shares) / len(shares) if shares else 0.0
        return Score(
            metric=self.name,
            name="PINC",
            score=value,
            signature=self.signature,
            direction=self.direction,
            formatted=f"PINC = {value:.2f}",
            details={"by_order": shares},
        )

    def scores(self, sums: FloatArray) -> FloatArray:
        hyp, novel = sums[:, 0::2], sums[:, 1::2]
        valid = hyp > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = np.where(valid, novel / hyp, 0.0).sum(axis=1) / valid.sum(axis=1)
        return np.where(valid.any(axis=1), 100 * shares, 0.0)


class EditDistance(Metric[str]):
    """Normalised character edit distance (0-100): 0 for a copy, 100 for nothing in common.

    Statistics per article: ``distance`` (Levenshtein, in characters) and
    ``length`` (the longer text's length); the corpus score is
    100 * sum(distance) / sum(length).
    """

    name: ClassVar[str] = "edit_distance"
    direction: ClassVar[Direction] = Direction.NEUTRAL
    perfect: ClassVar[float] = 0.0
    description: ClassVar[str] = "Character edit distance / length of the longer text"

    @property
    def statistic_names(self) -> tuple[str, ...]:
        return ("distance", "length")

    @property
    def signature(self) -> str:
        return f"edit|unit:char|norm:max-len|exact:{EXACT_CHARS}|v:{__version__}"

    def prepare_reference(self, reference: str) -> str:
        return reference

    def statistics(self, hypothesis: str, reference: str) -> Statistics:
        return [_levenshtein(hypothesis, reference), max(len(hypothesis), len(reference))]

    def score_from_statistics(self, statistics: Sequence[float]) -> Score:
        distance, length = statistics
        value = 100 * distance / length if length else 0.0
        return Score(
            metric=self.name,
            name="Edit dist",
            score=value,
            signature=self.signature,
            direction=self.direction,
            formatted=f"Edit distance = {value:.2f} ({int(distance)} of {int(length)} characters)",
        )

    def scores(self, sums: FloatArray) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(sums[:, 1] > 0, 100 * sums[:, 0] / sums[:, 1], 0.0)
