"""``identity``: returns the article unchanged, the fidelity ceiling of every metric."""

from __future__ import annotations

from bench.data.article import Article
from bench.systems.base import System


class IdentitySystem(System):
    """The clean article as its own paraphrase: every fidelity metric's best score, shown
    as a reference row so that each score can be read against the ceiling."""

    type_name = "identity"
    summary = "copies the clean article: the fidelity ceiling (a reference row)"
    is_reference = True
    cacheable = False

    def paraphrase(self, article: Article) -> str:
        return article.text
