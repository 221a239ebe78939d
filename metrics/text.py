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
- letters and their combining marks are composed (NFC; the compositions
  without a combining mark, Hangul jamo and a few Indic vowel signs, are left
  as they are);
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
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


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
    return _fold(text) if composed else _compose(text)


def _fold(text: str) -> Normalised:
    """The characters of ``_FOLD`` replaced in C (``str.translate``); a map back only
    when some were removed (one-for-one replacements keep every position)."""
    folded = text.translate(_TABLE)
    if len(folded) == len(text):
        return Normalised(folded, text)
    starts = tuple(i for i, c in enumerate(text) if c not in _INVISIBLE)
    return Normalised(folded, text, starts, tuple(i + 1 for i in starts))


def _marked(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each character that NFC changes: a character followed by
    combining marks, with its marks, or one NFC replaces ("\u212b", the angstrom sign).
    Only the non-ASCII characters are looked at one by one (NFC leaves ASCII alone)."""
    clusters: list[tuple[int, int]] = []
    for match in _NON_ASCII.finditer(text):
        at, character = match.start(), match.group()
        if not unicodedata.combining(character):
            if unicodedata.normalize("NFC", character) != character:
                clusters.append((at, at + 1))
            continue
        if clusters and clusters[-1][1] == at:
            clusters[-1] = (clusters[-1][0], at + 1)  # one more mark on the same letter
        else:
            clusters.append((max(at - 1, 0), at + 1))
    return clusters


def _compose(text: str) -> Normalised:
    """``_fold`` between the letters that carry combining marks, and each such letter
    composed with its marks (NFC), in slices: NFD text costs little more than NFC."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def plain(start: int, end: int) -> None:
        folded = _fold(text[start:end])
        pieces.append(folded.text)
        if folded.starts is None:
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))
        else:
            starts.extend(start + i for i in folded.starts)
            ends.extend(start + i + 1 for i in folded.starts)

    last = 0
    for i, j in _marked(text):
        plain(last, i)
        cluster = unicodedata.normalize("NFC", text[i:j].translate(_TABLE))
        pieces.append(cluster)
        starts.extend([i] * len(cluster))
        ends.extend([j] * len(cluster))
        last = j
    plain(last, len(text))
    return Normalised("".join(pieces), text, tuple(starts), tuple(ends))
