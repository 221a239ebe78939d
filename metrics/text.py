"""Text as a reader sees it: invisible differences removed, with a map back.

Two texts that look the same must state the same facts. They may still differ
in characters a reader cannot see: a name in NFD (a letter and a combining
accent) instead of NFC, a no-break space, a zero-width space or joiner, a
byte-order mark, a soft hyphen, full-width digits, a typographer's quote or
a Unicode hyphen. :func:`normalise` removes those differences, and keeps, for
every character of the result, where it came from, so that a position found
in the normalised text can be reported in the text the user gave.

What changes, and nothing else:

- format characters that are invisible (zero-width space, non-joiner and
  joiner, word joiner, byte-order mark, soft hyphen, direction marks) are
  removed;
- every Unicode space (no-break, narrow no-break, thin, ideographic...) becomes
  a plain space;
- letters and their combining marks are composed (NFC);
- full-width ASCII forms (U+FF01 to U+FF5E) become ASCII; NFKC's other folds are
  left alone, since they can change what a number says ("x²" is not "x2");
- curly quotes and apostrophes become straight ones; the hyphen, non-breaking
  hyphen, figure dash, en dash and minus sign become "-" (the em dash, a
  sentence's dash, stays).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

NORMALISER_VERSION = "1"

_INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # direction
    "\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064"  # zero-width, joiners
    "\ufeff"  # byte-order mark, zero-width no-break space
)
_SPACES = "\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
_FOLD: dict[str, str] = {
    **dict.fromkeys(_INVISIBLE, ""),
    **dict.fromkeys(_SPACES, " "),
    **{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)},  # full-width ASCII
    **dict.fromkeys("‘’‚‛", "'"),
    **dict.fromkeys("“”„‟", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", "-"),
}

_CHANGED = re.compile("[" + re.escape("".join(_FOLD)) + "]")
_TABLE = str.maketrans(_FOLD)


@dataclass(frozen=True)
class Normalised:
    """A normalised text, the original, and the way back from one to the other."""

    text: str
    original: str
    starts: tuple[int, ...] | None = None
    """Per character of ``text``, where it starts in ``original``; None: at the same place
    (the same text, or one whose characters were replaced one for one)."""
    ends: tuple[int, ...] | None = None
    """Per character of ``text``, where it ends in ``original``."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The range of ``original`` that ``text[start:end]`` comes from."""
        if self.starts is None or self.ends is None:
            return start, end
        if start >= end:
            at = self.starts[start] if start < len(self.starts) else len(self.original)
            return at, at
        return self.starts[start], self.ends[end - 1]

    def at(self, start: int, length: int) -> tuple[int, str]:
        """Offset and text in ``original`` of the ``length`` characters at ``start``."""
        first, last = self.span(start, start + length)
        return first, self.original[first:last]


@lru_cache(maxsize=4)
def normalise(text: str) -> Normalised:
    """``text`` with the invisible differences above removed (see the module docstring).

    Text that has none of them, as almost every article, is returned as it is
    after two checks that run in C (no copy, no map). The last few results are
    kept (only a few: a text may be large): the entity and the quantity metric read
    the same paraphrase, one after the other.
    """
    composed = unicodedata.is_normalized("NFC", text)
    if composed and not _CHANGED.search(text):
        return Normalised(text, text)
    if composed:
        folded = _fold(text)
        if unicodedata.is_normalized("NFC", folded.text):
            return folded
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1  # a letter and its combining marks compose together
        cluster = unicodedata.normalize("NFC", "".join(_FOLD.get(c, c) for c in text[i:j]))
        if len(cluster) == j - i:
            starts += range(i, j)
            ends += range(i + 1, j + 1)
        else:
            starts += [i] * len(cluster)
            ends += [j] * len(cluster)
        pieces.append(cluster)
        i = j
    return Normalised("".join(pieces), text, tuple(starts), tuple(ends))


def _fold(text: str) -> Normalised:
    """The characters of ``_FOLD`` replaced in C (``str.translate``); a map back only
    when some were removed (one-for-one replacements keep every position)."""
    folded = text.translate(_TABLE)
    if len(folded) == len(text):
        return Normalised(folded, text)
    starts = tuple(i for i, c in enumerate(text) if c not in _INVISIBLE)
    return Normalised(folded, text, starts, tuple(i + 1 for i in starts))
