"""Property-based tests: the normalisers, the quantity parser and every metric's statistics."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics import CATALOGUE, Direction, Metric
from metrics.facts.extract import FactExtractor
from metrics.facts.match import analyse
from metrics.facts.names import canonical, name_key
from metrics.facts.quantities import find_quantities, parse_number
from metrics.facts.spacy_ner import rule_ner

# Text with the characters news and spinners produce, and some they should not.
ALPHABET = st.characters(
    codec="utf-8", exclude_categories=("Cs",), include_characters="£$€%{}|.,'’-\n"
)
TEXT = st.text(alphabet=ALPHABET, max_size=300)
NEWSY = st.lists(
    st.sampled_from(["Keir", "Starmer", "UK", "Britain", "£1.6bn", "1.6", "billion", "pounds",
                     "5%", "per", "cent", "14", "March", "2025", "the", "said", "{that", "a}",
                     "Anduril", "Enduril", "Tuesday", "three", "thousand", "-", ",", "."]),
    max_size=40,
).map(" ".join)  # fmt: skip
FAST = ("bleu", "chrf", "ter", "artefacts", "pinc", "edit_distance")
EXTRACTOR = FactExtractor(rule_ner({"PERSON": ["Keir Starmer"], "GPE": ["UK", "Britain"],
                                    "ORG": ["Anduril"]}))  # fmt: skip


def _metric(name: str) -> Metric[Any]:
    if name in ("entities", "quantities", "entity_recall", "ranking"):
        return CATALOGUE[name].build(extractor=EXTRACTOR)
    return CATALOGUE[name].build()


@given(TEXT | NEWSY)
def test_quantity_parser_never_raises_and_spans_are_sound(text: str) -> None:
    previous_end = 0
    for q in find_quantities(text):
        assert previous_end <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        if q.kind in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL") and q.unit != "score":
            assert Decimal(q.value) >= 0
        previous_end = q.end


@given(st.integers(min_value=0, max_value=10**12))
def test_numbers_round_trip_with_thousands_separators(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    (found,) = find_quantities(f"paid £{n:,} to")
    assert (found.kind, found.value, found.unit) == ("MONEY", str(n), "GBP")


@given(TEXT | NEWSY)
def test_name_normalisation_is_idempotent(text: str) -> None:
    key = name_key(text)
    assert name_key(key) == key
    assert canonical(canonical(text)) == canonical(text)


@pytest.mark.parametrize("name", [*FAST, "entities", "quantities", "meaning", "ranking"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ref=NEWSY | TEXT, hyp=NEWSY | TEXT)
def test_metric_scores_stay_in_range_and_identity_is_the_ceiling(
    name: str, ref: str, hyp: str
) -> None:
    metric = _metric(name)
    prepared = metric.prepare_reference(ref)
    stats = metric.statistics(hyp, prepared)
    assert all(v >= 0 for v in stats)
    score = metric.score_from_statistics(stats).score
    copy = metric.score_from_statistics(metric.statistics(ref, prepared)).score
    if name in ("bleu", "chrf"):
        assert 0 <= score <= 100 + 1e-9
    elif name in ("entities", "quantities", "meaning"):
        assert 0 <= score <= 1
        assert copy == 1.0  # identity is the ceiling of fact and meaning fidelity
    elif name in ("pinc", "edit_distance"):
        assert 0 <= score <= 100
    elif name == "ranking":
        assert 0 <= score <= 1 and copy == 0.0
    else:
        assert score >= 0
    # A copy is the ceiling; for BLEU only from four tokens on (sacrebleu's corpus BLEU of a
    # shorter text is 0 even for a copy: it has no 4-gram).
    long_enough = name != "bleu" or len(ref.split()) >= 4
    if metric.direction is not Direction.NEUTRAL and name != "ranking" and long_enough:
        assert not metric.direction.better(score, copy) or abs(score - copy) < 1e-9


@pytest.mark.parametrize("name", FAST)
@settings(max_examples=25, deadline=None)
@given(pairs=st.lists(st.tuples(NEWSY, NEWSY), min_size=1, max_size=5), data=st.data())
def test_summing_statistics_is_order_independent(
    name: str, pairs: list[tuple[str, str]], data: st.DataObject
) -> None:
    metric = _metric(name)
    rows = [metric.statistics(h, metric.prepare_reference(r)) for h, r in pairs]
    shuffled = data.draw(st.permutations(rows))
    assert metric.sum(rows) == metric.sum(shuffled)


@settings(max_examples=60, deadline=None)
@given(ref=NEWSY, hyp=NEWSY | TEXT)
def test_fact_analysis_never_raises_and_every_fact_gets_one_status(ref: str, hyp: str) -> None:
    (facts,) = EXTRACTOR.extract([ref])
    result = analyse(facts, hyp)
    assert len(result.entities) == len(facts.entities)
    assert len(result.quantities) == len(facts.quantities)
    for outcome in (*result.entities, *result.quantities):
        assert outcome.status in ("preserved", "normalized", "mangled", "dropped")
        if outcome.status == "preserved":
            assert outcome.found is not None and outcome.found in hyp


@given(ref=NEWSY | TEXT, hyp=NEWSY | TEXT)
@settings(max_examples=300, deadline=None, derandomize=True)
def test_packed_ngram_counting_equals_sacrebleu_segment_statistics(ref: str, hyp: str) -> None:
    """BLEU and chrF(++) count n-grams with numpy; the counts are sacrebleu's, text by text."""
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF

    from metrics import Bleu, Chrf

    for ours, theirs in (
        (Bleu(), BLEU()),
        (Chrf(), CHRF()),
        (Chrf(word_order=2), CHRF(word_order=2)),
    ):
        expected = theirs._extract_corpus_statistics([hyp], [[ref]])[0]
        assert ours.statistics(hyp, ours.prepare_reference(ref)) == expected


@given(ref=NEWSY | TEXT, hyp=NEWSY | TEXT)
@settings(max_examples=300, deadline=None, derandomize=True)
def test_packed_pinc_counts_equal_sets_of_ngram_tuples(ref: str, hyp: str) -> None:
    """PINC's statistics, by definition: distinct lowercased n-grams, and those not in the ref."""
    from metrics import Pinc

    expected: list[int] = []
    for n in range(1, 5):
        words_h, words_r = hyp.lower().split(), ref.lower().split()
        mine = {tuple(words_h[i : i + n]) for i in range(len(words_h) - n + 1)}
        theirs = {tuple(words_r[i : i + n]) for i in range(len(words_r) - n + 1)}
        expected += [len(mine), len(mine - theirs)]
    metric = Pinc()
    assert metric.statistics(hyp, metric.prepare_reference(ref)) == expected


@pytest.mark.parametrize(
    "text", ["5 centſ", "3 lbſ", "2 kilogramſ", "ſeven million pounds", "ſeptember 5, 2024",
             "the fırst time", "İstanbul 5 million", "5 \u212ag", "on ſunday"],
)  # fmt: skip
def test_quantity_parser_reads_letters_the_regex_folds_to_ascii(text: str) -> None:
    """Long s, dotless i, dotted capital I and the Kelvin sign match ASCII letters
    case-insensitively; the matched words still find their table entries."""
    for quantity in find_quantities(text):
        assert text[quantity.start : quantity.end] == quantity.text
