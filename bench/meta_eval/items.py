"""What every input format is read into: judged items, and what was left out and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum


class Judgment(StrEnum):
    """What the people gave each item."""

    SCORE = "score"
    """A number, higher = better (MQM: 0 for no error, more negative for worse)."""
    LABEL = "label"
    """1 = faithful (consistent with the clean text), 0 = not."""


@dataclass(frozen=True)
class JudgedItem:
    """One paraphrase of one clean text, with the people's judgment of it."""

    id: str
    clean: str
    paraphrase: str
    judgment: float
    system: str | None = None
    """Who produced the paraphrase, for system-level figures (MQM: the MT system)."""
    group: str | None = None
    """Items sharing a source (MQM: one segment): resampled together, never apart."""
    types: tuple[str, ...] = ()
    """Kinds of edit or error in the item, for break-downs."""


@dataclass
class JudgedSet:
    """One data set of judged items, read from one or more files of one format."""

    name: str
    format: str
    """``jsonl``, ``summedits`` or ``mqm``."""
    kind: Judgment
    items: list[JudgedItem]
    left_out: Counter[str] = field(default_factory=Counter)
    """Reason -> count of the records that are not items (no text, no judgment, a copy)."""
    notes: list[str] = field(default_factory=list)
    """How the format was mapped, in plain sentences, shown with the results."""
    sources: list[str] = field(default_factory=list)

    def faithful(self) -> list[bool]:
        """Per item, judged faithful: label 1, or the best score of the set (MQM: 0, no error)."""
        if self.kind is Judgment.LABEL:
            return [item.judgment == 1 for item in self.items]
        best = max((item.judgment for item in self.items), default=0.0)
        return [item.judgment == best for item in self.items]
