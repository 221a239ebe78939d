"""Meaning fidelity: are the clean article's claims still made, and made the same way?

Names and numbers can all survive a paraphrase that says the opposite
("Russia has not rejected the truce") or swaps who did what to whom. This
metric aligns the sentences of the two texts, reads the propositions of each
sentence from spaCy's dependency parse, and gives each a verdict (see
``verdicts``). Per article it counts the verdicts; the corpus scores come from
their sums:

    recall        = kept / clean propositions                 (1 when there are none)
    precision     = supported / paraphrase propositions        (1 when there are none)
    meaning F1    = 2 R P / (R + P)                            (the score)
    contradictions per article = contradicting / articles
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from metrics import __version__
from metrics.base import Direction, FloatArray, Metric, Score, Statistics
from metrics.meaning import nli
from metrics.meaning.align import ALIGN_VERSION
from metrics.meaning.lexicon import Lexicon
from metrics.meaning.parse import Parser, default_parser
from metrics.meaning.reading import Reading
from metrics.meaning.verdicts import (
    CLEAN_VERDICTS,
    PARAPHRASE_VERDICTS,
    VERDICTS_VERSION,
    Analysis,
    analyse,
    explain,
)

STATISTICS = (
    "clean", *CLEAN_VERDICTS, "paraphrase", *PARAPHRASE_VERDICTS, "articles",
)  # fmt: skip
_AT = {name: i for i, name in enumerate(STATISTICS)}
RECENT = 256


def recall_precision_f1(sums: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Meaning recall, precision and F1 of each row of summed statistics."""
    clean, kept = sums[:, _AT["clean"]], sums[:, _AT["kept"]]
    para, supported = sums[:, _AT["paraphrase"]], sums[:, _AT["supported"]]
    with np.errstate(divide="ignore", invalid="ignore"):
        recall = np.where(clean > 0, kept / clean, 1.0)
        precision = np.where(para > 0, supported / para, 1.0)
        f1 = np.where(recall + precision > 0, 2 * recall * precision / (recall + precision), 0.0)
    # An empty paraphrase of an article with claims keeps nothing: F1 0, not 1.
    return recall, precision, f1


class Meaning(Metric[Reading]):
    """Meaning F1 (0-1): clean propositions kept (recall), paraphrase ones supported
    (precision); details count each verdict and the contradictions per article."""

    name: ClassVar[str] = "meaning"
    direction: ClassVar[Direction] = Direction.HIGHER
    perfect: ClassVar[float] = 1.0
    decimals: ClassVar[int] = 3
    description: ClassVar[str] = (
        "Meaning F1: the article's claims kept with their polarity, roles and certainty"
    )
    extra_columns: ClassVar[tuple[tuple[str, str], ...]] = (
        ("recall", "Mng R"),
        ("precision", "Mng P"),
        ("contradictions_per_article", "contra/art"),
    )

    def __init__(
        self,
        *,
        wordnet_dir: str | None = None,
        parser: Parser | None = None,
        model: str | None = None,
        **model_options: Any,
    ) -> None:
        self.lexicon = Lexicon(wordnet_dir)
        self.judge = None if model is None else nli.make_judge(model, **model_options)
        self._parser = parser
        self._recent: OrderedDict[tuple[str, str], tuple[Reading, Analysis]] = OrderedDict()

    @property
    def parser(self) -> Parser:
        if self._parser is None:
            self._parser = default_parser()
        return self._parser

    @property
    def statistic_names(self) -> tuple[str, ...]:
        return STATISTICS

    @property
    def signature(self) -> str:
        return (
            f"{self.parser.signature}|{self.lexicon.signature}|align:{ALIGN_VERSION}"
            f"|verdicts:{VERDICTS_VERSION}|v:{__version__}"
        ) + ("" if self.judge is None else f"|model:{self.judge.signature}")

    def prepare_references(self, references: Sequence[str]) -> list[Reading]:
        return self.parser.references(references)

    def prepare_reference(self, reference: str) -> Reading:
        return self.prepare_references([reference])[0]

    def _analysis(self, hypothesis: str, reference: Reading) -> tuple[Reading, Analysis]:
        """The paraphrase's reading and its analysis against the clean reading, remembered
        for the last few pairs so that statistics and diagnostics share one parse."""
        from metrics.facts.extract import sha256_text

        key = (sha256_text(hypothesis), reference.sha256)
        found = self._recent.pop(key, None)
        if found is None:
            reading = self.parser.hypothesis(hypothesis)
            found = (reading, analyse(reference, reading, self.lexicon))
            if self.judge is not None:
                found = (reading, nli.apply(self.judge, reference, reading, found[1]))
        self._recent[key] = found
        while len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        return found

    def statistics(self, hypothesis: str, reference: Reading) -> Statistics:
        _, analysis = self._analysis(hypothesis, reference)
        return [*analysis.counts(), 1]

    def diagnose(self, hypothesis: str, reference: Reading) -> Any:
        reading, analysis = self._analysis(hypothesis, reference)
        if self.judge is not None:
            judged = nli.judge_article(self.judge, reference, reading, analysis)
            return {**explain(reference, reading, analysis),
                    "model": nli.explain_judged(judged, reference, reading)}  # fmt: skip
        return explain(reference, reading, analysis)

    def score_from_statistics(self, statistics: Sequence[float]) -> Score:
        row = np.array([statistics], dtype=np.float64)
        recall, precision, f1 = (float(a[0]) for a in recall_precision_f1(row))
        articles = statistics[_AT["articles"]]
        contradictions = statistics[_AT["contradicting"]] / articles if articles else 0.0
        counts = {name: statistics[_AT[name]] for name in STATISTICS}
        return Score(
            metric=self.name,
            name="Meaning F1",
            score=f1,
            signature=self.signature,
            direction=self.direction,
            formatted=(
                f"Meaning F1 = {f1:.3f} (R = {recall:.3f}, P = {precision:.3f}, "
                f"contradictions/article = {contradictions:.2f})"
            ),
            details={
                "recall": recall,
                "precision": precision,
                "contradictions_per_article": contradictions,
                **counts,
            },
        )

    def scores(self, sums: FloatArray) -> FloatArray:
        return recall_precision_f1(sums)[2]
