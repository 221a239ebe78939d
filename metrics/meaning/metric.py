"""Meaning fidelity: are the clean article's claims still made, and made the same way?

Names and numbers can all survive a paraphrase that says the opposite
("Russia has not rejected the truce") or swaps who did what to whom. This
metric aligns the sentences of the two texts, reads the propositions of each
sentence from spaCy's dependency parse, and gives each a verdict (see
``verdicts``). Per article it counts the verdicts; the corpus scores come from
their sums:

    recall        = kept / (kept + changed + tainted + w * dropped)   (1 when there are none)
    precision     = supported / (supported + misleading + contradicting + w * added)
    meaning F1    = 2 R P / (R + P)                                (the score)
    contradictions per article = contradicting / articles

A *tainted* claim (on the paraphrase side, *misleading*) is kept but sits in a
sentence whose main claim was negated, reversed or had its roles swapped: the
sentence misleads about all it says.
``w`` (``dropped_weight``, 0.25 by default) is what a claim found nowhere costs
against a claim found and changed. A changed claim misleads; a claim the
parser cannot find may only be reworded past what it can match (an honest
rewrite loses many that way), so by default it costs a quarter as much. A
text that keeps no claim at all (an empty paraphrase, a word salad) still
scores 0, and a copy 1, whatever ``w``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from metrics.base import Direction, FloatArray, Metric, Score, Statistics
from metrics.facts.extract import sha256_text
from metrics.facts.memo import Recent
from metrics.facts.spacy_ner import expect_parses
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
from metrics.text import NORMALISER_VERSION, normalise
from metrics.version import __version__

STATISTICS = (
    "clean", *CLEAN_VERDICTS, "paraphrase", *PARAPHRASE_VERDICTS, "articles",
)  # fmt: skip
_AT = {name: i for i, name in enumerate(STATISTICS)}
RECENT = 256
_RECENT: Recent[tuple[str, ...], tuple[Reading, Analysis]] = Recent(RECENT)
"""The process's last RECENT analyses, shared by every Meaning with the same parser,
lexicon and judge: the ranking's own Meaning finds those of the meaning metric."""
DROPPED_WEIGHT = 0.25


def recall_precision_f1(
    sums: FloatArray, dropped_weight: float = DROPPED_WEIGHT
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Meaning recall, precision and F1 of each row of summed statistics."""
    kept, supported = sums[:, _AT["kept"]], sums[:, _AT["supported"]]
    clean = sums[:, _AT["clean"]] - (1 - dropped_weight) * sums[:, _AT["dropped"]]
    para = sums[:, _AT["paraphrase"]] - (1 - dropped_weight) * sums[:, _AT["added"]]
    with np.errstate(divide="ignore", invalid="ignore"):
        recall = np.where(clean > 0, kept / clean, 1.0)
        precision = np.where(para > 0, supported / para, 1.0)
        f1 = np.where(recall + precision > 0, 2 * recall * precision / (recall + precision), 0.0)
    # An empty paraphrase of an article with claims keeps nothing: F1 0, not 1.
    return recall, precision, f1


class Meaning(Metric[Reading]):
    """Meaning F1 (0-1): clean propositions kept (recall), paraphrase ones supported
    (precision), a claim found nowhere weighing ``dropped_weight`` of a changed one;
    details count each verdict and the contradictions per article."""

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
        dropped_weight: float = DROPPED_WEIGHT,
        wordnet_dir: str | None = None,
        parser: Parser | None = None,
        model: str | None = None,
        **model_options: Any,
    ) -> None:
        if not 0 < dropped_weight <= 1:
            raise ValueError("meaning: dropped_weight must be in (0, 1]")
        self.dropped_weight = float(dropped_weight)
        self.lexicon = Lexicon(wordnet_dir)
        self.judge = None if model is None else nli.make_judge(model, **model_options)
        self._parser = parser
        if parser is None:
            expect_parses()  # the fact extractor then parses a clean article for both at once

    @property
    def parser(self) -> Parser:
        if self._parser is None:
            self._parser = default_parser()
        return self._parser

    @property
    def options(self) -> dict[str, Any]:
        return {"dropped_weight": self.dropped_weight}

    @property
    def statistic_names(self) -> tuple[str, ...]:
        return STATISTICS

    @property
    def signature(self) -> str:
        return (
            f"{self.parser.signature}|{self.lexicon.signature}|align:{ALIGN_VERSION}"
            f"|verdicts:{VERDICTS_VERSION}|dropped:{self.dropped_weight:g}"
            f"|text:{NORMALISER_VERSION}|v:{__version__}"
        ) + ("" if self.judge is None else f"|model:{self.judge.signature}")

    def prepare_references(self, references: Sequence[str]) -> list[Reading]:
        # Read as a reader sees the text (metrics.text): invisible characters, odd
        # spaces, NFD, full-width digits and curly quotes change no claim.
        return self.parser.references([normalise(r).text for r in references])

    def prepare_reference(self, reference: str) -> Reading:
        return self.prepare_references([reference])[0]

    def _analysis(self, hypothesis: str, reference: Reading) -> tuple[Reading, Analysis]:
        """The paraphrase's reading and its analysis against the clean reading, remembered
        for the last few pairs so that statistics and diagnostics share one parse."""
        judge = "" if self.judge is None else self.judge.signature
        reader = f"{id(self.parser)}|{self.parser.signature}|{self.lexicon.folder}|{judge}"
        key = (reader, sha256_text(hypothesis), reference.sha256)
        found = _RECENT.get(key)
        if found is None:
            reading = self.parser.hypothesis(normalise(hypothesis).text)
            found = (reading, analyse(reference, reading, self.lexicon))
            if self.judge is not None:
                found = (reading, nli.apply(self.judge, reference, reading, found[1]))
            _RECENT.put(key, found)
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
        recall, precision, f1 = (float(a[0]) for a in recall_precision_f1(row, self.dropped_weight))
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
        return recall_precision_f1(sums, self.dropped_weight)[2]
