"""BLEU (Papineni et al., 2002) at document level, computed as sacrebleu does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

import numpy as np
from sacrebleu.metrics.bleu import BLEU as SacreBLEU
from sacrebleu.metrics.helpers import extract_all_word_ngrams

from metrics.base import Direction, FloatArray, Metric, Score, Statistics
from metrics.ngrams import NgramTable
from metrics.sacrebleu_support import signature_of


@dataclass(frozen=True)
class BleuReference:
    """A clean article prepared for BLEU: its token count and its n-gram counts."""

    length: int
    table: NgramTable | None
    """The reference's n-grams, packed for numpy matching (see ``metrics.ngrams``)."""
    ngrams: Counter[tuple[str, ...]] | None = None
    """The same n-grams as a Counter, for the rare reference too large to pack."""
    text: str = ""
    """The tokenised reference: with the counting options, what the statistics depend on."""


_RECENT: dict[tuple[Any, ...], Statistics] = {}
_RECENT_SIZE = 8
"""Statistics of the last few (options, reference, hypothesis) triples. The ranking
score's self-BLEU and BLEU itself count the same n-grams of the same paraphrase, one
right after the other; the second to ask finds the first's counts here."""


class Bleu(Metric[BleuReference]):
    """Corpus BLEU with one article as one segment.

    Statistics per article: ``[hyp_len, ref_len, correct_1..N, total_1..N]``,
    the same vector sacrebleu sums, so corpus scores equal sacrebleu's.
    """

    name: ClassVar[str] = "bleu"
    direction: ClassVar[Direction] = Direction.HIGHER
    description: ClassVar[str] = "BLEU: n-gram precision with brevity penalty (sacrebleu)"

    def __init__(
        self,
        *,
        lowercase: bool = False,
        tokenize: str = "13a",
        smooth_method: str = "exp",
        smooth_value: float | None = None,
        max_ngram_order: int = 4,
        effective_order: bool = False,
    ) -> None:
        if smooth_method not in SacreBLEU.SMOOTH_DEFAULTS:
            choices = ", ".join(SacreBLEU.SMOOTH_DEFAULTS)
            raise ValueError(f"bleu: unknown smooth_method {smooth_method!r} (choose {choices})")
        if tokenize not in SacreBLEU.TOKENIZERS:
            choices = ", ".join(SacreBLEU.TOKENIZERS)
            raise ValueError(f"bleu: unknown tokenize {tokenize!r} (choose {choices})")
        if max_ngram_order < 1:
            raise ValueError("bleu: max_ngram_order must be at least 1")
        self._options: dict[str, Any] = {
            "lowercase": lowercase,
            "tokenize": tokenize,
            "smooth_method": smooth_method,
            "smooth_value": smooth_value,
            "max_ngram_order": max_ngram_order,
            "effective_order": effective_order,
        }
        self._sacrebleu = SacreBLEU(force=True, **self._options)
        tokenizer = self._sacrebleu.tokenizer
        # sacrebleu memoises tokenised lines (up to 65,536 of them); whole articles are
        # each tokenised once per system, so the memo would only hold memory.
        call = getattr(type(tokenizer).__call__, "__wrapped__", None)
        self._tokenizer: Callable[[str], str] = (
            partial(call, tokenizer) if call is not None else tokenizer
        )
        self._signature = signature_of(self._sacrebleu)
        self._order = max_ngram_order

    @property
    def options(self) -> dict[str, Any]:
        return dict(self._options)

    @property
    def statistic_names(self) -> tuple[str, ...]:
        orders = range(1, self._order + 1)
        return (
            "hyp_len",
            "ref_len",
            *(f"correct_{n}" for n in orders),
            *(f"total_{n}" for n in orders),
        )

    @property
    def signature(self) -> str:
        return self._signature

    def _tokenize(self, text: str) -> str:
        if self._options["lowercase"]:
            text = text.lower()
        return str(self._tokenizer(text.rstrip()))

    def prepare_reference(self, reference: str) -> BleuReference:
        words = self._tokenize(reference).split()
        table = NgramTable.of_words(words, self._order)
        text = " ".join(words)
        if table is not None:
            return BleuReference(len(words), table, text=text)
        ngrams, length = extract_all_word_ngrams(text, 1, self._order)
        return BleuReference(length, None, ngrams, text=text)

    def statistics(self, hypothesis: str, reference: BleuReference) -> Statistics:
        options = self._options
        key = (options["tokenize"], options["lowercase"], self._order, reference.text, hypothesis)
        found = _RECENT.get(key)
        if found is None:
            found = self._count(hypothesis, reference)
            if len(_RECENT) >= _RECENT_SIZE:
                del _RECENT[next(iter(_RECENT))]
            _RECENT[key] = found
        return list(found)

    def _count(self, hypothesis: str, reference: BleuReference) -> Statistics:
        words = self._tokenize(hypothesis).split()
        if reference.table is not None:
            pairs = reference.table.matches_words(words)
            correct = [matched for _, matched in pairs]
            total = [count for count, _ in pairs]
            return [len(words), reference.length, *correct, *total]
        assert reference.ngrams is not None
        hyp_ngrams, hyp_len = extract_all_word_ngrams(" ".join(words), 1, self._order)
        correct = [0] * self._order
        total = [0] * self._order
        for ngram, count in hyp_ngrams.items():
            n = len(ngram) - 1
            total[n] += count
            ref_count = reference.ngrams.get(ngram)
            if ref_count:
                correct[n] += min(count, ref_count)
        return [hyp_len, reference.length, *correct, *total]

    def score_from_statistics(self, statistics: Sequence[float]) -> Score:
        order = self._order
        result = SacreBLEU.compute_bleu(
            correct=[int(c) for c in statistics[2 : 2 + order]],
            total=[int(t) for t in statistics[2 + order : 2 + 2 * order]],
            sys_len=int(statistics[0]),
            ref_len=int(statistics[1]),
            smooth_method=self._options["smooth_method"],
            smooth_value=self._options["smooth_value"],
            effective_order=self._options["effective_order"],
            max_ngram_order=order,
        )
        return Score(
            metric=self.name,
            name=result.name,
            score=float(result.score),
            signature=self._signature,
            direction=self.direction,
            formatted=str(result.format()),
            details={
                "precisions": [float(p) for p in result.precisions],
                "bp": float(result.bp),
                "ratio": float(result.ratio),
                "hyp_len": int(result.sys_len),
                "ref_len": int(result.ref_len),
            },
        )

    def scores(self, sums: FloatArray) -> FloatArray:
        """sacrebleu's ``compute_bleu`` on many rows at once ("exp" smoothing only)."""
        if self._options["smooth_method"] != "exp":
            return super().scores(sums)
        order = self._order
        sys_len, ref_len = sums[:, 0], sums[:, 1]
        correct, total = sums[:, 2 : 2 + order], sums[:, 2 + order : 2 + 2 * order]
        with np.errstate(divide="ignore", invalid="ignore"):
            bp = np.where(
                sys_len < ref_len, np.where(sys_len > 0, np.exp(1 - ref_len / sys_len), 0.0), 1.0
            )
            # Orders from the first one with no n-grams on are left at precision 0.
            reached = np.cumsum(total == 0, axis=1) == 0
            # "exp" smoothing: each order with no match halves the next such precision.
            halvings = np.cumsum((correct == 0) & reached, axis=1)
            precision = np.where(
                correct > 0, 100.0 * correct / total, 100.0 / (2.0**halvings * total)
            )
            precision = np.where(reached, precision, 0.0)
            logs = np.where(precision > 0, np.log(precision), -9999999999.0)
        if self._options["effective_order"]:
            # Only the orders that have n-grams count (sacrebleu's sentence-level mode).
            effective = np.maximum(reached.sum(axis=1), 1)
            score = bp * np.exp(np.where(reached, logs, 0.0).sum(axis=1) / effective)
        else:
            score = bp * np.exp(logs.sum(axis=1) / order)
        return np.where(correct.sum(axis=1) > 0, score, 0.0)
