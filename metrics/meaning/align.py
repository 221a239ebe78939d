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

ALIGN_VERSION = "1"
MIN_SIMILARITY = 0.2
POSITION_PENALTY = 0.1
MERGE_PENALTY = 0.05
"""What a 1-2 or 2-1 pair gives up against a 1-1 pair that shares as much."""


@dataclass(frozen=True)
class Pair:
    """One step of the alignment: clean sentences and paraphrase sentences (either may be
    empty), and how alike they are."""

    clean: tuple[int, ...]
    paraphrase: tuple[int, ...]
    similarity: float


def _weight(item: str) -> float:
    return 2.0 if item[:1] in ("@", "#") else 1.0


def similarity(a: Sequence[str], b: Sequence[str], lexicon: Lexicon) -> float:
    """Soft Dice of two item lists: the weight of the items of each side that the other
    side has (or a synonym of), over the weight of both."""
    if not a or not b:
        return 0.0
    keys_a = set().union(*(lexicon.keys(i) for i in a))
    keys_b = set().union(*(lexicon.keys(i) for i in b))
    shared = sum(_weight(i) for i in a if lexicon.keys(i) & keys_b)
    shared += sum(_weight(i) for i in b if lexicon.keys(i) & keys_a)
    total = sum(_weight(i) for i in a) + sum(_weight(i) for i in b)
    return shared / total


def align(
    clean: Sequence[Sequence[str]], paraphrase: Sequence[Sequence[str]], lexicon: Lexicon
) -> list[Pair]:
    """The best monotonic alignment of two lists of sentences (each a list of items)."""
    n, m = len(clean), len(paraphrase)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float]]] = [[(0, 0, 0.0)] * (m + 1) for _ in range(n + 1)]
    cache: dict[tuple[int, int, int, int], float] = {}

    def worth(i0: int, i1: int, j0: int, j1: int) -> float:
        key = (i0, i1, j0, j1)
        if key not in cache:
            a = [item for s in clean[i0:i1] for item in s]
            b = [item for s in paraphrase[j0:j1] for item in s]
            cache[key] = similarity(a, b, lexicon)
        return cache[key]

    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            options: list[tuple[float, int, int, float]] = []
            if i > 0:
                options.append((best[i - 1][j], 1, 0, 0.0))
            if j > 0:
                options.append((best[i][j - 1], 0, 1, 0.0))
            for di, dj in ((1, 1), (1, 2), (2, 1)):
                if i < di or j < dj:
                    continue
                sim = worth(i - di, i, j - dj, j)
                if sim < MIN_SIMILARITY:
                    continue
                place = abs((i - di / 2) / max(n, 1) - (j - dj / 2) / max(m, 1))
                value = sim - MIN_SIMILARITY - POSITION_PENALTY * place
                value -= MERGE_PENALTY if di + dj == 3 else 0.0
                options.append((best[i - di][j - dj] + value, di, dj, sim))
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
