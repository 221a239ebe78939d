"""spinbench's metric modules.

Each metric lives in its own folder, ``metrics/<name>/``, holding:

- ``metric.py``: the metric class (sufficient statistics per article, corpus
  score from summed statistics, signature);
- ``<name>.py``: the same metric as a Hugging Face ``evaluate`` module, loadable
  offline with ``evaluate.load("metrics/<name>")``;
- ``README.md``: the metric card.

``CATALOGUE`` maps every registry name to a factory and the default options it
applies; ``bench`` looks names up there (with "did you mean" on a typo).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from metrics.base import Direction, Metric, Score, Statistics, sum_statistics
from metrics.bleu.metric import Bleu
from metrics.chrf.metric import Chrf
from metrics.ter.metric import Ter

__all__ = [
    "CATALOGUE",
    "Bleu",
    "CatalogueEntry",
    "Chrf",
    "Direction",
    "Metric",
    "Score",
    "Statistics",
    "Ter",
    "sum_statistics",
]


@dataclass(frozen=True)
class CatalogueEntry:
    """A named metric configuration users can ask for."""

    factory: Callable[..., Metric[Any]]
    defaults: dict[str, Any] = field(default_factory=dict)
    summary: str = ""

    def build(self, **options: Any) -> Metric[Any]:
        return self.factory(**{**self.defaults, **options})


CATALOGUE: dict[str, CatalogueEntry] = {
    "bleu": CatalogueEntry(Bleu, summary=Bleu.description),
    "chrf": CatalogueEntry(Chrf, summary=Chrf.description),
    "chrf++": CatalogueEntry(Chrf, {"word_order": 2}, "chrF++: chrF with word 1-2 grams"),
    "ter": CatalogueEntry(Ter, summary=Ter.description),
}
