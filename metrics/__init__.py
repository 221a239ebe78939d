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

from dataclasses import dataclass, field
from typing import Any

from metrics.artefacts.metric import Artefacts
from metrics.base import Direction, Metric, Score, Statistics, sum_statistics
from metrics.bleu.metric import Bleu
from metrics.chrf.metric import Chrf
from metrics.divergence.metric import EditDistance, Pinc
from metrics.entities.metric import Entities, EntityRecall
from metrics.meaning.metric import Meaning
from metrics.quantities.metric import Quantities
from metrics.ranking.metric import Ranking
from metrics.ter.metric import Ter
from metrics.version import __version__ as __version__

__all__ = [
    "CATALOGUE",
    "Artefacts",
    "Bleu",
    "CatalogueEntry",
    "Chrf",
    "Direction",
    "EditDistance",
    "Entities",
    "EntityRecall",
    "Meaning",
    "Metric",
    "Pinc",
    "Quantities",
    "Ranking",
    "Score",
    "Statistics",
    "Ter",
    "sum_statistics",
]


@dataclass(frozen=True)
class CatalogueEntry:
    """A named metric configuration users can ask for."""

    factory: type[Metric[Any]]
    defaults: dict[str, Any] = field(default_factory=dict)
    summary: str = ""

    def build(self, **options: Any) -> Metric[Any]:
        """The metric, with the entry's defaults and then ``options`` (which win) applied."""
        return self.factory(**{**self.defaults, **options})


CATALOGUE: dict[str, CatalogueEntry] = {
    "bleu": CatalogueEntry(Bleu, summary=Bleu.description),
    "chrf": CatalogueEntry(Chrf, summary=Chrf.description),
    "chrf++": CatalogueEntry(Chrf, {"word_order": 2}, "chrF++: chrF with word 1-2 grams"),
    "ter": CatalogueEntry(Ter, summary=Ter.description),
    "entities": CatalogueEntry(Entities, summary=Entities.description),
    "entity_recall": CatalogueEntry(EntityRecall, summary=EntityRecall.description),
    "quantities": CatalogueEntry(Quantities, summary=Quantities.description),
    "meaning": CatalogueEntry(Meaning, summary=Meaning.description),
    "artefacts": CatalogueEntry(Artefacts, summary=Artefacts.description),
    "pinc": CatalogueEntry(Pinc, summary=Pinc.description),
    "edit_distance": CatalogueEntry(EditDistance, summary=EditDistance.description),
    "ranking": CatalogueEntry(Ranking, summary=Ranking.description),
}
