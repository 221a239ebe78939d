"""Monotonic sentence alignment of a clean article and its paraphrase.

Dynamic programming over the two sentence lists, in the manner of Gale-Church
and Vecalign, with five moves: one clean sentence to one paraphrase sentence
(1-1), one to two (a sentence split in two), two to one (two merged), a clean
sentence dropped (1-0) and a paraphrase sentence added (0-1). A pair is worth
the items (lemmas, names, amounts) the two sides share, counting WordNet
synonyms as shared and names and amounts twice, less a small penalty for
distance in relative position; a pair worth less than ``MIN_SIMILARITY`` is
better left unaligned, so a sentence with nothing in common stays alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from metrics.meaning.lexicon import Lexicon

ALIGN_VERSION = "2"
MIN_SIMILARITY = 0.2
POSITION_PENALTY = 0.1
MERGE_PENALTY = 0.05
"""What a 1-2 or 2-1 pair gives up against a 1-1 pair that shares as much."""
BAND = 60
"""How far (in sentences) an alignment may stray from the diagonal."""


@dataclass(frozen=True)
class Pair:
    """One step of the alignment: clean sentences and paraphrase sentences (either may be
    empty), and how alike they are."""

    clean: tuple[int, ...]
    paraphrase: tuple[int, ...]
    similarity: float


def _weight(item: str) -> float:
    return 2.0 if item[:1] in ("@", "#") else 1.0


class _Similarities:
    """The similarity of groups of one or two sentences of each side: a soft Dice of
    their items, the weight of the items of each side that the other side has (or a
    synonym of), over the weight of both. It is worked out from parts computed once
    per pair of single sentences.

    The DP asks for about three groups per cell; rebuilding each from every item's
    keys would repeat the same look-ups. Here an item of one sentence is marked (one bit)
    when its keys meet those of a sentence of the other side; an item meets a group
    when it meets one of its sentences, so a group's shared weight is the weight of
    the OR of its sentences' bits. Weights are 1 and 2, so the sums are whole numbers,
    exact in any order: the value is the plain soft Dice's to the last bit
    (tests/test_meaning_speed.py computes it the plain way).
    """

    def __init__(
        self, clean: Sequence[Sequence[str]], paraphrase: Sequence[Sequence[str]], lexicon: Lexicon
    ) -> None:
        self._sides = [self._side(clean, lexicon), self._side(paraphrase, lexicon)]
        self._marks: dict[tuple[int, int, int], int] = {}

    @staticmethod
    def _side(
        sentences: Sequence[Sequence[str]], lexicon: Lexicon
    ) -> list[tuple[list[frozenset[str]], frozenset[str], int, float]]:
        """Per sentence: its items' keys, all its keys, which items weigh 2 (bits), and
        its total weight."""
        found = []
        for items in sentences:
            keys = [lexicon.keys(i) for i in items]
            heavy = sum(1 << k for k, i in enumerate(items) if _weight(i) == 2.0)
            total = sum(_weight(i) for i in items)
            found.append((keys, frozenset().union(*keys), heavy, total))
        return found

    def _mark(self, side: int, own: int, other: int) -> int:
        """Bits of the items of sentence ``own`` of ``side`` whose keys meet sentence
        ``other`` of the other side."""
        key = (side, own, other)
        found = self._marks.get(key)
        if found is None:
            union = self._sides[1 - side][other][1]
            keys = self._sides[side][own][0]
            found = self._marks[key] = sum(1 << k for k, ks in enumerate(keys) if ks & union)
        return found

    def _shared(self, side: int, own: range, others: range) -> float:
        shared = 0.0
        for s in own:
            bits = 0
            for t in others:
                bits |= self._mark(side, s, t)
            shared += bits.bit_count() + (bits & self._sides[side][s][2]).bit_count()
        return shared

    def __call__(self, clean: range, paraphrase: range) -> float:
        """The similarity of the items of these clean and paraphrase sentences."""
        total_a = sum(self._sides[0][s][3] for s in clean)
        total_b = sum(self._sides[1][t][3] for t in paraphrase)
        if not total_a or not total_b:
            return 0.0
        shared = self._shared(0, clean, paraphrase) + self._shared(1, paraphrase, clean)
        return shared / (total_a + total_b)


def align(
    clean: Sequence[Sequence[str]], paraphrase: Sequence[Sequence[str]], lexicon: Lexicon
) -> list[Pair]:
    """The best monotonic alignment of two lists of sentences (each a list of items).

    Only cells within ``BAND`` sentences of the diagonal are filled, so time and memory
    grow with the article's length, not its square; an article of up to ``BAND``
    sentences (every news article) is aligned over the whole table.
    """
    n, m = len(clean), len(paraphrase)
    group_similarity = _Similarities(clean, paraphrase, lexicon)

    def band(i: int) -> range:
        middle = round(i * m / n) if n else 0
        return range(max(0, middle - BAND), min(m, middle + BAND) + 1)

    best: list[dict[int, float]] = []
    back: list[dict[int, tuple[int, int, float]]] = []
    for i in range(n + 1):
        best.append({})
        back.append({})
        for j in band(i):
            if i == 0 and j == 0:
                best[0][0] = 0.0
                back[0][0] = (0, 0, 0.0)
                continue
            options: list[tuple[float, int, int, float]] = []
            if i > 0 and j in best[i - 1]:
                options.append((best[i - 1][j], 1, 0, 0.0))
            if j - 1 in best[i]:
                options.append((best[i][j - 1], 0, 1, 0.0))
            for di, dj in ((1, 1), (1, 2), (2, 1)):
                if i < di or j < dj or j - dj not in best[i - di]:
                    continue
                sim = group_similarity(range(i - di, i), range(j - dj, j))
                if sim < MIN_SIMILARITY:
                    continue
                place = abs((i - di / 2) / max(n, 1) - (j - dj / 2) / max(m, 1))
                value = sim - MIN_SIMILARITY - POSITION_PENALTY * place
                value -= MERGE_PENALTY if di + dj == 3 else 0.0
                options.append((best[i - di][j - dj] + value, di, dj, sim))
            if options:
                score, di, dj, sim = max(options, key=lambda o: o[0])
                best[i][j] = score
                back[i][j] = (di, dj, sim)
    pairs: list[Pair] = []
    i, j = n, m
    while i > 0 or j > 0:
        di, dj, sim = back[i][j]
        pairs.append(Pair(tuple(range(i - di, i)), tuple(range(j - dj, j)), sim))
        i, j = i - di, j - dj
    return pairs[::-1]
