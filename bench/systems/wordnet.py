"""A small reader for Princeton WordNet 3.0 in its original database format.

The files come from a registry package, Debian's ``wordnet-base``
(``apt-get install wordnet-base``, installed under /usr/share/wordnet);
``WORDNET_DIR`` or a system's ``wordnet_dir`` option points elsewhere. Only
what the spinner and the corruptions need is read: for each lemma, the words
of its synsets in WordNet's sense order (most frequent sense first); the
antonym links between words ("increase" <-> "decrease"); and the lists of
irregular forms ("rose" is a form of "rise"), when the folder has them.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from bench.errors import BenchError

DEFAULT_DIRS = (Path("/usr/share/wordnet"), Path("/usr/share/wordnet/dict"))
POS = ("noun", "verb", "adj", "adv")
_POS_OF_MARK = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}


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


Synset = tuple[str, int]
"""(part of speech, offset in its data file)."""


class WordNet:
    """Synonyms and antonyms of a lemma, in WordNet's sense order; irregular forms."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._senses: dict[str, list[Synset]] = {}
        self._synsets: dict[Synset, tuple[str, ...]] = {}
        # synset -> (source word number, target synset, target word number); 0 = all words
        self._antonyms: dict[Synset, list[tuple[int, Synset, int]]] = {}
        self.exceptions: dict[str, dict[str, tuple[str, ...]]] = {}
        """Per part of speech, irregular form -> its lemmas ("rose" -> ("rise",))."""
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
                    if " ! " in line:
                        self._read_antonyms((pos, int(fields[0])), line.split(), count)
            self.exceptions[pos] = {}
            exc = folder / f"{pos}.exc"
            if exc.is_file():
                for line in exc.read_text(encoding="utf-8").splitlines():
                    form, *lemmas = line.split()
                    self.exceptions[pos][form] = tuple(lemmas)

    def _read_antonyms(self, synset: Synset, fields: list[str], count: int) -> None:
        """The '!' (antonym) pointers of one data line: symbol, offset, pos, source/target."""
        at = 4 + 2 * count
        for i in range(int(fields[at])):
            symbol, offset, pos, words = fields[at + 1 + 4 * i : at + 5 + 4 * i]
            if symbol == "!":
                target = (_POS_OF_MARK[pos], int(offset))
                link = (int(words[:2], 16), target, int(words[2:], 16))
                self._antonyms.setdefault(synset, []).append(link)

    def has(self, lemma: str, pos: str) -> bool:
        """Is ``lemma`` a word of this part of speech ('noun', 'verb', 'adj', 'adv')?"""
        return any(p == pos for p, _ in self._senses.get(lemma.lower().replace(" ", "_"), []))

    def antonyms(self, lemma: str, pos: str, senses: int = 2) -> tuple[str, ...]:
        """Antonyms of ``lemma`` as a ``pos`` in its first ``senses`` senses.

        WordNet links antonyms word to word ("decrease" <-> "increase"); when
        the lemma itself has no link, its synset's links are taken ("fall",
        a synonym of "decrease", gets "increase"), since the lemma shares
        that sense.
        """
        key = lemma.lower().replace(" ", "_")
        direct: list[str] = []
        shared: list[str] = []
        synsets = [s for s in self._senses.get(key, []) if s[0] == pos][:senses]
        for synset in synsets:
            words = self._synsets.get(synset, ())
            lowered = [w.lower() for w in words]
            number = 1 + lowered.index(lemma.lower()) if lemma.lower() in lowered else -1
            for source, target, word in self._antonyms.get(synset, []):
                targets = self._synsets.get(target, ())
                found = targets[word - 1 : word] if word else targets[:1]
                (direct if source in (0, number) else shared).extend(found)
        return tuple(dict.fromkeys(direct or shared))

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
