"""A small reader for Princeton WordNet 3.0 in its original database format.

The files come from a registry package, Debian's ``wordnet-base``
(``apt-get install wordnet-base``, installed under /usr/share/wordnet);
``WORDNET_DIR`` or an option points elsewhere. Only what spinbench needs is
read: for each lemma its synsets in WordNet's sense order (most frequent sense
first), the words of each synset, two kinds of pointer between words, antonyms
(``!``) and derivationally related forms (``+``: decide / decision), and the
lists of irregular forms ("rose" is a form of "rise") when the folder has them.
The index files are read whole when the database is opened; a synset's line is
read from its data file (memory-mapped) the first time it is asked for.

Shared by the synonym spinner and the claim-flip corruption (``bench.systems``)
and the meaning metric, so it lives under ``metrics/``, which never imports
``bench``.
"""

from __future__ import annotations

import mmap
import os
from functools import lru_cache
from pathlib import Path

DEFAULT_DIRS = (Path("/usr/share/wordnet"), Path("/usr/share/wordnet/dict"))
POS = ("noun", "verb", "adj", "adv")
_POS_OF = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}
_KEPT_POINTERS = ("!", "+")
WORDNET_VERSION = "3.0"


class WordNetMissing(ValueError):
    """The WordNet database files are not where we looked."""


