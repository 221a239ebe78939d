"""When two items mean the same or the opposite: lemmas, WordNet synsets and antonyms.

An item's *keys* are its lemma, its first senses' WordNet synsets and its
derivationally related forms (decide / decision); two items match when their
keys meet. Names (``@uk``) and amounts (``#MONEY|...``) match only themselves.
Two predicates are *antonyms* when WordNet says so (accept / reject,
increase / decrease), for a synonym of either, or when one is the other with a
negative prefix (agree / disagree, likely / unlikely, able / unable).
"""

from __future__ import annotations

from functools import lru_cache

from metrics.wordnet import WORDNET_VERSION, WordNet, load, locate

LEXICON_VERSION = "1"
SENSES = 2
"""Senses per part of speech whose synsets make a word's keys (WordNet's most frequent)."""
NEGATIVE_PREFIXES = ("un", "dis", "in", "im", "il", "ir", "non", "non-", "mis")


class Lexicon:
    """Item matching backed by one WordNet database, read on first use."""

    def __init__(self, wordnet_dir: str | None = None) -> None:
        self.folder = locate(wordnet_dir)
        self._keys = lru_cache(maxsize=65536)(self._compute_keys)
        self._opposites = lru_cache(maxsize=16384)(self._compute_opposites)

    @property
    def signature(self) -> str:
        return f"wordnet-{WORDNET_VERSION}|lexicon:{LEXICON_VERSION}"

    @property
    def wordnet(self) -> WordNet:
        return load(self.folder)

    def keys(self, item: str) -> frozenset[str]:
        return self._keys(item)

    def _compute_keys(self, item: str) -> frozenset[str]:
        if item[:1] in ("@", "#"):
            return frozenset({item})
        wordnet = self.wordnet
        keys = {item}
        keys.update(f"{pos[0]}{offset}" for pos, offset in wordnet.synsets(item, SENSES))
        keys.update(wordnet.derived(item, SENSES))
        return frozenset(keys)

    def same(self, a: str, b: str) -> bool:
        return a == b or bool(self.keys(a) & self.keys(b))

    def opposite(self, a: str, b: str) -> bool:
        """True when ``b`` means the opposite of ``a`` (and not the same)."""
        if a == b or a[:1] in ("@", "#") or b[:1] in ("@", "#"):
            return False
        for prefix in NEGATIVE_PREFIXES:
            if a == prefix + b or b == prefix + a:
                return True
        return bool(self.keys(b) & self._opposites(a)) and not self.same(a, b)

    def _compute_opposites(self, a: str) -> frozenset[str]:
        found: set[str] = set()
        for antonym in self.wordnet.antonyms(a):
            found |= {antonym} | {
                f"{pos[0]}{offset}" for pos, offset in self.wordnet.synsets(antonym, 1)
            }
        return frozenset(found)
