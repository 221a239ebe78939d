"""chrF (Popović, 2015) and chrF++ (Popović, 2017) at document level, as sacrebleu computes them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from sacrebleu.metrics.chrf import CHRF as SacreCHRF
from sacrebleu.metrics.chrf import CHRFScore
from sacrebleu.metrics.helpers import extract_all_char_ngrams, extract_word_ngrams

from metrics.base import Direction, FloatArray, Metric, Score, Statistics
from metrics.ngrams import NgramTable
from metrics.sacrebleu_support import signature_of

_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_EPS = 1e-16


def split_edge_punctuation(text: str) -> list[str]:
    """chrF++'s word split: one punctuation mark is split off a word's end, else its start."""
    words: list[str] = []
    for word in text.split():
        if len(word) > 1 and word[-1] in _PUNCTUATION:
            words += [word[:-1], word[-1]]
        elif len(word) > 1 and word[0] in _PUNCTUATION:
            words += [word[0], word[1:]]
        else:
            words.append(word)
    return words


@dataclass(frozen=True)
class ChrfReference:
    """A clean article prepared for chrF: its character (and word) n-gram counts."""

    tables: tuple[NgramTable, ...] | None
    """Character n-grams, then (chrF++) word n-grams, packed for numpy matching."""
    ngrams: list[Counter[str]] | None = None
    """Counters for the rare reference too large to pack: character orders 1..nc,
    then word orders 1..nw."""


class Chrf(Metric[ChrfReference]):
    """Character n-gram F-score; with ``word_order=2`` it is chrF++.

    Statistics per article: for every order (characters 1..nc, then words
    1..nw) the triple ``hyp_count, ref_count, matches``.
    """

    name: ClassVar[str] = "chrf"
    direction: ClassVar[Direction] = Direction.HIGHER
    description: ClassVar[str] = "chrF: character n-gram F-score (sacrebleu); chrF++ adds words"

    def __init__(
        self,
        *,
        char_order: int = 6,
        word_order: int = 0,
        beta: int = 2,
        lowercase: bool = False,
        whitespace: bool = False,
        eps_smoothing: bool = False,
    ) -> None:
        if char_order < 1 or word_order < 0 or beta < 1:
            raise ValueError("chrf: need char_order >= 1, word_order >= 0 and beta >= 1")
        self._options: dict[str, Any] = {
            "char_order": char_order,
            "word_order": word_order,
            "beta": beta,
            "lowercase": lowercase,
            "whitespace": whitespace,
            "eps_smoothing": eps_smoothing,
        }
        self._signature = signature_of(SacreCHRF(**self._options))
        self._orders = char_order + word_order

    @property
    def options(self) -> dict[str, Any]:
        return dict(self._options)

    @property
    def statistic_names(self) -> tuple[str, ...]:
        labels = [f"char{n}" for n in range(1, self._options["char_order"] + 1)]
        labels += [f"word{n}" for n in range(1, self._options["word_order"] + 1)]
        return tuple(f"{label}_{part}" for label in labels for part in ("hyp", "ref", "match"))

    @property
    def signature(self) -> str:
        return self._signature

    def _units(self, text: str) -> tuple[str, list[str]]:
        """The characters n-grams are taken from, and chrF++'s words."""
        if self._options["lowercase"]:
            text = text.lower()
        chars = text if self._options["whitespace"] else "".join(text.split())
        words = split_edge_punctuation(text) if self._options["word_order"] else []
        return chars, words

    def _ngrams(self, text: str) -> list[Counter[str]]:
        if self._options["lowercase"]:
            text = text.lower()
        counters: list[Counter[str]] = extract_all_char_ngrams(
            text, self._options["char_order"], self._options["whitespace"]
        )
        if self._options["word_order"]:
            words = split_edge_punctuation(text)
            counters += [
                extract_word_ngrams(words, n) for n in range(1, self._options["word_order"] + 1)
            ]
        return counters

    def prepare_reference(self, reference: str) -> ChrfReference:
        chars, words = self._units(reference)
        tables = [NgramTable.of_chars(chars, self._options["char_order"])]
        if self._options["word_order"]:
            tables.append(NgramTable.of_words(words, self._options["word_order"]))
        packed = [t for t in tables if t is not None]
        if len(packed) == len(tables):
            return ChrfReference(tuple(packed))
        return ChrfReference(None, self._ngrams(reference))

    def statistics(self, hypothesis: str, reference: ChrfReference) -> Statistics:
        if reference.tables is None:
            return self._counter_statistics(hypothesis, reference)
        chars, words = self._units(hypothesis)
        stats: Statistics = []
        for table in reference.tables:
            found = (
                table.matches_chars(chars) if table.words is None else table.matches_words(words)
            )
            for n, (hyp_count, matches) in enumerate(found, start=1):
                ref_count = table.total(n)
                # An order with no reference n-grams gives the hypothesis no count.
                stats += [hyp_count if ref_count else 0, ref_count, matches]
        return stats

    def _counter_statistics(self, hypothesis: str, reference: ChrfReference) -> Statistics:
        assert reference.ngrams is not None
        stats: Statistics = []
        for hyp, ref in zip(self._ngrams(hypothesis), reference.ngrams, strict=True):
            matches = 0
            hyp_count = 0
            for ngram, count in hyp.items():
                hyp_count += count
                ref_count = ref.get(ngram)
                if ref_count:
                    matches += min(count, ref_count)
            stats += [hyp_count if ref else 0, ref.total(), matches]
        return stats

    def f_score(self, statistics: Sequence[float]) -> float:
        """The chrF score (0-100) of summed statistics."""
        factor = self._options["beta"] ** 2
        eps_total = 0.0
        avg_prec = avg_rec = 0.0
        effective = 0
        for i in range(self._orders):
            n_hyp, n_ref, n_match = statistics[3 * i : 3 * i + 3]
            prec = n_match / n_hyp if n_hyp > 0 else _EPS
            rec = n_match / n_ref if n_ref > 0 else _EPS
            denom = factor * prec + rec
            eps_total += ((1 + factor) * prec * rec / denom) if denom > 0 else _EPS
            if n_hyp > 0 and n_ref > 0:
                avg_prec += prec
                avg_rec += rec
                effective += 1
        if self._options["eps_smoothing"]:
            return 100 * eps_total / self._orders
        if effective == 0:
            return 0.0
        avg_prec /= effective
        avg_rec /= effective
        if not avg_prec + avg_rec:
            return 0.0
        score = (1 + factor) * avg_prec * avg_rec
        score /= (factor * avg_prec) + avg_rec
        return float(100 * score)

    def score_from_statistics(self, statistics: Sequence[float]) -> Score:
        value = self.f_score(statistics)
        result = CHRFScore(
            value, self._options["char_order"], self._options["word_order"], self._options["beta"]
        )
        return Score(
            metric=self.name,
            name=result.name,
            score=value,
            signature=self._signature,
            direction=self.direction,
            formatted=str(result.format()),
        )

    def scores(self, sums: FloatArray) -> FloatArray:
        """``f_score`` on many rows at once."""
        factor = self._options["beta"] ** 2
        n_hyp, n_ref, n_match = sums[:, 0::3], sums[:, 1::3], sums[:, 2::3]
        with np.errstate(divide="ignore", invalid="ignore"):
            prec = np.where(n_hyp > 0, n_match / n_hyp, _EPS)
            rec = np.where(n_ref > 0, n_match / n_ref, _EPS)
            if self._options["eps_smoothing"]:
                denom = factor * prec + rec
                per_order = np.where(denom > 0, (1 + factor) * prec * rec / denom, _EPS)
                return np.asarray(100 * per_order.sum(axis=1) / self._orders, dtype=np.float64)
            valid = (n_hyp > 0) & (n_ref > 0)
            effective = valid.sum(axis=1)
            avg_prec = np.where(valid, prec, 0.0).sum(axis=1) / effective
            avg_rec = np.where(valid, rec, 0.0).sum(axis=1) / effective
            denom = factor * avg_prec + avg_rec
            score = 100 * (1 + factor) * avg_prec * avg_rec / denom
        ok = (effective > 0) & (avg_prec + avg_rec > 0)
        return np.where(ok, score, 0.0)
