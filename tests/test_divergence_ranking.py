"""Divergence and the ranking score against values computed by hand."""

from __future__ import annotations

import pytest

from metrics import EditDistance, Pinc, Ranking
from metrics.facts.extract import FactExtractor
from metrics.facts.spacy_ner import rule_ner
from metrics.ranking.metric import harmonic


def test_pinc_by_hand() -> None:
    # 1-grams {the, cat, sat}: 1 novel of 3; 2-grams {the cat, cat sat}: 1 of 2;
    # 3-grams {the cat sat}: 1 of 1; no 4-gram. PINC = 100 * (1/3 + 1/2 + 1) / 3.
    score = Pinc().corpus_score(["The cat sat"], ["the cat ran"])
    assert score.score == pytest.approx(100 * (1 / 3 + 1 / 2 + 1) / 3)


def test_pinc_pools_articles_before_the_ratio() -> None:
    metric = Pinc()
    rows = [
        metric.statistics(h, metric.prepare_reference(r))
        for h, r in (("a b", "a b"), ("c d e", "x y z"))
    ]
    # 1-grams: 0 + 3 novel of 2 + 3; 2-grams: 0 + 2 of 1 + 2; 3-grams: 1 of 1.
    expected = 100 * (3 / 5 + 2 / 3 + 1 / 1) / 3
    assert metric.score_from_statistics(metric.sum(rows)).score == pytest.approx(expected)


def test_edit_distance_by_hand() -> None:
    # kitten -> sitting: 3 edits; the longer text has 7 characters.
    assert EditDistance().corpus_score(["kitten"], ["sitting"]).score == pytest.approx(300 / 7)
    assert EditDistance().corpus_score(["same"], ["same"]).score == 0.0
    assert EditDistance().corpus_score([""], [""]).score == 0.0


def test_harmonic_formula() -> None:
    assert harmonic(0.9, 0.5) == pytest.approx(5 / (4 / 0.9 + 1 / 0.5))
    assert harmonic(1.0, 0.0) == 0.0
    assert harmonic(0.0, 1.0) == 0.0
    assert harmonic(1.0, 1.0) == pytest.approx(1.0)


def test_copying_ranks_below_a_faithful_rewrite() -> None:
    extractor = FactExtractor(rule_ner({"PERSON": ["Keir Starmer"], "GPE": ["France"]}))
    clean = "Keir Starmer flew to France on Tuesday to sign a £2 billion deal with 12 partners."
    rewrite = (
        "On Tuesday Keir Starmer travelled to France, where he signed a £2bn agreement "
        "with 12 partners."
    )
    spun = "Keir Starmer went to Frence on Tuesday to sign a £3 billion deal with 12 partners."
    mangled = "Kir Stmper went to Frence on Tuesday to sign a £3 billion deal with 12 partners."
    metric = Ranking(extractor=extractor)
    copy = metric.corpus_score([clean], [clean])
    faithful = metric.corpus_score([rewrite], [clean])
    damaged = metric.corpus_score([spun], [clean])
    assert copy.score == 0.0 and copy.details["fidelity"] == 1.0
    assert faithful.details["fidelity"] == 1.0
    assert faithful.score > damaged.score > copy.score
    # Fidelity is the harmonic mean of the three parts, each scored on its own.
    entities, quantities, meaning, _ = metric.parts
    parts = [m.corpus_score([spun], [clean]).score for m in (entities, quantities, meaning)]
    assert 0 < min(parts) < 1
    assert damaged.details["fidelity"] == pytest.approx(3 / sum(1 / p for p in parts))
    # Every name lost: entity F1 0, so fidelity 0 whatever the other parts keep.
    assert metric.parts[0].corpus_score([mangled], [clean]).score == 0.0
    assert metric.corpus_score([mangled], [clean]).details["fidelity"] == 0.0
    # The score is exactly the formula over its reported parts.
    assert faithful.score == pytest.approx(
        harmonic(faithful.details["fidelity"], faithful.details["divergence"])
    )


def test_pinc_of_texts_too_large_to_pack_counts_sets() -> None:
    """Over 2**15 distinct words between the two texts: the set path, same definition."""
    from metrics import Pinc

    ref = " ".join(f"r{i}" for i in range(20_000)) + " shared words here"
    hyp = " ".join(f"h{i}" for i in range(20_000)) + " shared words here"
    metric = Pinc()
    prepared = metric.prepare_reference(ref)
    assert prepared.novel(hyp.lower().split(), 4) is None  # the fallback is what is tested
    assert metric.statistics(hyp, prepared) == [
        20_003,
        20_000,
        20_002,
        20_000,
        20_001,
        20_000,
        20_000,
        20_000,
    ]
