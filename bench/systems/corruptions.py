"""Corruptions as systems: seeded, known damage that a good metric must notice.

Each corruption copies the clean article and damages it in one way, at a
``rate``, deterministically for a ``seed`` and article id. They are the
challenge suite of ``bench check-metrics`` (in the spirit of the ACES
challenge sets for MT metrics), and ordinary systems anywhere else.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable
from typing import Any, ClassVar

from bench.data.article import Article
from bench.errors import BenchError
from bench.specs import DEFAULT_SEED, SystemSpec
from bench.systems.base import System

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'(])")
_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]{3,}\b")
_DIGITS = re.compile(r"\d")
_WORD = re.compile(r"\b[a-z]{4,}\b")


def _rng(seed: int, article: Article, kind: str) -> random.Random:
    digest = hashlib.sha256(f"{kind}|{seed}|{article.id}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _edit(word: str, rng: random.Random) -> str:
    """One character edit inside a word: delete, substitute or swap two letters."""
    i = rng.randrange(1, len(word) - 1)
    action = rng.choice(("delete", "substitute", "swap"))
    if action == "delete":
        return word[:i] + word[i + 1 :]
    if action == "substitute":
        letters = "aeiou" if word[i] in "aeiou" else "bcdfghklmnprstvz"
        return word[:i] + rng.choice([c for c in letters if c != word[i]]) + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _paragraphs(text: str) -> list[list[str]]:
    return [_SENTENCE.split(p) for p in text.split("\n\n")]


def _join(paragraphs: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paragraphs if p)


class Corruption(System):
    """A system that damages the clean article in one known way."""

    default_rate: ClassVar[float]
    cacheable = False
    parallel = True

    def __init__(
        self, spec: SystemSpec, *, rate: float | None = None, seed: int = DEFAULT_SEED
    ) -> None:
        super().__init__(spec)
        rate = self.default_rate if rate is None else rate
        if not isinstance(rate, int | float) or not 0 <= rate <= 1:
            raise BenchError(f"system {spec.name!r}: 'rate' must be between 0 and 1")
        self.rate = float(rate)
        self.seed = int(seed)

    def paraphrase(self, article: Article) -> str:
        return self.damage(article.text, _rng(self.seed, article, self.type_name))

    def damage(self, text: str, rng: random.Random) -> str:
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "rate": self.rate, "seed": self.seed}

    def _sub(self, pattern: re.Pattern[str], text: str, rng: random.Random,
             change: Callable[[str], str]) -> str:  # fmt: skip
        return pattern.sub(
            lambda m: change(m.group(0)) if rng.random() < self.rate else m.group(0), text
        )


class MangleEntities(Corruption):
    type_name = "mangle-entities"
    default_rate = 0.5
    summary = "misspells capitalised names by one letter ('Kir Stmper')"

    def damage(self, text: str, rng: random.Random) -> str:
        return self._sub(_NAME, text, rng, lambda w: _edit(w, rng))


class ChangeNumbers(Corruption):
    type_name = "change-numbers"
    default_rate = 0.5
    summary = "changes digits of numbers and amounts ('£1.6bn' -> '£1.7bn')"

    def damage(self, text: str, rng: random.Random) -> str:
        return self._sub(_DIGITS, text, rng, lambda d: str((int(d) + rng.randint(1, 9)) % 10))


class DropSentences(Corruption):
    type_name = "drop-sentences"
    default_rate = 0.3
    summary = "drops sentences"

    def damage(self, text: str, rng: random.Random) -> str:
        paragraphs = _paragraphs(text)
        kept = [[s for s in p if rng.random() >= self.rate] for p in paragraphs]
        if not any(kept):
            kept = [[paragraphs[0][0]]]
        return _join(kept)


class ShuffleSentences(Corruption):
    type_name = "shuffle-sentences"
    default_rate = 1.0
    summary = "shuffles the sentences of each paragraph (facts kept, order lost)"

    def damage(self, text: str, rng: random.Random) -> str:
        paragraphs = _paragraphs(text)
        for p in paragraphs:
            if rng.random() < self.rate:
                rng.shuffle(p)
        return _join(paragraphs)


class LeakSpintax(Corruption):
    type_name = "leak-spintax"
    default_rate = 0.3
    summary = "leaks spintax and template text ('{that a}', '{big|large}')"

    _FRAGMENTS = ("{that a}", "{the|a}", "{{title}}", "{very|really}", "}")

    def damage(self, text: str, rng: random.Random) -> str:
        paragraphs = _paragraphs(text)
        for p in paragraphs:
            for i, sentence in enumerate(p):
                if rng.random() < self.rate:
                    words = sentence.split(" ")
                    at = rng.randrange(len(words))
                    words.insert(at, rng.choice(self._FRAGMENTS))
                    p[i] = " ".join(words)
        return _join(paragraphs)


class Typos(Corruption):
    type_name = "typos"
    default_rate = 0.08
    summary = "typing errors in common lower-case words"

    def damage(self, text: str, rng: random.Random) -> str:
        return self._sub(_WORD, text, rng, lambda w: _edit(w, rng))


class SynonymSpin(Corruption):
    type_name = "synonym-spin"
    default_rate = 0.3
    summary = "WordNet synonyms for common words only: meaning kept, names and numbers untouched"

    def damage(self, text: str, rng: random.Random) -> str:
        from bench.systems.spinner import SpinnerSystem  # loads WordNet only when used

        spinner = SpinnerSystem(
            SystemSpec(self.name, "spinner"), mode="careful", rate=self.rate, seed=self.seed
        )
        return spinner.spin(text, rng)


CORRUPTIONS: tuple[type[Corruption], ...] = (
    MangleEntities, ChangeNumbers, DropSentences, ShuffleSentences, LeakSpintax, Typos,
    SynonymSpin,
)  # fmt: skip
