"""The unit of a benchmark, one clean news article, and a dataset of them.

Plain records that every reader (bundled folders, users' files, Hugging Face)
builds and every system reads; how they are found and loaded is in ``dataset``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.data.manifest import BundledSystem


@dataclass(frozen=True)
class Article:
    """A clean article: the paraphraser's input and the reference it is scored against."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Dataset:
    """Clean articles plus what identifies them in a results manifest."""

    name: str
    version: str
    sha256: str
    articles: tuple[Article, ...]
    location: str
    licence: str | None = None
    description: str = ""
    systems: dict[str, BundledSystem] = field(default_factory=dict)

    def ids(self) -> list[str]:
        """The article ids, in the dataset's order."""
        return [a.id for a in self.articles]
