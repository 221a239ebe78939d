"""Intervals, paired tests, Holm and rank clusters, against sacrebleu and hand computations."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pytest
from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF
from sacrebleu.significance import PairedTest

from bench.stats import analyse, clusters, holm, resample_counts
from metrics import CATALOGUE, Bleu, Chrf, Direction, Metric
from tests.conftest import DATASETS


def _texts(path: str) -> list[str]:
    return [json.loads(x)["text"] for x in (DATASETS / path).open(encoding="utf-8")]


def _matrix(metric: Metric[Any], hyps: list[str], refs: list[str]) -> np.ndarray:
    prepared = metric.prepare_references(refs)
    return np.array(
        [metric.statistics(h, r) for h, r in zip(hyps, prepared, strict=True)], dtype=np.float64
    )


def _spin(text: str, every: int) -> str:
    """Drop every ``every``-th word: a cheap, deterministic damage."""
    return " ".join(w for i, w in enumerate(text.split()) if i % every)


def test_holm_by_hand() -> None:
    # Sorted 0.01, 0.03, 0.04 -> 3*0.01 = 0.03, 2*0.03 = 0.06, max(0.06, 1*0.04) = 0.06.
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])


def test_clusters_by_hand() -> None:
    scores = {"a": 30.0, "b": 29.5, "c": 20.0, "d": 10.0}
    significant = {
        frozenset(p): v
        for p, v in {
            ("a", "b"): False, ("a", "c"): True, ("a", "d"): True,
            ("b", "c"): True, ("b", "d"): True, ("c", "d"): True,
        }.items()
    }  # fmt: skip
    assert clusters(list(scores), scores, Direction.HIGHER, significant) == {
        "a": "1-2", "b": "1-2", "c": "3", "d": "4",
    }  # fmt: skip
    # b not separable from c either: a boundary needs *every* pair across it significant.
    significant[frozenset(("b", "c"))] = False
    assert clusters(list(scores), scores, Direction.HIGHER, significant)["c"] == "1-3"


def test_resamples_are_sacrebleus() -> None:
    counts = resample_counts(5, 3, seed=12345)
    indices = np.random.default_rng(12345).choice(5, size=(3, 5), replace=True)
    expected = np.stack([np.bincount(row, minlength=5) for row in indices])
    assert (counts == expected).all()


def test_p_values_agree_with_sacrebleu_paired_bs() -> None:
    refs = _texts("news/articles.jsonl")
    baseline = _texts("news/outputs/careful-rewrite.jsonl")
    systems = {"baseline": baseline, "drop7": [_spin(t, 7) for t in baseline],
               "drop3": [_spin(t, 3) for t in baseline]}  # fmt: skip
    metrics = [("bleu", Bleu()), ("chrf", Chrf())]
    stats = {key: {name: _matrix(m, hyps, refs) for name, hyps in systems.items()}
             for key, m in metrics}  # fmt: skip
    ours = analyse(metrics, stats, resamples=1000, seed=12345)

    test = PairedTest(
        [(name, hyps) for name, hyps in systems.items()],
        {"BLEU": BLEU(), "chrF": CHRF()}, [refs], test_type="bs", n_samples=1000,
    )  # fmt: skip
    _, theirs = test()
    for ours_key, their_key in (("bleu", "BLEU"), ("chrf", "chrF2")):  # keyed by score name
        their_results = dict(zip(theirs["System"], theirs[their_key], strict=True))
        for other in ("drop7", "drop3"):
            # sacrebleu's first system is the baseline it compares every other one to.
            result = their_results[next(s for s in their_results if other in s)]
            ours_p = next(
                c.p
                for c in ours.comparisons
                if c.metric == ours_key and {c.a, c.b} == {"baseline", other}
            )
            assert abs(ours_p - result.p_value) <= 0.01, (ours_key, other, ours_p, result.p_value)


def test_identical_outputs_share_a_cluster_with_p_one() -> None:
    refs = _texts("news/articles.jsonl")
    hyps = _texts("news/outputs/careful-rewrite.jsonl")
    metric = Bleu()
    matrix = _matrix(metric, hyps, refs)
    for test in ("bootstrap", "ar"):
        found = analyse([("bleu", metric)], {"bleu": {"a": matrix, "b": matrix.copy()}},
                        resamples=500, seed=1, test=test)  # fmt: skip
        (comparison,) = found.comparisons
        assert comparison.p == 1.0 and not comparison.significant
        assert found.clusters["bleu"] == {"a": "1-2", "b": "1-2"}


def test_dropping_half_the_entities_is_significant_on_entity_recall() -> None:
    """On the news set, blanking out half of each article's names loses, significantly."""
    refs = _texts("news/articles.jsonl")
    metric = CATALOGUE["entity_recall"].build()
    facts = metric.prepare_references(refs)
    dropped = []
    for text, found in zip(refs, facts, strict=True):
        for fact in found.entities[::2]:
            for surface in fact.surfaces:
                text = re.sub(rf"(?<!\w){re.escape(surface)}(?!\w)", "someone", text)
        dropped.append(text)
    stats = {"entity_recall": {"keeps": _matrix(metric, refs, refs),
                               "drops": _matrix(metric, dropped, refs)}}  # fmt: skip
    found = analyse([("entity_recall", metric)], stats, resamples=1000, seed=12345)
    (comparison,) = found.comparisons
    assert comparison.significant and comparison.p < 0.01
    assert found.clusters["entity_recall"] == {"keeps": "1", "drops": "2"}
    keeps = found.intervals["entity_recall"]["keeps"]
    assert keeps.low == keeps.high == 1.0


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    refs = _texts("news/articles.jsonl")
    hyps = _texts("news/outputs/careful-rewrite.jsonl")
    stats = {"bleu": {"a": _matrix(Bleu(), hyps, refs),
                      "b": _matrix(Bleu(), [_spin(h, 9) for h in hyps], refs)}}  # fmt: skip
    first = analyse([("bleu", Bleu())], stats, resamples=300, seed=7)
    again = analyse([("bleu", Bleu())], stats, resamples=300, seed=7)
    other = analyse([("bleu", Bleu())], stats, resamples=300, seed=8)
    assert first == again
    assert first.intervals != other.intervals
    assert "seed:7" in first.signature and "n:300" in first.signature


def test_interval_contains_the_corpus_score() -> None:
    refs = _texts("news/articles.jsonl")
    hyps = _texts("news/outputs/careful-rewrite.jsonl")
    matrix = _matrix(Chrf(), hyps, refs)
    found = analyse([("chrf", Chrf())], {"chrf": {"a": matrix}}, resamples=1000, seed=3)
    interval = found.intervals["chrf"]["a"]
    actual = CHRF().corpus_score(hyps, [refs]).score
    assert interval.low < actual < interval.high
    assert 0 < interval.high - interval.low < 10


def test_one_article_gives_no_significance() -> None:
    metric = Bleu()
    refs = ["The UK paid £1.6 billion for missiles on Tuesday."]
    stats = {"bleu": {"good": _matrix(metric, refs, refs),
                      "bad": _matrix(metric, ["Nothing like it."], refs)}}  # fmt: skip
    found = analyse([("bleu", metric)], stats, resamples=200, seed=1)
    (comparison,) = found.comparisons
    assert comparison.difference > 50 and comparison.p == 1.0 and not comparison.significant
    assert found.clusters["bleu"] == {"good": "1-2", "bad": "1-2"}
