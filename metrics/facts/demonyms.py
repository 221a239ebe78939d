"""Places and the words for their people: "France" and "French", "Kenya" and "Kenyan",
"Russia" and "Russian", "Greenland" and "Greenlandic".

A paraphrase may name a country where its article used the adjective ("the president of
France" for "the French president"), or the other way round. ``place_stem`` gives both
the same stem: irregular pairs from a short table written by hand, the rest by dropping
a demonym suffix.
"""

from __future__ import annotations

DEMONYMS = {
    "english": "england", "irish": "ireland", "scottish": "scotland", "welsh": "wales",
    "french": "france", "dutch": "netherlands", "swiss": "switzerland", "greek": "greece",
    "danish": "denmark", "swedish": "sweden", "finnish": "finland", "polish": "poland",
    "spanish": "spain", "turkish": "turkey", "british": "britain", "portuguese": "portugal",
}  # fmt: skip
_DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "ns", "n", "ese", "ish", "ic", "i", "s")
_SUFFIXES_BY_LAST = {
    last: tuple(s for s in _DEMONYM_SUFFIXES if s[-1] == last) for last in "snehic"
}
"""The suffixes, in order, by their last letter: only those a word can end with are tried."""
assert sum(map(len, _SUFFIXES_BY_LAST.values())) == len(_DEMONYM_SUFFIXES)


def stem(word: str) -> str:
    """The word without its first demonym suffix that leaves four letters, nor a final
    a, e or i: "kenyan" -> "keny", "kenya" -> "keny"."""
    for suffix in _SUFFIXES_BY_LAST.get(word[-1:], ()):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)].rstrip("aei")
    return word.rstrip("aei")


def place_stem(word: str) -> str:
    """The stem a place and its people's adjective share (a lower-case word): "french" and
    "france" -> "franc", "russian" and "russia" -> "russ". Words under four letters are
    their own stem (too short to tell a suffix)."""
    if len(word) < 4:
        return word
    return stem(DEMONYMS.get(word, word))
