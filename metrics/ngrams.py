"""Exact n-gram match counting with numpy: the hot path of BLEU, chrF and chrF++.

sacrebleu counts n-grams in Python ``Counter``s of strings and tuples. Here
each reference gets a small vocabulary (its distinct words, or characters)
numbered 1..V; an n-gram of ids is packed into one 64-bit integer, ``bits``
bits per position, so the n-grams of an order become one integer array, and
counting is ``np.unique`` and matching ``np.searchsorted``. Hypothesis
tokens outside the reference vocabulary get id 0, which no reference n-gram
contains, so they can never match; packing is exact (no hashing), so the
counts are exactly sacrebleu's.

Packing needs ``bits * order <= 62``: fewer than 2**15 distinct words for
4-grams, 2**10 distinct characters for 6-grams. A reference with a larger
vocabulary (a huge or many-scripted article) gets ``None`` from
:meth:`NgramTable.build`, and the caller counts with Counters instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]

MAX_BITS = 62


def _packed(ids: IntArray, n: int, bits: int) -> IntArray:
    """One integer per n-gram of order ``n`` (empty when the text is shorter than ``n``)."""
    count = len(ids) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    codes = ids[:count].copy()
    for k in range(1, n):
        codes <<= bits
        codes |= ids[k : k + count]
    return codes


def char_codes(text: str) -> npt.NDArray[np.uint32]:
    """The code points of ``text`` (lone surrogates included) as an array."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


@dataclass(frozen=True)
class NgramTable:
    """One reference's n-grams of orders 1..``order``, counted, ready for matching.

    ``alphabet`` is the sorted array of the reference's distinct symbols: code
    points for character n-grams, or, for word n-grams, ``words`` maps each
    distinct word to its id.
    """

    order: int
    bits: int
    length: int
    codes: tuple[IntArray, ...]
    counts: tuple[IntArray, ...]
    alphabet: npt.NDArray[np.uint32] | None = None
    words: dict[str, int] | None = None

    @staticmethod
    def _counted(ids: IntArray, order: int, bits: int) -> tuple[tuple[IntArray, ...], ...]:
        codes, counts = [], []
        for n in range(1, order + 1):
            unique, count = np.unique(_packed(ids, n, bits), return_counts=True)
            codes.append(unique)
            counts.append(count.astype(np.int64))
        return tuple(codes), tuple(counts)

    @classmethod
    def of_chars(cls, text: str, order: int) -> NgramTable | None:
        """Character n-grams of ``text`` (whitespace already removed by the caller)."""
        points = char_codes(text)
        alphabet = np.unique(points)
        bits = max(len(alphabet).bit_length(), 1)
        if bits * order > MAX_BITS:
            return None
        ids = np.searchsorted(alphabet, points).astype(np.int64) + 1
        codes, counts = cls._counted(ids, order, bits)
        return cls(order, bits, len(points), codes, counts, alphabet=alphabet)

    @classmethod
    def of_words(cls, words: Sequence[str], order: int) -> NgramTable | None:
        """Word n-grams of a tokenised reference, each distinct word numbered from 1 in
        order of first use; None when its vocabulary is too large to pack."""
        vocabulary: dict[str, int] = {}
        for word in words:
            if word not in vocabulary:
                vocabulary[word] = len(vocabulary) + 1
        bits = max(len(vocabulary).bit_length(), 1)
        if bits * order > MAX_BITS:
            return None
        ids = np.fromiter((vocabulary[w] for w in words), dtype=np.int64, count=len(words))
        codes, counts = cls._counted(ids, order, bits)
        return cls(order, bits, len(words), codes, counts, words=vocabulary)

    def total(self, n: int) -> int:
        """How many n-grams of order ``n`` the reference has."""
        return max(self.length - n + 1, 0)

    def _ids_of_chars(self, text: str) -> IntArray:
        assert self.alphabet is not None
        points = char_codes(text)
        if not len(self.alphabet):
            return np.zeros(len(points), dtype=np.int64)
        where = np.searchsorted(self.alphabet, points)
        where = np.minimum(where, len(self.alphabet) - 1)
        known = self.alphabet[where] == points
        return np.where(known, where + 1, 0).astype(np.int64)

    def _ids_of_words(self, words: Sequence[str]) -> IntArray:
        assert self.words is not None
        vocabulary = self.words
        return np.fromiter((vocabulary.get(w, 0) for w in words), dtype=np.int64, count=len(words))

    def matches_chars(self, text: str) -> list[tuple[int, int]]:
        """``(hypothesis n-grams, clipped matches)`` for each order, for a character table."""
        return self._matches(self._ids_of_chars(text))

    def matches_words(self, words: Sequence[str]) -> list[tuple[int, int]]:
        """``(hypothesis n-grams, clipped matches)`` for each order, for a word table."""
        return self._matches(self._ids_of_words(words))

    def _matches(self, ids: IntArray) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for n in range(1, self.order + 1):
            total = max(len(ids) - n + 1, 0)
            ref_codes, ref_counts = self.codes[n - 1], self.counts[n - 1]
            if not total or not len(ref_codes):
                found.append((total, 0))
                continue
            unique, count = np.unique(_packed(ids, n, self.bits), return_counts=True)
            where = np.minimum(np.searchsorted(ref_codes, unique), len(ref_codes) - 1)
            hit = ref_codes[where] == unique
            clipped = np.minimum(count[hit], ref_counts[where[hit]])
            found.append((total, int(clipped.sum())))
        return found


@dataclass(frozen=True)
class WordSequence:
    """A reference's words as ids, for comparing sets of distinct n-grams (PINC)."""

    words: tuple[str, ...]
    vocabulary: dict[str, int]
    ids: IntArray

    @classmethod
    def of(cls, words: Sequence[str]) -> WordSequence:
        """The reference's words, each distinct word numbered from 1 in order of first use."""
        vocabulary: dict[str, int] = {}
        for word in words:
            if word not in vocabulary:
                vocabulary[word] = len(vocabulary) + 1
        ids = np.fromiter((vocabulary[w] for w in words), dtype=np.int64, count=len(words))
        return cls(tuple(words), vocabulary, ids)

    def novel(self, words: Sequence[str], order: int) -> list[tuple[int, int]] | None:
        """``(distinct n-grams of words, those not in the reference)`` for orders 1..order.

        Words the reference lacks get ids of their own (distinct novel n-grams
        must stay distinct), so the packing width depends on both texts; None
        when the two vocabularies together are too large to pack.
        """
        vocabulary = self.vocabulary
        extra: dict[str, int] = {}
        base = len(vocabulary)
        ids = np.fromiter(
            (vocabulary.get(w) or extra.setdefault(w, base + len(extra) + 1) for w in words),
            dtype=np.int64,
            count=len(words),
        )
        bits = max((base + len(extra)).bit_length(), 1)
        if bits * order > MAX_BITS:
            return None
        found: list[tuple[int, int]] = []
        for n in range(1, order + 1):
            mine = np.unique(_packed(ids, n, bits))
            theirs = np.unique(_packed(self.ids, n, bits))
            shared = int(np.isin(mine, theirs, assume_unique=True).sum())
            found.append((len(mine), len(mine) - shared))
        return found
