"""The metrics' memos save time only: no score depends on what was scored before, nor on
the order in which the metrics asked, and ``memo.clear()`` empties them all."""

from __future__ import annotations

import random

import pytest

from metrics import Entities, Quantities
from metrics.base import Metric
from metrics.facts import memo
from metrics.facts.extract import FactExtractor
from metrics.facts.quantities import find_quantities
from metrics.facts.spacy_ner import rule_ner
from metrics.meaning import metric as meaning_metric
from metrics.meaning.metric import STATISTICS, Meaning
from metrics.meaning.parse import Parser

PATTERNS = {
    "PERSON": ["Keir Starmer", "Ana Ruiz"],
    "GPE": ["France", "Kenya"],
    "ORG": ["Bank of England"],
}
ARTICLES = [
    "Keir Starmer visited France on 3 May 2024. The Bank of England lent £1.6bn.",
    "Ana Ruiz said Kenya grew 5% in 2023, and 1,200 people came.",
]
PARAPHRASES = [
    ("Starmer went to France on May 3, 2024. The Bank of England lent £1.6 billion.", 0),
    ("Kir Starmer visited Frnace on 4 May 2024; the Bank lent £1.7bn.", 0),
    ("Ruiz said the Kenyan economy grew five per cent in 2023; 1,200 people came.", 1),
    ("Ana Ruiz said Kenya grew 6% in 2022, and 1,300 people came to Nairobi.", 1),
]


def _scores(extractor: FactExtractor, order: list[int], metrics_first: str) -> dict[str, list]:
    """Each paraphrase's statistics under both metrics, asked in the given order."""
    metrics: list[Metric] = [Entities(extractor=extractor), Quantities(extractor=extractor)]
    if metrics_first == "quantities":
        metrics.reverse()
    found: dict[str, list] = {}
    for i in order:
        hyp, article = PARAPHRASES[i]
        for metric in metrics:
            ref = metric.prepare_reference(ARTICLES[article])
            found[f"{metric.name}:{i}"] = list(metric.statistics(hyp, ref))
    return found


def test_scores_do_not_depend_on_order_or_on_what_was_scored_before() -> None:
    memo.clear()
    fresh = _scores(FactExtractor(rule_ner(PATTERNS)), [0, 1, 2, 3], "entities")
    extractor = FactExtractor(rule_ner(PATTERNS))
    # A process that scored other texts first, then the same pairs in other orders.
    Entities(extractor=extractor).corpus_score(
        ["Keir Starmer in Kenya, 7 June 2020.", "France lent $5bn."], ARTICLES
    )
    for seed in range(3):
        order = [0, 1, 2, 3]
        random.Random(seed).shuffle(order)
        for first in ("entities", "quantities"):
            assert _scores(extractor, order, first) == fresh
    # Worked by hand: the first paraphrase keeps all 3 entities (Starmer by his surname)
    # and both quantities (the date and the sum in other forms); the second changes the
    # day and the sum by one digit: both quantities mangled.
    entities, quantities = Entities(extractor=extractor), Quantities(extractor=extractor)
    kept = entities.score_from_statistics(fresh["entities:0"]).details
    assert (kept["total"], kept["preserved"] + kept["normalized"]) == (3, 3)
    kept = quantities.score_from_statistics(fresh["quantities:0"]).details
    assert (kept["total"], kept["normalized"]) == (2, 2)
    changed = quantities.score_from_statistics(fresh["quantities:1"]).details
    assert (changed["total"], changed["mangled"]) == (2, 2)


def test_clear_empties_every_memo_and_the_extractors_memory() -> None:
    extractor = FactExtractor(rule_ner(PATTERNS))
    metric = Entities(extractor=extractor)
    ref = metric.prepare_reference(ARTICLES[0])
    metric.statistics(PARAPHRASES[0][0], ref)
    find_quantities("It cost £5bn on 3 May.")
    assert any(memo.sizes().values())
    assert extractor._memory
    memo.clear()
    assert not any(memo.sizes().values())
    assert not extractor._memory
    # Cleared, the same pair scores the same.
    assert metric.statistics(PARAPHRASES[0][0], metric.prepare_reference(ARTICLES[0])) == (
        metric.statistics(PARAPHRASES[0][0], ref)
    )


MEANING_PAIRS = [
    ("Russia has not rejected the truce proposed by France.", 0),
    ("France has rejected the truce proposed by Russia.", 0),
    ("The truce proposed by France was rejected by Russia.", 0),
    ("Kenya refused the loan offered by the bank.", 1),
]
MEANING_ARTICLES = [
    "Russia has rejected the truce proposed by France.",
    "Kenya accepted the loan offered by the bank.",
]


def _meaning_rows(metric: Meaning, order: list[int]) -> dict[int, list[float]]:
    found = {}
    for i in order:
        hyp, article = MEANING_PAIRS[i]
        found[i] = list(metric.statistics(hyp, metric.prepare_reference(MEANING_ARTICLES[article])))
    return found


@pytest.mark.slow  # loads spaCy's parser and WordNet (about 4 s)
def test_meaning_does_not_depend_on_order_and_clear_empties_its_memory() -> None:
    memo.clear()
    # One parser for both metrics: its readings are the same whoever asks; what is tried
    # here is the memory of the last pairs.
    parser = Parser(None)
    fresh = _meaning_rows(Meaning(parser=parser), [0, 1, 2, 3])
    metric = Meaning(parser=parser)
    metric.statistics("Kenya refused the loan.", metric.prepare_reference(MEANING_ARTICLES[1]))
    for seed in range(2):
        order = [0, 1, 2, 3]
        random.Random(seed).shuffle(order)
        assert _meaning_rows(metric, order) == fresh
    # By hand (see tests/test_meaning.py): the negation changes the first claim (one
    # contradiction), the swapped roles change both, the passive keeps both.
    contradicting = STATISTICS.index("contradicting")
    assert [fresh[i][contradicting] for i in range(3)] == [1, 2, 0]
    # The last pairs are remembered once a process (shared by every Meaning with this
    # parser): the four pairs and the extra one.
    assert len(meaning_metric._RECENT) == 5
    memo.clear()
    assert len(meaning_metric._RECENT) == 0
    assert _meaning_rows(metric, [3, 2, 1, 0]) == fresh
