"""Entity fidelity: are the clean article's people, organisations and places still there, intact?"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from metrics.base import Direction, FloatArray, Metric, Score, Statistics
from metrics.facts import fidelity
from metrics.facts.extract import FactExtractor, ReferenceFacts
from metrics.facts.match import analyse

# Leaderboard groups: GPE and LOC are one group (spaCy's small model swaps them freely).
GROUPS = ("PERSON", "ORG", "GPE", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART",
          "OTHER")  # fmt: skip
GROUP_OF = {g: g for g in GROUPS} | {"LOC": "GPE", "LANGUAGE": "OTHER"}


class Entities(fidelity.ExtractorMixin, Metric[ReferenceFacts]):
    """Entity F1 (0-1) of a paraphrase against its clean article.

    Recall: share of the clean article's named entities preserved or
    normalized. Precision: share of the paraphrase's capitalised names that the
    clean article supports. Details give both, the status counts (mangled,
    dropped, ...) and recall per entity type.
    """

    name: ClassVar[str] = "entities"
    direction: ClassVar[Direction] = Direction.HIGHER
    perfect: ClassVar[float] = 1.0
    description: ClassVar[str] = (
        "Entity F1: names kept intact (recall) and names not invented (precision)"
    )
    decimals: ClassVar[int] = 3
    extra_columns: ClassVar[tuple[tuple[str, str], ...]] = (
        ("recall", "Ent R"),
        ("precision", "Ent P"),
        ("mangled", "Ent mangled"),
        ("dropped", "Ent dropped"),
    )

    def __init__(self, *, extractor: FactExtractor | None = None) -> None:
        self._extractor = extractor

    @property
    def statistic_names(self) -> tuple[str, ...]:
        return fidelity.statistic_names(GROUPS)

    @property
    def signature(self) -> str:
        return fidelity.signature(self.extractor)

    def statistics(self, hypothesis: str, reference: ReferenceFacts) -> Statistics:
        result = analyse(reference, hypothesis)
        return fidelity.count(
            result.entities, GROUP_OF, GROUPS, result.names_found, len(result.invented_names)
        )

    def diagnose(self, hypothesis: str, reference: ReferenceFacts) -> dict[str, Any]:
        result = analyse(reference, hypothesis)
        return {
            "facts": [fidelity.outcome_json(o) for o in result.entities],
            "invented": [
                {"text": i.text, "at": i.at, "resembles": i.resembles}
                for i in result.invented_names
            ],
        }

    def score_from_statistics(self, statistics: Sequence[float]) -> Score:
        summary = fidelity.summarise(statistics, GROUPS)
        return Score(
            metric=self.name,
            name="Entity F1",
            score=summary["f1"],
            signature=self.signature,
            direction=self.direction,
            formatted=(
                f"Entity F1 = {summary['f1']:.3f} (R = {summary['recall']:.3f} "
                f"P = {summary['precision']:.3f}; {summary['preserved']} preserved, "
                f"{summary['normalized']} normalized, {summary['mangled']} mangled, "
                f"{summary['dropped']} dropped, {summary['invented']} invented)"
            ),
            details=summary,
        )

    def scores(self, sums: FloatArray) -> FloatArray:
        return fidelity.recall_precision_f1(sums, GROUPS)[2]


class EntityRecall(Entities):
    """Entity recall alone (0-1): the share of the clean article's entities kept intact."""

    name: ClassVar[str] = "entity_recall"
    description: ClassVar[str] = (
        "Entity recall: share of the article's names preserved or normalized"
    )
    extra_columns: ClassVar[tuple[tuple[str, str], ...]] = ()

    def score_from_statistics(self, statistics: Sequence[float]) -> Score:
        full = super().score_from_statistics(statistics)
        recall = float(full.details["recall"])
        return Score(
            metric=self.name,
            name="Entity R",
            score=recall,
            signature=self.signature,
            direction=self.direction,
            formatted=f"Entity recall = {recall:.3f}",
            details=full.details,
        )

    def scores(self, sums: FloatArray) -> FloatArray:
        return fidelity.recall_precision_f1(sums, GROUPS)[0]
