"""What became of a fact: the outcome of one clean-article fact in a paraphrase, and a
name or amount the paraphrase invented."""

from __future__ import annotations

from typing import NamedTuple

from metrics.facts.extract import Fact

STATUSES = ("preserved", "normalized", "mangled", "dropped")


class Outcome(NamedTuple):
    """What happened to one reference fact.

    (Outcomes, inventions and quantities are named tuples: immutable, and built at a
    third of a frozen dataclass's cost, which a paraphrase pays a hundred times.)"""

    fact: Fact
    status: str
    found: str | None = None
    """The paraphrase's text that matched or nearly matched."""
    at: int | None = None
    """Its character offset in the paraphrase."""
    similarity: float | None = None


class Invented(NamedTuple):
    """A name or amount in the paraphrase that the clean article does not support."""

    text: str
    at: int
    label: str
    resembles: str | None = None
    """The reference fact it is a near miss of, if any."""
