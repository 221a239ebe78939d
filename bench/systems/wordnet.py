"""A small reader for Princeton WordNet 3.0 in its original database format.

The files come from a registry package, Debian's ``wordnet-base``
(``apt-get install wordnet-base``, installed under /usr/share/wordnet);
``WORDNET_DIR`` or a system's ``wordnet_dir`` option points elsewhere. Only
what a synonym spinner needs is read: for each lemma, the words of its
synsets in WordNet's sense order (most frequent sense first).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from bench.errors import BenchError

DEFAULT_DIRS = (Path("/usr/share/wordnet"), Path("/usr/share/wordnet/dict"))
POS = ("noun", "verb", "adj", "adv")


def locate(folder: str | None = None) -> Path:
    """The WordNet database folder: the option if given, else $WORDNET_DIR, else Debian's."""
    explicit = folder or os.environ.get("WORDNET_DIR")
    candidates = [Path(explicit)] if explicit else list(DEFAULT_DIRS)
    for candidate in candidates:
        if (candidate / "data.noun").is_file() and (candidate / "index.noun").is_file():
            return candidate
    raise BenchError(
        "WordNet 3.0 not found (looked in "
        + ", ".join(str(c) for c in candidates)
        + "): install Debian's wordnet-base (apt-get install wordnet-base) or set WORDNET_DIR"
    )


def _clean(word: str) -> str:
    """'ice_cream' -> 'ice cream'; adjective markers such as '(a)' dropped."""
    if word.endswith(")") and "(" in word:
        word = word[: word.index("(")]
    return word.replace("_", " ")


class WordNet:
    """Synonyms of a lemma, in WordNet's sense order."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._senses: dict[str, list[tuple[str, int]]] = {}
        self._synsets: dict[tuple[str, int], tuple[str, ...]] = {}
        for pos in POS:
            with (folder / f"index.{pos}").open(encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith(" "):
                        continue  # licence header
                    fields = line.split()
                    lemma, pointers = fields[0], int(fields[3])
                    senses = int(fields[2])
                    offsets = fields[6 + pointers : 6 + pointers + senses]
                    self._senses.setdefault(lemma, []).extend((pos, int(o)) for o in offsets)
            with (folder / f"data.{pos}").open(encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith(" "):
                        continue
                    fields = line.split(" ", 4 + 2 * 300)
                    count = int(fields[3], 16)
                    words = tuple(_clean(fields[4 + 2 * i]) for i in range(count))
                    self._synsets[(pos, int(fields[0]))] = words

    def synonyms(self, word: str, senses: int = 2) -> tuple[str, ...]:
        """Other words of the lemma's first ``senses`` senses per part of speech."""
        lemma = word.lower().replace(" ", "_")
        found: list[str] = []
        per_pos: dict[str, int] = {}
        for pos, offset in self._senses.get(lemma, []):
            if per_pos.get(pos, 0) >= senses:
                continue
            per_pos[pos] = per_pos.get(pos, 0) + 1
            for candidate in self._synsets.get((pos, offset), ()):
                if candidate.lower() != word.lower() and candidate not in found:
                    found.append(candidate)
        return tuple(found)


@lru_cache(maxsize=4)
def load(folder: Path) -> WordNet:
    """Parsed once per process and folder (about two seconds)."""
    return WordNet(folder)
