"""TER (Snover et al., 2006) at document level, as sacrebleu computes it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from sacrebleu.metrics.lib_ter import translation_edit_rate
from sacrebleu.metrics.ter import TER as SacreTER
from sacrebleu.metrics.ter import TERScore

from metrics.base import Direction, Metric, Score, Statistics
from metrics.sacrebleu_support import signature_of


class Ter(Metric[list[str]]):
    """Translation edit rate: edits (with shifts) per reference word; lower is better.

    Statistics per article: ``[edits, ref_len]``. Whole-document TER is
    quadratic in article length (about half a minute for a 900-word pair), so
    it is not in the default metric set.
    """

    name: ClassVar[str] = "ter"
    direction: ClassVar[Direction] = Direction.LOWER
    perfect: ClassVar[float] = 0.0
    description: ClassVar[str] = "TER: word edits with shifts per reference word (sacrebleu); slow"

    def __init__(
        self,
        *,
        normalized: bool = False,
        no_punct: bool = False,
        asian_support: bool = False,
        case_sensitive: bool = False,
    ) -> None:
        self._options: dict[str, Any] = {
            "normalized": normalized,
            "no_punct": no_punct,
            "asian_support": asian_support,
            "case_sensitive": case_sensitive,
        }
        sacre = SacreTER(**self._options)
        self._tokenizer = sacre.tokenizer
        self._signature = signature_of(sacre)

    @property
    def options(self) -> dict[str, Any]:
        return dict(self._options)

    @property
    def statistic_names(self) -> tuple[str, ...]:
        return ("edits", "ref_len")

    @property
    def signature(self) -> str:
        return self._signature

    def _words(self, text: str) -> list[str]:
        return str(self._tokenizer(text.rstrip())).split()

    def prepare_reference(self, reference: str) -> list[str]:
        return self._words(reference)

    def statistics(self, hypothesis: str, reference: list[str]) -> Statistics:
        edits, ref_len = translation_edit_rate(self._words(hypothesis), reference)
        return [edits, ref_len]

    def score_from_statistics(self, statistics: Sequence[float]) -> Score:
        edits, ref_len = statistics[0], statistics[1]
        if ref_len > 0:
            rate = edits / ref_len
        else:  # empty reference: any edit is a full error
            rate = 1.0 if edits > 0 else 0.0
        result = TERScore(100 * rate, edits, ref_len)
        return Score(
            metric=self.name,
            name=result.name,
            score=float(result.score),
            signature=self._signature,
            direction=self.direction,
            formatted=str(result.format()),
            details={"edits": edits, "ref_len": ref_len},
        )
