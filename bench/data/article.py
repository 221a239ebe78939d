"""The unit of a benchmark: one clean news article."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    """A clean article: the paraphraser's input and the reference it is scored against."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
