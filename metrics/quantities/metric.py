"""Quantity fidelity: are the clean article's sums, percentages, counts and dates unchanged?"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from metrics.base import Direction, FloatArray, Metric, Score, Statistics
from metrics.facts import fidelity
from metrics.facts.extract import FactExtractor, ReferenceFacts
from metrics.facts.match import analyse
from metrics.facts.quantities import KINDS

GROUP_OF = {k: k for k in KINDS}


class Quantities(fidelity.ExtractorMixin, Metric[ReferenceFacts]):
    """Quantity F1 (0-1) on normalised values: "£1.6bn" keeps "£1.6 billion"; "£1.7bn" does not.

    Recall: share of the clean article's quantities (money, percentages,
    measurements, counts, ordinals, dates, times) whose value and unit
    survive. Precision: share of the paraphrase's quantities that the clean
    article states.
    """

    name: ClassVar[str] = "quantities"
    direction: ClassVar[Direction] = Direction.HIGHER
    perfect: ClassVar[float] = 1.0
    description: ClassVar[str] = "Quantity F1: amounts, counts and dates kept at the same value"
    decimals: ClassVar[int] = 3
    extra_columns: ClassVar[tuple[tuple[str, str], ...]] = (
        ("recall", "Qty R"),
        ("precision", "Qty P"),
        ("mangled", "Qty mangled"),
        ("dropped", "Qty dropped"),
    )

    def __init__(self, *, extractor: FactExtractor | None = None) -> None:
        self._extractor = extractor

    @property
    def statistic_names(self) -> tuple[str, ...]:
        return fidelity.statistic_names(KINDS)

    @property
    def signature(self) -> str:
        return fidelity.signature(self.extractor)

    def statistics(self, hypothesis: str, reference: ReferenceFacts) -> Statistics:
        result = analyse(reference, hypothesis)
        return fidelity.count(
            result.quantities,
            GROUP_OF,
            KINDS,
            result.quantities_found,
            len(result.invented_quantities),
        )

    def diagnose(self, hypothesis: str, reference: ReferenceFacts) -> dict[str, Any]:
        result = analyse(reference, hypothesis)
        return {
            "facts": [{**fidelity.outcome_json(o), "value": o.fact.key} for o in result.quantities],
            "invented": [
                {"text": i.text, "at": i.at, "kind": i.label, "resembles": i.resembles}
                for i in result.invented_quantities
            ],
        }

    def score_from_statistics(self, statistics: Sequence[float]) -> Score:
        summary = fidelity.summarise(statistics, KINDS)
        return Score(
            metric=self.name,
            name="Quantity F1",
            score=summary["f1"],
            signature=self.signature,
            direction=self.direction,
            formatted=(
                f"Quantity F1 = {summary['f1']:.3f} (R = {summary['recall']:.3f} "
                f"P = {summary['precision']:.3f}; {summary['mangled']} mangled, "
                f"{summary['dropped']} dropped, {summary['invented']} invented)"
            ),
            details=summary,
        )

    def scores(self, sums: FloatArray) -> FloatArray:
        return fidelity.recall_precision_f1(sums, KINDS)[2]