def locate(folder: str | None = None) -> Path:
    """The WordNet database folder: the option if given, else $WORDNET_DIR, else Debian's."""
    explicit = folder or os.environ.get("WORDNET_DIR")
    candidates = [Path(explicit)] if explicit else list(DEFAULT_DIRS)
    for candidate in candidates:
        if (candidate / "data.noun").is_file() and (candidate / "index.noun").is_file():
            return candidate
    raise WordNetMissing(
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
"""(part of speech, byte offset in its data file)."""


class WordNet:
    """Synonyms, antonyms and derived forms of a lemma, in WordNet's sense order."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._senses: dict[str, list[Synset]] = {}
        self._squashed: dict[str, str] = {}
        """'ceasefire' -> 'cease-fire': lemmas without their hyphens and underscores."""
        # Synsets are read from their data file when first asked for (the offset that
        # names a synset is where its line begins): a process holds the few thousand
        # it uses, not all 117,659 (a second and about 150 MB each process).
        self._data: dict[str, mmap.mmap] = {}
        self._synsets: dict[Synset, tuple[str, ...]] = {}
        # (synset, word number or 0 for all words) -> [(symbol, target synset, target word)]
        self._pointers: dict[tuple[Synset, int], list[tuple[str, Synset, int]]] = {}
        # synset -> its antonym pointers in file order: (source word, target synset, target word)
        self._antonym_links: dict[Synset, list[tuple[int, Synset, int]]] = {}
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
                    self._squashed.setdefault(lemma.replace("-", "").replace("_", ""), lemma)
            with (folder / f"data.{pos}").open("rb") as handle:
                self._data[pos] = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            self.exceptions[pos] = {}
            exc = folder / f"{pos}.exc"
            if exc.is_file():
                for line in exc.read_text(encoding="utf-8").splitlines():
                    form, *lemmas = line.split()
                    self.exceptions[pos][form] = tuple(lemmas)

    def _words(self, key: Synset) -> tuple[str, ...]:
        """The synset's words, its line read on first use (nothing for an unknown offset)."""
        found = self._synsets.get(key)
        if found is None:
            pos, offset = key
            data = self._data.get(pos)
            if data is not None and 0 <= offset < len(data):
                end = data.find(b"\n", offset)
                line = data[offset : end if end >= 0 else len(data)].decode("utf-8")
                fields = line.split(" | ", 1)[0].split()
                if fields and fields[0] == f"{offset:08d}":
                    self._read_synset(pos, fields)
            found = self._synsets.setdefault(key, ())
        return found

    def _read_synset(self, pos: str, fields: list[str]) -> None:
        key = (pos, int(fields[0]))
        count = int(fields[3], 16)
        self._synsets[key] = tuple(_clean(fields[4 + 2 * i]) for i in range(count))
        at = 4 + 2 * count
        for i in range(int(fields[at])):
            symbol, offset, target_pos, source_target = fields[at + 1 + 4 * i : at + 5 + 4 * i]
            if symbol not in _KEPT_POINTERS:
                continue
            source, target = int(source_target[:2], 16), int(source_target[2:], 16)
            target_key = (_POS_OF[target_pos], int(offset))
            self._pointers.setdefault((key, source), []).append((symbol, target_key, target))
            if symbol == "!":
                self._antonym_links.setdefault(key, []).append((source, target_key, target))

    def has(self, lemma: str, pos: str) -> bool:
        """Is ``lemma`` a word of this part of speech ('noun', 'verb', 'adj', 'adv')?"""
        return any(p == pos for p, _ in self._senses.get(lemma.lower().replace(" ", "_"), []))

    def synsets(self, word: str, senses: int = 2) -> list[Synset]:
        """The lemma's first ``senses`` synsets per part of speech."""
        per_pos: dict[str, int] = {}
        found = []
        lemma = word.lower().replace(" ", "_")
        if lemma not in self._senses:
            lemma = self._squashed.get(lemma.replace("-", "").replace("_", ""), lemma)
        for pos, offset in self._senses.get(lemma, []):
            if per_pos.get(pos, 0) < senses:
                per_pos[pos] = per_pos.get(pos, 0) + 1
                found.append((pos, offset))
        return found

    def synonyms(self, word: str, senses: int = 2) -> tuple[str, ...]:
        """Other words of the lemma's first ``senses`` senses per part of speech."""
        found: list[str] = []
        for synset in self.synsets(word, senses):
            for candidate in self._words(synset):
                if candidate.lower() != word.lower() and candidate not in found:
                    found.append(candidate)
        return tuple(found)

    def _linked(self, word: str, symbol: str, senses: int) -> set[str]:
        lemma = word.lower().replace("_", " ")
        found: set[str] = set()
        for synset in self.synsets(word, senses):
            words = self._words(synset)
            numbers = [i + 1 for i, w in enumerate(words) if w.lower() == lemma]
            for number in [0, *numbers]:
                for sym, target, target_word in self._pointers.get((synset, number), []):
                    if sym != symbol:
                        continue
                    targets = self._words(target)
                    chosen = targets if target_word == 0 else targets[target_word - 1 : target_word]
                    found.update(t.lower() for t in chosen)
        return found

    def antonyms(self, word: str, senses: int = 3) -> set[str]:
        """Direct antonyms of the lemma's first ``senses`` senses (accept / reject)."""
        return self._linked(word, "!", senses)

    def antonyms_as(self, lemma: str, pos: str, senses: int = 2) -> tuple[str, ...]:
        """Antonyms of ``lemma`` as a ``pos`` in its first ``senses`` senses, in file order.

        WordNet links antonyms word to word ("decrease" <-> "increase"); when
        the lemma itself has no link, its synset's links are taken ("fall",
        a synonym of "decrease", gets "increase"), since the lemma shares
        that sense. The claim-flip corruption swaps a word for the first one.
        """
        key = lemma.lower().replace(" ", "_")
        direct: list[str] = []
        shared: list[str] = []
        synsets = [s for s in self._senses.get(key, []) if s[0] == pos][:senses]
        for synset in synsets:
            lowered = [w.lower() for w in self._words(synset)]
            number = 1 + lowered.index(lemma.lower()) if lemma.lower() in lowered else -1
            for source, target, word in self._antonym_links.get(synset, []):
                targets = self._words(target)
                found = targets[word - 1 : word] if word else targets[:1]
                (direct if source in (0, number) else shared).extend(found)
        return tuple(dict.fromkeys(direct or shared))

    def derived(self, word: str, senses: int = 3) -> set[str]:
        """Derivationally related forms (decide / decision), lower case."""
        return self._linked(word, "+", senses)


@lru_cache(maxsize=4)
def load(folder: Path) -> WordNet:
    """Opened once per process and folder (its index read: under a second)."""
    return WordNet(folder)
