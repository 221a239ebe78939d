"""Quantity fidelity: are the clean article's sums, percentages, counts and dates unchanged?"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from metrics.facts.fidelity import FactFidelity
from metrics.facts.match import Analysis, Invented, Outcome
from metrics.facts.quantities import KINDS


class Quantities(FactFidelity):
    """Quantity F1 (0-1) on normalised values: "£1.6bn" keeps "£1.6 billion"; "£1.7bn" does not.

    Recall: share of the clean article's quantities (money, percentages,
    measurements, counts, ordinals, dates, times) whose value and unit
    survive. Precision: share of the paraphrase's quantities that the clean
    article states.
    """

    name: ClassVar[str] = "quantities"
    description: ClassVar[str] = "Quantity F1: amounts, counts and dates kept at the same value"
    title: ClassVar[str] = "Quantity F1"
    groups: ClassVar[tuple[str, ...]] = KINDS
    group_of: ClassVar[dict[str, str]] = {k: k for k in KINDS}
    extra_columns: ClassVar[tuple[tuple[str, str], ...]] = (
        ("recall", "Qty R"),
        ("precision", "Qty P"),
        ("mangled", "Qty mangled"),
        ("dropped", "Qty dropped"),
    )

    def outcomes(self, analysis: Analysis) -> tuple[Sequence[Outcome], int, Sequence[Invented]]:
        return analysis.quantities, analysis.quantities_found, analysis.invented_quantities
