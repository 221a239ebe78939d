"""Spin artefacts: template and spintax leftovers a spinner leaked into its output."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from metrics.base import Direction, FloatArray, Metric, Score, Statistics
from metrics.facts.names import non_ascii
from metrics.version import __version__

ARTEFACTS_VERSION = "1"

# Each pattern is one kind of leftover; a match also present in the clean
# article (a real brace in the story) is not counted.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("template", re.compile(r"\{\{[^{}\n]{0,80}\}\}|\[\[[^\[\]\n]{0,80}\]\]|%[sd]\b|\$\{\w+\}")),
    ("spintax", re.compile(r"\{[^{}\n]{0,200}\|[^{}\n]{0,200}\}")),  # {A|B}
    ("braced", re.compile(r"\{[^{}|\n]{1,80}\}")),  # {that a}
    # Checked last: any brace not consumed by the patterns above has no partner.
    ("unbalanced", re.compile(r"[{}]")),
)


@dataclass(frozen=True)
class ArtefactReference:
    found: Counter[str]
    """Leftover-like strings the clean article itself contains."""


_MARKS = ("{", "}", "[[", "]]", "%s", "%d")
"""What every pattern needs: a brace, double brackets, or "%s" / "%d". A text without
any of them, as most are, has no artefact; plain substring searches find that out
faster than four passes of the regex engine."""


def _has_mark(text: str) -> bool:
    """Whether one of _MARKS is in ``text``. A search for one character is far faster
    than for two, so each pair is looked for only where its first character is."""
    return any(mark in text for mark in _MARKS if mark[:1] in text)


def find_artefacts(text: str) -> list[tuple[str, int, str]]:
    """``(kind, offset, text)`` of every artefact, non-overlapping, in reading order."""
    if not _has_mark(text):
        return []
    taken = bytearray(len(text))
    found = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            found.append((kind, m.start(), m.group(0)))
    return sorted(found, key=lambda f: f[1])


_SPACE_OR_NOT = bytes(32 if chr(b).isspace() else 120 for b in range(128)) + b"x" * 128
"""Each byte of UTF-8 as " " (an ASCII white-space character, as ``str.isspace`` has it)
or "x" (anything else, the bytes of non-ASCII characters included)."""


def word_count(text: str) -> int:
    """``len(text.split())``, without building the words: how many times white space is
    followed by something else (and whether the text begins with something else), read
    off the text's UTF-8 with every byte marked " " or "x", in C: half of split's time
    on an article. A text with non-ASCII white space ("\u00a0") is split."""
    if any(c.isspace() for c in non_ascii(text)):
        return len(text.split())
    marks = text.encode("utf-8", "surrogatepass").translate(_SPACE_OR_NOT)
    return marks.count(b" x") + marks.startswith(b"x")


_NONE: Counter[str] = Counter()
"""The leftovers of a clean article that has none, as most have: one shared, never changed
(``_new`` counts down a copy)."""


class Artefacts(Metric[ArtefactReference]):
    """Spin artefacts per 1,000 words of the paraphrase (lower is better; 0 is clean)."""

    name: ClassVar[str] = "artefacts"
    direction: ClassVar[Direction] = Direction.LOWER
    perfect: ClassVar[float] = 0.0
    description: ClassVar[str] = "Spin artefacts ({that a}, {A|B}, stray braces) per 1,000 words"
    extra_columns: ClassVar[tuple[tuple[str, str], ...]] = (("count", "artefacts"),)

    @property
    def statistic_names(self) -> tuple[str, ...]:
        return ("artefacts", "words")

    @property
    def signature(self) -> str:
        return f"artefacts:{ARTEFACTS_VERSION}|v:{__version__}"

    def prepare_reference(self, reference: str) -> ArtefactReference:
        found = find_artefacts(reference)
        return ArtefactReference(Counter(text for _, _, text in found) if found else _NONE)

    def _new(self, hypothesis: str, reference: ArtefactReference) -> list[tuple[str, int, str]]:
        found = find_artefacts(hypothesis)
        if not found:
            return found  # most paraphrases: nothing to weigh against the clean article
        allowance = Counter(reference.found)
        new = []
        for kind, at, text in found:
            if allowance[text] > 0:
                allowance[text] -= 1
            else:
                new.append((kind, at, text))
        return new

    def statistics(self, hypothesis: str, reference: ArtefactReference) -> Statistics:
        return [len(self._new(hypothesis, reference)), word_count(hypothesis)]

    def diagnose(self, hypothesis: str, reference: ArtefactReference) -> list[dict[str, Any]]:
        return [
            {"kind": kind, "at": at, "text": text}
            for kind, at, text in self._new(hypothesis, reference)
        ]

    def score_from_statistics(self, statistics: Sequence[float]) -> Score:
        count, words = int(statistics[0]), int(statistics[1])
        rate = 1000 * count / words if words else 0.0
        return Score(
            metric=self.name,
            name="Artefacts/1k",
            score=rate,
            signature=self.signature,
            direction=self.direction,
            formatted=f"Artefacts = {rate:.2f} per 1,000 words ({count} in {words} words)",
            details={"count": count, "words": words},
        )

    def scores(self, sums: FloatArray) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(sums[:, 1] > 0, 1000 * sums[:, 0] / sums[:, 1], 0.0)
