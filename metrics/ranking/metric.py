"""The ranking score: fidelity and divergence together, so that copying cannot win.

    fidelity   F = 3 / (1 / entity F1 + 1 / quantity F1 + 1 / meaning F1)   (0-1)
    divergence D = 1 - self-BLEU / 100                                (0-1)
                 (self-BLEU with effective order, so a copy of a short text is 100)
    ranking      = (beta + 1) / (beta / F + 1 / D), beta = 4          (0-1)

a weighted harmonic mean in the spirit of BERT-iBLEU (Niu et al., 2021),
with fact and meaning fidelity in place of BERTScore. Fidelity is itself the
harmonic mean of its three parts, so the weakest one dominates: a word salad
that keeps every name and number (entity and quantity F1 1.0) but few claims
(meaning F1 0.46) has fidelity 0.72, not the arithmetic mean's 0.82, and a
text that keeps the claims but changes the amounts is held down the same way.
beta = 4 weighs fidelity four times as much as divergence; either at 0 gives
0, so ``identity`` (D = 0) ranks at the bottom however perfect its fidelity,
and a fluent text that lost the facts ranks low however novel it is.

Its statistics are the concatenated statistics of its four parts, so it is
resampled and compared like any other metric.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from metrics.base import Direction, FloatArray, Metric, Score, Statistics
from metrics.bleu.metric import Bleu
from metrics.entities.metric import Entities
from metrics.facts.extract import FactExtractor
from metrics.meaning.metric import Meaning
from metrics.quantities.metric import Quantities

BETA = 4.0


def fidelity_of(entities: FloatArray, quantities: FloatArray, meaning: FloatArray) -> FloatArray:
    """The harmonic mean of the three fidelity scores (0 where any of them is 0)."""
    parts = np.stack([entities, quantities, meaning])
    with np.errstate(divide="ignore"):
        mean = 3 / np.sum(1 / parts, axis=0)
    return np.where(np.all(parts > 0, axis=0), mean, 0.0)


def harmonic(fidelity: float, divergence: float, beta: float = BETA) -> float:
    """The ranking score: the harmonic mean of fidelity and divergence, fidelity weighed
    ``beta`` times as much; 0 when either is 0, so no copy and no nonsense ranks high."""
    if fidelity <= 0 or divergence <= 0:
        return 0.0
    return (beta + 1) / (beta / fidelity + 1 / divergence)


class Ranking(Metric[tuple[Any, ...]]):
    """Weighted harmonic mean of fidelity and divergence (see the module docstring)."""

    name: ClassVar[str] = "ranking"
    direction: ClassVar[Direction] = Direction.HIGHER
    perfect: ClassVar[float] = 0.0  # a copy has no divergence
    decimals: ClassVar[int] = 3
    description: ClassVar[str] = (
        "Ranking: harmonic mean of fidelity (entities, quantities, meaning) and divergence (beta=4)"
    )
    extra_columns: ClassVar[tuple[tuple[str, str], ...]] = (
        ("fidelity", "fidelity"),
        ("divergence", "divergence"),
    )

    def __init__(
        self,
        *,
        beta: float = BETA,
        extractor: FactExtractor | None = None,
        meaning: Meaning | None = None,
    ) -> None:
        if beta <= 0:
            raise ValueError("ranking: beta must be positive")
        self.beta = float(beta)
        self.parts: tuple[Entities, Quantities, Meaning, Bleu] = (
            Entities(extractor=extractor),
            Quantities(extractor=extractor),
            meaning if meaning is not None else Meaning(),
            # Effective order: a copy of a text shorter than four words still scores 100.
            Bleu(effective_order=True),
        )
        self._widths = [len(p.statistic_names) for p in self.parts]

    @property
    def options(self) -> dict[str, Any]:
        return {"beta": self.beta}

    @property
    def statistic_names(self) -> tuple[str, ...]:
        return tuple(f"{p.name}.{s}" for p in self.parts for s in p.statistic_names)

    @property
    def signature(self) -> str:
        entities, _, meaning, bleu = self.parts
        facts = f"facts:[{entities.signature}]|meaning:[{meaning.signature}]"
        return f"ranking|beta:{self.beta:g}|fidelity:harmonic|{facts}|self-bleu:[{bleu.signature}]"

    def prepare_references(self, references: Sequence[str]) -> list[tuple[Any, ...]]:
        prepared = [p.prepare_references(references) for p in self.parts]
        return list(zip(*prepared, strict=True))

    def prepare_reference(self, reference: str) -> tuple[Any, ...]:
        return self.prepare_references([reference])[0]

    def statistics(self, hypothesis: str, reference: tuple[Any, ...]) -> Statistics:
        stats: Statistics = []
        parts: tuple[Metric[Any], ...] = self.parts
        for part, prepared in zip(parts, reference, strict=True):
            stats += part.statistics(hypothesis, prepared)
        return stats

    def _split(self, statistics: Sequence[float]) -> list[Sequence[float]]:
        pieces, start = [], 0
        for width in self._widths:
            pieces.append(statistics[start : start + width])
            start += width
        return pieces

    def score_from_statistics(self, statistics: Sequence[float]) -> Score:
        entity_stats, quantity_stats, meaning_stats, bleu_stats = self._split(statistics)
        entities, quantities, meaning, bleu = self.parts
        fidelity = float(
            fidelity_of(
                np.array([entities.score_from_statistics(entity_stats).score]),
                np.array([quantities.score_from_statistics(quantity_stats).score]),
                np.array([meaning.score_from_statistics(meaning_stats).score]),
            )[0]
        )
        # A copy's BLEU is 100.00000000000004 in floating point: clamp to [0, 1]. Two
        # empty texts are identical, though BLEU scores them 0.
        divergence = min(max(1 - bleu.score_from_statistics(bleu_stats).score / 100, 0.0), 1.0)
        if bleu_stats[0] == 0 and bleu_stats[1] == 0:
            divergence = 0.0
        value = harmonic(fidelity, divergence, self.beta)
        return Score(
            metric=self.name,
            name="Ranking",
            score=value,
            signature=self.signature,
            direction=self.direction,
            formatted=(
                f"Ranking = {value:.3f} (fidelity = {fidelity:.3f}, divergence = {divergence:.3f},"
                f" beta = {self.beta:g})"
            ),
            details={"fidelity": fidelity, "divergence": divergence},
        )

    def scores(self, sums: FloatArray) -> FloatArray:
        ends = np.cumsum(self._widths)
        entity_sums, quantity_sums, meaning_sums, bleu_sums = np.split(sums, ends[:-1], axis=1)
        entities, quantities, meaning, bleu = self.parts
        fidelity = fidelity_of(
            entities.scores(entity_sums),
            quantities.scores(quantity_sums),
            meaning.scores(meaning_sums),
        )
        divergence = np.clip(1 - bleu.scores(bleu_sums) / 100, 0.0, 1.0)
        divergence = np.where((bleu_sums[:, 0] == 0) & (bleu_sums[:, 1] == 0), 0.0, divergence)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = (self.beta + 1) / (self.beta / fidelity + 1 / divergence)
        return np.where((fidelity > 0) & (divergence > 0), value, 0.0)
