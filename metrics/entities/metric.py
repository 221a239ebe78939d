"""Entity fidelity: are the clean article's people, organisations and places still there, intact?"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from metrics.base import FloatArray, Score
from metrics.facts.fidelity import FactFidelity, recall_precision_f1
from metrics.facts.match import Analysis, Invented, Outcome

# Leaderboard groups: GPE and LOC are one group (spaCy's small model swaps them freely).
GROUPS = ("PERSON", "ORG", "GPE", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART",
          "OTHER")  # fmt: skip


class Entities(FactFidelity):
    """Entity F1 (0-1) of a paraphrase against its clean article.

    Recall: share of the clean article's named entities preserved or
    normalized. Precision: share of the paraphrase's capitalised names that the
    clean article supports. Details give both, the status counts (mangled,
    dropped, ...) and recall per entity type.
    """

    name: ClassVar[str] = "entities"
    description: ClassVar[str] = (
        "Entity F1: names kept intact (recall) and names not invented (precision)"
    )
    title: ClassVar[str] = "Entity F1"
    groups: ClassVar[tuple[str, ...]] = GROUPS
    group_of: ClassVar[dict[str, str]] = {g: g for g in GROUPS} | {
        "LOC": "GPE",
        "LANGUAGE": "OTHER",
    }
    extra_columns: ClassVar[tuple[tuple[str, str], ...]] = (
        ("recall", "Ent R"),
        ("precision", "Ent P"),
        ("mangled", "Ent mangled"),
        ("dropped", "Ent dropped"),
    )

    def outcomes(self, analysis: Analysis) -> tuple[Sequence[Outcome], int, Sequence[Invented]]:
        return analysis.entities, analysis.names_found, analysis.invented_names


class EntityRecall(Entities):
    """Entity recall alone (0-1): the share of the clean article's entities kept intact."""

    name: ClassVar[str] = "entity_recall"
    description: ClassVar[str] = (
        "Entity recall: share of the article's names preserved or normalized"
    )
    title: ClassVar[str] = "Entity R"
    extra_columns: ClassVar[tuple[tuple[str, str], ...]] = ()

    def score_from_statistics(self, statistics: Sequence[float]) -> Score:
        full = super().score_from_statistics(statistics)
        recall = float(full.details["recall"])
        return Score(
            metric=self.name,
            name=self.title,
            score=recall,
            signature=self.signature,
            direction=self.direction,
            formatted=f"Entity recall = {recall:.3f}",
            details=full.details,
        )

    def scores(self, sums: FloatArray) -> FloatArray:
        return recall_precision_f1(sums, self.groups)[0]
