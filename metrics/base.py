"""The metric contract shared by every metric module.

A metric turns one (hypothesis, reference) article pair into *sufficient
statistics*: a fixed-length vector of plain numbers whose column-wise sum over
any set of articles is enough to compute the corpus score of that set. This is
what makes re-rendering a stored run, bootstrap resampling and paired tests
cheap: they add up rows of a statistics matrix and never re-tokenise text.

Reference-side work (tokenising, counting n-grams) is split out into
:meth:`Metric.prepare_reference`, so it is done once per article however many
systems are scored against that article.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

Statistics = list[float]
"""One article's sufficient statistics; integer counts stay ``int`` so sums are exact."""

RefInfo = TypeVar("RefInfo")


class Direction(enum.StrEnum):
    """Which way is better for a metric's score."""

    HIGHER = "higher"
    LOWER = "lower"
    NEUTRAL = "neutral"
    """A description, not a quality: divergence from the clean article is wanted only
    together with fidelity (see the ``ranking`` metric), so neither end is best."""

    @property
    def arrow(self) -> str:
        """The direction as one character for column headers: ↑ higher, ↓ lower, · neutral."""
        return {"higher": "↑", "lower": "↓", "neutral": "·"}[self.value]

    def better(self, a: float, b: float) -> bool:
        """True when score ``a`` is strictly better than score ``b``."""
        if self is Direction.NEUTRAL:
            return False
        return a > b if self is Direction.HIGHER else a < b


@dataclass(frozen=True)
class Score:
    """A corpus (or single-article) score computed from summed statistics.

    ``formatted`` is the metric's conventional one-line rendering (for the
    sacrebleu metrics: exactly what sacrebleu prints), and ``details`` carries
    the named by-products of the computation (precisions, brevity penalty, ...).
    """

    metric: str
    name: str
    score: float
    signature: str
    direction: Direction
    formatted: str
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The score as plain data, as stored in results files and printed by ``--format json``."""
        return {
            "metric": self.metric,
            "name": self.name,
            "score": self.score,
            "signature": self.signature,
            "direction": self.direction.value,
            "formatted": self.formatted,
            "details": dict(self.details),
        }


def sum_statistics(rows: Iterable[Sequence[float]], width: int) -> Statistics:
    """Column-wise sum of statistics rows, keeping integer columns integral."""
    total: Statistics = [0] * width
    for row in rows:
        if len(row) != width:
            raise ValueError(f"statistics row has {len(row)} columns, expected {width}")
        for i, value in enumerate(row):
            total[i] += value
    return total


class Metric(ABC, Generic[RefInfo]):
    """A fidelity metric over sufficient statistics.

    Subclasses declare ``name`` (the registry key), ``direction`` and
    ``statistic_names`` (the column labels of a statistics row), and implement
    the three abstract methods. Instances are immutable configurations: the
    same instance can score any number of systems and articles.
    """

    name: ClassVar[str]
    direction: ClassVar[Direction]
    description: ClassVar[str]
    perfect: ClassVar[float] = 100.0
    """The score of a paraphrase identical to its clean article."""
    decimals: ClassVar[int] = 2
    """Digits shown after the decimal point in tables."""
    extra_columns: ClassVar[tuple[tuple[str, str], ...]] = ()
    """``(details key, column header)`` pairs shown beside the score on leaderboards."""

    @property
    @abstractmethod
    def statistic_names(self) -> tuple[str, ...]:
        """Column labels of one statistics row, in order."""

    @property
    @abstractmethod
    def signature(self) -> str:
        """A short string pinning every setting that affects the score."""

    @property
    def options(self) -> dict[str, Any]:
        """The settings this instance was built with (recorded in run manifests)."""
        return {}

    @abstractmethod
    def prepare_reference(self, reference: str) -> RefInfo:
        """Do the reference-side work for one article (cacheable per article)."""

    def prepare_references(self, references: Sequence[str]) -> list[RefInfo]:
        """``prepare_reference`` for many articles; metrics that batch (NER) override it."""
        return [self.prepare_reference(r) for r in references]

    def diagnose(self, hypothesis: str, reference: RefInfo) -> Any:
        """Per-article diagnostics behind the statistics (JSON-serialisable), or None."""
        return None

    @abstractmethod
    def statistics(self, hypothesis: str, reference: RefInfo) -> Statistics:
        """Sufficient statistics of one hypothesis against a prepared reference."""

    @abstractmethod
    def score_from_statistics(self, statistics: Sequence[float]) -> Score:
        """Corpus score from column-wise summed statistics."""

    def scores(self, sums: FloatArray) -> FloatArray:
        """The score of each row of summed statistics (one row per bootstrap resample).

        Metrics override this with array arithmetic where a loop over
        ``score_from_statistics`` would dominate resampling time; the results
        equal the loop's to floating-point rounding.
        """
        return np.array([self.score_from_statistics(row.tolist()).score for row in sums])

    def sum(self, rows: Iterable[Sequence[float]]) -> Statistics:
        """The column-wise sum of articles' statistics rows: what a corpus score is
        computed from (``score_from_statistics``)."""
        return sum_statistics(rows, len(self.statistic_names))

    def corpus_score(self, hypotheses: Sequence[str], references: Sequence[str]) -> Score:
        """Score parallel lists of whole articles (one article, one segment)."""
        if len(hypotheses) != len(references):
            raise ValueError(f"{len(hypotheses)} hypotheses but {len(references)} references")
        prepared = self.prepare_references(references)
        rows = (self.statistics(hyp, ref) for hyp, ref in zip(hypotheses, prepared, strict=True))
        return self.score_from_statistics(self.sum(rows))
