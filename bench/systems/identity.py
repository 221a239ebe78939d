"""``identity``: returns the article unchanged, the fidelity ceiling of every metric."""

from __future__ import annotations

from bench.data.article import Article
from bench.systems.base import System


class IdentitySystem(System):
    type_name = "identity"
    summary = "copies the clean article: the fidelity ceiling (a reference row)"
    is_reference = True
    cacheable = False

    def paraphrase(self, article: Article) -> str:
        return article.text
