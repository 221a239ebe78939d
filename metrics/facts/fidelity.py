"""What the entity and quantity metrics share: counting outcomes into statistics.

Both metrics keep, per group (entity type or quantity kind), the counts
``total, preserved, normalized, mangled, dropped`` of the clean article's
facts, then ``found, invented`` for the paraphrase's own names or amounts.
Recall is (preserved + normalized) / total; precision is
(found - invented) / found; F1 their harmonic mean. An article with no facts
has recall 1 (nothing to lose); a paraphrase with no names has precision 1.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from metrics.base import Direction, FloatArray, Metric, Score, Statistics
from metrics.facts.extract import FactExtractor, ReferenceFacts
from metrics.facts.match import (
    MATCH_VERSION,
    NAME_SIMILARITY,
    STATUSES,
    Analysis,
    Invented,
    Outcome,
    analyse,
)
from metrics.text import NORMALISER_VERSION, Normalised, normalise
from metrics.version import __version__

COUNTS = ("total", *STATUSES)

_DEFAULT: FactExtractor | None = None


def default_extractor() -> FactExtractor:
    """The shared extractor: the pinned English model, with the on-disk cache."""
    global _DEFAULT
    if _DEFAULT is None:
        from metrics.facts.extract import default_cache_dir
        from metrics.facts.spacy_ner import load_english_model

        _DEFAULT = FactExtractor(load_english_model(), default_cache_dir())
    return _DEFAULT


def statistic_names(groups: Sequence[str]) -> tuple[str, ...]:
    """The statistics' column names: each group's counts ("PERSON_total",
    "PERSON_preserved", ...), then "found" and "invented"."""
    return (*(f"{g}_{c}" for g in groups for c in COUNTS), "found", "invented")


def count(
    outcomes: Sequence[Outcome],
    group_of: dict[str, str],
    groups: Sequence[str],
    found: int,
    invented: int,
) -> Statistics:
    """One article's statistics row: each fact counted in its group's ``total`` and in
    the slot of its status (a label outside ``group_of`` goes to the last group), then
    the paraphrase's ``found`` and ``invented`` counts."""
    width = len(COUNTS)
    stats: Statistics = [0] * (len(groups) * width)
    base_of: dict[str, int] = {}  # a label's first slot, worked out once per label
    for outcome in outcomes:
        label = outcome.fact.label
        base = base_of.get(label)
        if base is None:
            base = base_of[label] = groups.index(group_of.get(label, groups[-1])) * width
        stats[base] += 1
        stats[base + _STATUS_SLOT[outcome.status]] += 1
    return [*stats, found, invented]


_STATUS_SLOT = {status: 1 + i for i, status in enumerate(STATUSES)}


def summarise(statistics: Sequence[float], groups: Sequence[str]) -> dict[str, Any]:
    """Recall, precision, F1, status counts and per-group recall of summed statistics."""
    width = len(COUNTS)
    totals = [0.0] * width
    by_group: dict[str, float] = {}
    for i, group in enumerate(groups):
        row = statistics[i * width : (i + 1) * width]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        if row[0]:
            by_group[group] = (row[1] + row[2]) / row[0]
    found, invented = statistics[-2], statistics[-1]
    recall = (totals[1] + totals[2]) / totals[0] if totals[0] else 1.0
    precision = (found - invented) / found if found else 1.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return {
        "f1": f1,
        "recall": recall,
        "precision": precision,
        **{status: int(totals[1 + i]) for i, status in enumerate(STATUSES)},
        "total": int(totals[0]),
        "found": int(found),
        "invented": int(invented),
        "recall_by_type": by_group,
    }


def signature(extractor: FactExtractor) -> str:
    """What the fact metrics' scores depend on: the NER model, the matching rules and
    their similarity threshold, the text normaliser and spinbench's version."""
    return (
        f"{extractor.signature}|match:{MATCH_VERSION}|sim:{NAME_SIMILARITY:g}"
        f"|text:{NORMALISER_VERSION}|v:{__version__}"
    )


def outcome_json(outcome: Outcome, text: Normalised | None = None) -> dict[str, Any]:
    """An outcome as diagnostics show it; with ``text``, its place and words in the
    paraphrase as given rather than as normalised."""
    at, found = outcome.at, outcome.found
    if text is not None and at is not None and found is not None:
        at, found = text.at(at, len(found))
    return {
        "fact": outcome.fact.text,
        "type": outcome.fact.label,
        "status": outcome.status,
        "found": found,
        "at": at,
        "similarity": outcome.similarity,
        "mentions": outcome.fact.mentions,
        **({"value": outcome.fact.key} if outcome.fact.kind == "quantity" else {}),
    }


