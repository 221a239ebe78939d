"""``spinner``: a synonym-substitution article spinner, driven by WordNet.

The kind of tool that produced the seed pair's spun article: it swaps words
for WordNet synonyms of their most frequent senses, blind to context.

- ``naive`` rewrites whatever it can, proper names included ("Turkey" may
  become "Meleagris gallopavo", "Washington" "Evergreen State");
- ``careful`` leaves alone every capitalised word and every quantity (as our
  quantity parser reads them), so names, sums and dates survive.

Each word with synonyms is replaced with probability ``rate``; the choice is
seeded per article, so the output is deterministic for a seed.
"""

from __future__ import annotations

import hashlib
import random
import re
from typing import Any

from bench.data.article import Article
from bench.errors import BenchError
from bench.specs import DEFAULT_SEED, SystemSpec
from bench.systems.base import System
from bench.systems.wordnet import load, locate
from metrics.facts.quantities import find_quantities

MODES = ("naive", "careful")
_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve hundred thousand million "
    "billion first second third half dozen".split()
)


def _plain_words(text: str) -> bool:
    """Lower-case letters and spaces only: no name, no number, no abbreviation."""
    return text.replace(" ", "").isalpha() and text.islower()


def _match_case(original: str, replacement: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


class SpinnerSystem(System):
    """A WordNet synonym spinner, the kind of tool the benchmark was built against.

    ``naive`` swaps any word with synonyms, names and numbers included, as cheap
    spinners do; ``careful`` leaves capitalised words, numbers and quantities alone and
    takes no synonym that brings one in. Seeded per article, so outputs repeat.
    """

    type_name = "spinner"
    cacheable = False
    parallel = True
    summary = "WordNet synonym spinner (options: mode naive|careful, rate, seed, wordnet_dir)"

    def __init__(
        self,
        spec: SystemSpec,
        *,
        mode: str = "naive",
        rate: float = 0.5,
        seed: int = DEFAULT_SEED,
        wordnet_dir: str | None = None,
    ) -> None:
        super().__init__(spec)
        if mode not in MODES:
            raise BenchError(f"system {spec.name!r}: mode must be naive or careful, not {mode!r}")
        if not isinstance(rate, int | float) or not 0 <= rate <= 1:
            raise BenchError(f"system {spec.name!r}: 'rate' must be between 0 and 1")
        self.mode = mode
        self.rate = float(rate)
        self.seed = int(seed)
        self.wordnet = load(locate(wordnet_dir))

    def _protected(self, text: str) -> bytearray:
        """One byte per character, 1 where a quantity is (careful mode): not to be spun."""
        mask = bytearray(len(text))
        if self.mode == "careful":
            for quantity in find_quantities(text):
                mask[quantity.start : quantity.end] = b"\x01" * (quantity.end - quantity.start)
        return mask

    def paraphrase(self, article: Article) -> str:
        digest = hashlib.sha256(f"spinner|{self.seed}|{article.id}".encode()).digest()
        return self.spin(article.text, random.Random(int.from_bytes(digest[:8], "big")))

    def spin(self, text: str, rng: random.Random) -> str:
        """``text`` with words swapped for synonyms at this spinner's rate and mode."""
        protected = self._protected(text)
        pieces: list[str] = []
        last = 0
        for match in _WORD.finditer(text):
            word = match.group(0)
            if any(protected[match.start() : match.end()]):
                continue
            if self.mode == "careful" and word[0].isupper():
                continue  # a name, or a sentence's first word: left alone
            choices = self.wordnet.synonyms(word)
            if self.mode == "careful":
                # No synonym may bring in a name or a number ("one" -> "I", "1", "ace").
                choices = tuple(c for c in choices if _plain_words(c))
                if word.lower() in _NUMBER_WORDS:
                    continue
            if not choices or rng.random() >= self.rate:
                continue
            pieces += [text[last : match.start()], _match_case(word, rng.choice(choices))]
            last = match.end()
        pieces.append(text[last:])
        return "".join(pieces)

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "wordnet": str(self.wordnet.folder)}
