"""The paraphraser contract."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from bench.data.article import Article
from bench.data.dataset import Dataset
from bench.specs import SystemSpec

OUTPUT_RATIO = 10.0
"""Default longest paraphrase, as a multiple of its article's length in UTF-8 bytes
(a system's ``max_output_ratio`` option changes it)."""
OUTPUT_FLOOR = 10_000
"""However short the article, a paraphrase may have this many bytes."""


class SystemFailure(Exception):
    """A paraphraser could not produce output for one article; the run records it and goes on."""


class System(ABC):
    """A paraphraser: one clean article in, one paraphrase out.

    Subclasses set ``type_name`` and ``summary`` and take their options as
    keyword arguments; unknown options are rejected by the registry.
    """

    type_name: ClassVar[str]
    summary: ClassVar[str]
    is_reference: ClassVar[bool] = False
    """True for systems that are a ceiling, not a contestant (``identity``)."""
    cacheable: ClassVar[bool] = True
    """Outputs are cached by content across runs; cheap deterministic built-ins opt out."""
    parallel: ClassVar[bool] = False
    """CPU-bound and self-contained: with several workers, each worker builds its own
    instance from the spec (``prepare`` is not called there) and paraphrases a chunk of
    articles at a time. Output must depend only on the article, never on call order."""

    max_output_ratio: float = OUTPUT_RATIO
    """Set from the ``max_output_ratio`` option every system takes (see build_system)."""

    def __init__(self, spec: SystemSpec) -> None:
        self.spec = spec

    def output_limit(self, article: Article) -> int:
        """The most UTF-8 bytes a paraphrase of ``article`` may have: a paraphraser that
        writes more is broken, and its output would only fill the disk, twice (the run's
        journal and the output cache)."""
        return max(OUTPUT_FLOOR, int(self.max_output_ratio * len(article.text.encode("utf-8"))))

    def too_long(self, limit: int) -> str:
        """Why an output over ``limit`` bytes was refused, and how to allow more."""
        return (
            f"output longer than {limit:,} bytes (the limit is {self.max_output_ratio:g} "
            f"times the article, and at least {OUTPUT_FLOOR:,} bytes; the system option "
            "max_output_ratio changes it)"
        )

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def signature(self) -> str:
        """What the output depends on beyond the spec, such as an engine's version ("" if
        nothing): part of the output cache key, so a new version is never served old outputs."""
        return ""

    def prepare(self, dataset: Dataset) -> None:  # noqa: B027 - optional hook
        """Check the system can serve this dataset before any article runs."""

    @abstractmethod
    def paraphrase(self, article: Article) -> str:
        """The paraphrase of ``article``; raise SystemFailure when there is none."""

    def paraphrase_many(
        self, articles: Sequence[Article]
    ) -> Iterator[tuple[Article, str | SystemFailure]]:
        """Paraphrases as they complete (in any order); systems that can overlap calls do.

        Any exception but an interrupt becomes that article's failure: a buggy
        paraphraser must not end the run.
        """
        for article in articles:
            try:
                yield article, self.paraphrase(article)
            except SystemFailure as exc:
                yield article, exc
            except Exception as exc:
                yield article, SystemFailure(f"{type(exc).__name__}: {exc}")

    def describe(self) -> dict[str, Any]:
        """What goes into the run manifest: enough to rerun the system."""
        return {"name": self.name, "type": self.type_name, "options": self.spec.options}