def invented_json(invented: Invented, text: Normalised) -> dict[str, Any]:
    """An invented name or amount, at its place and in its words in the text given."""
    at, found = text.at(invented.at, len(invented.text))
    return {"text": found, "at": at, "kind": invented.label, "resembles": invented.resembles}


class FactFidelity(Metric[ReferenceFacts]):
    """F1 (0-1) over one kind of fact: the common body of ``entities`` and ``quantities``.

    Subclasses name the fact groups (entity types or quantity kinds) and pick
    their outcomes and inventions out of the shared analysis of a paraphrase.
    """

    direction: ClassVar[Direction] = Direction.HIGHER
    perfect: ClassVar[float] = 1.0
    decimals: ClassVar[int] = 3
    groups: ClassVar[tuple[str, ...]]
    group_of: ClassVar[dict[str, str]]
    title: ClassVar[str]
    """Display name of the score, e.g. "Entity F1"."""

    def __init__(self, *, extractor: FactExtractor | None = None) -> None:
        self._extractor = extractor

    @property
    def extractor(self) -> FactExtractor:
        """The fact extractor given, or the shared default one, loaded on first use (so a
        metric can be built, and its options checked, without loading spaCy)."""
        if self._extractor is None:
            self._extractor = default_extractor()
        return self._extractor

    # Both texts are read as a reader sees them (metrics.text): a copy that differs only
    # in invisible characters keeps every fact; diagnostics point into the text given.
    def prepare_reference(self, reference: str) -> ReferenceFacts:
        return self.extractor.extract([normalise(reference).text])[0]

    def prepare_references(self, references: Sequence[str]) -> list[ReferenceFacts]:
        return self.extractor.extract([normalise(r).text for r in references])

    @property
    def statistic_names(self) -> tuple[str, ...]:
        return statistic_names(self.groups)

    @property
    def signature(self) -> str:
        return signature(self.extractor)

    @abstractmethod
    def outcomes(self, analysis: Analysis) -> tuple[Sequence[Outcome], int, Sequence[Invented]]:
        """This metric's facts, how many of its kind the paraphrase holds, and the invented."""

    def statistics(self, hypothesis: str, reference: ReferenceFacts) -> Statistics:
        facts, found, invented = self.outcomes(analyse(reference, normalise(hypothesis).text))
        return count(facts, self.group_of, self.groups, found, len(invented))

    def diagnose(self, hypothesis: str, reference: ReferenceFacts) -> dict[str, Any]:
        text = normalise(hypothesis)
        facts, _, invented = self.outcomes(analyse(reference, text.text))
        return {
            "facts": [outcome_json(o, text) for o in facts],
            "invented": [invented_json(i, text) for i in invented],
        }

    def score_from_statistics(self, statistics: Sequence[float]) -> Score:
        summary = summarise(statistics, self.groups)
        return Score(
            metric=self.name,
            name=self.title,
            score=summary["f1"],
            signature=self.signature,
            direction=self.direction,
            formatted=(
                f"{self.title} = {summary['f1']:.3f} (R = {summary['recall']:.3f} "
                f"P = {summary['precision']:.3f}; {summary['preserved']} preserved, "
                f"{summary['normalized']} normalized, {summary['mangled']} mangled, "
                f"{summary['dropped']} dropped, {summary['invented']} invented)"
            ),
            details=summary,
        )

    def scores(self, sums: FloatArray) -> FloatArray:
        return recall_precision_f1(sums, self.groups)[2]


def recall_precision_f1(sums: FloatArray, groups: Sequence[str]) -> tuple[FloatArray, ...]:
    """``summarise``'s recall, precision and F1 for many rows of summed statistics."""
    width = len(COUNTS)
    blocks = sums[:, : len(groups) * width].reshape(len(sums), len(groups), width).sum(axis=1)
    total, kept = blocks[:, 0], blocks[:, 1] + blocks[:, 2]
    found, invented = sums[:, -2], sums[:, -1]
    with np.errstate(divide="ignore", invalid="ignore"):
        recall = np.where(total > 0, kept / total, 1.0)
        precision = np.where(found > 0, (found - invented) / found, 1.0)
        f1 = np.where(recall + precision > 0, 2 * recall * precision / (recall + precision), 0.0)
    return recall, precision, f1
