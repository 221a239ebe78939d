"""Property-based tests: the normalisers, the quantity parser and every metric's statistics."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics import CATALOGUE, Metric
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


PAIRS = {"ref": NEWSY | TEXT, "hyp": NEWSY | TEXT}
"""Any two texts, news-like or not, for the metrics' score properties."""


def _score(metric: Metric[Any], hyp: str, ref: str) -> float:
    return metric.score_from_statistics(metric.statistics(hyp, metric.prepare_reference(ref))).score


@settings(max_examples=40, deadline=None)
@given(**PAIRS)
def test_bleu_chrf_and_ter_equal_sacrebleu_on_any_text(ref: str, hyp: str) -> None:
    """sacrebleu scores the pair itself, one article as one segment; a copy is perfect
    (for BLEU from four tokens on: a shorter copy has no 4-gram, and sacrebleu gives 0)."""
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.ter import TER

    for name, theirs in (("bleu", BLEU()), ("chrf", CHRF()), ("ter", TER())):
        metric = _metric(name)
        expected = theirs.corpus_score([hyp], [[ref]]).score
        assert _score(metric, hyp, ref) == pytest.approx(expected, abs=1e-9)
    assert _score(_metric("ter"), ref, ref) == 0.0
    if ref.split():  # chrF ignores white space: anything else is a character 1-gram
        assert _score(_metric("chrf"), ref, ref) == pytest.approx(100.0)
    if len(BLEU().tokenizer(ref).split()) >= 4:
        assert _score(_metric("bleu"), ref, ref) == pytest.approx(100.0)


def _levenshtein_plain(a: str, b: str) -> int:
    """Character edit distance by the textbook dynamic programme, one row at a time."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


@settings(max_examples=40, deadline=None)
@given(**PAIRS)
def test_divergence_scores_are_their_definitions(ref: str, hyp: str) -> None:
    """PINC: the share of the paraphrase's distinct n-grams not in the clean article,
    averaged over the n that it has; edit distance: Levenshtein over the longer length,
    the same both ways round. A copy diverges by exactly 0 on both."""
    words_h, words_r = hyp.lower().split(), ref.lower().split()
    shares = []
    for n in range(1, 5):
        mine = {tuple(words_h[i : i + n]) for i in range(len(words_h) - n + 1)}
        theirs = {tuple(words_r[i : i + n]) for i in range(len(words_r) - n + 1)}
        if mine:
            shares.append(len(mine - theirs) / len(mine))
    pinc = _metric("pinc")
    assert _score(pinc, hyp, ref) == pytest.approx(100 * sum(shares) / len(shares) if shares else 0)
    assert _score(pinc, ref, ref) == 0.0

    edit = _metric("edit_distance")
    longer = max(len(hyp), len(ref))
    expected = 100 * _levenshtein_plain(hyp, ref) / longer if longer else 0.0
    assert _score(edit, hyp, ref) == pytest.approx(expected)
    assert _score(edit, ref, hyp) == pytest.approx(expected)
    assert _score(edit, ref, ref) == 0.0


@settings(max_examples=40, deadline=None)
@given(**PAIRS)
def test_artefacts_count_only_marked_text_and_none_in_a_copy(ref: str, hyp: str) -> None:
    """Every artefact has a brace, "[[", "]]", "%s" or "%d": without one a text has none.
    A copy has only the clean article's own, which do not count. The rate is per 1,000 of
    the paraphrase's white-space separated words."""
    metric = _metric("artefacts")
    count, words = metric.statistics(hyp, metric.prepare_reference(ref))
    assert words == len(hyp.split())
    if not any(mark in hyp for mark in ("{", "}", "[[", "]]", "%s", "%d")):
        assert count == 0
    assert _score(metric, hyp, ref) == (1000 * count / words if words else 0.0)
    assert _score(metric, ref, ref) == 0.0


@pytest.mark.parametrize("name", ["entities", "quantities", "meaning"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**PAIRS)
def test_fidelity_scores_lie_in_0_1_and_a_copy_scores_exactly_1(
    name: str, ref: str, hyp: str
) -> None:
    metric = _metric(name)
    assert 0.0 <= _score(metric, hyp, ref) <= 1.0
    assert _score(metric, ref, ref) == 1.0


def _harmonic(fidelity: float, divergence: float) -> float:
    """The ranking's formula: a harmonic mean weighing fidelity four times (beta = 4)."""
    return 5 / (4 / fidelity + 1 / divergence) if fidelity > 0 and divergence > 0 else 0.0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**PAIRS)
def test_ranking_is_the_harmonic_mean_of_its_parts_and_a_copy_ranks_0(ref: str, hyp: str) -> None:
    """Fidelity is the harmonic mean of the three fidelity scores (0 if any is 0),
    divergence 1 - self-BLEU / 100 (sacrebleu's, with effective order; two texts with
    no token are identical)."""
    from sacrebleu.metrics.bleu import BLEU

    parts = [_score(_metric(n), hyp, ref) for n in ("entities", "quantities", "meaning")]
    fidelity = 3 / sum(1 / p for p in parts) if min(parts) > 0 else 0.0
    self_bleu = BLEU(effective_order=True)
    tokens = self_bleu.tokenizer(hyp).split() or self_bleu.tokenizer(ref).split()
    bleu = self_bleu.corpus_score([hyp], [[ref]]).score
    divergence = min(max(1 - bleu / 100, 0.0), 1.0) if tokens else 0.0
    ranking = _metric("ranking")
    assert _score(ranking, hyp, ref) == pytest.approx(_harmonic(fidelity, divergence))
    assert 0.0 <= _score(ranking, hyp, ref) <= 1.0
    assert _score(ranking, ref, ref) == 0.0


@pytest.mark.parametrize("name", FAST)
@settings(max_examples=25, deadline=None)
@given(pairs=st.lists(st.tuples(NEWSY, NEWSY), min_size=1, max_size=5), data=st.data())
def test_summing_statistics_is_order_independent(
    name: str, pairs: list[tuple[str, str]], data: st.DataObject
) -> None:
    metric = _metric(name)
    rows = [metric.statistics(h, metric.prepare_reference(r)) for h, r in pairs]
    shuffled = data.draw(st.permutations(rows))
    by_column = [sum(column) for column in zip(*rows, strict=True)]
    assert metric.sum(rows) == metric.sum(shuffled) == by_column


@settings(max_examples=60, deadline=None)
@given(ref=NEWSY, hyp=NEWSY | TEXT)
def test_every_fact_gets_one_status_and_a_copy_keeps_every_fact(ref: str, hyp: str) -> None:
    """A fact found is where the analysis says it is; in a copy each is found as written."""
    (facts,) = EXTRACTOR.extract([ref])
    result = analyse(facts, hyp)
    assert [o.fact for o in result.entities] == list(facts.entities)
    assert [o.fact for o in result.quantities] == list(facts.quantities)
    for outcome in (*result.entities, *result.quantities):
        assert outcome.status in ("preserved", "normalized", "mangled", "dropped")
        if outcome.status == "preserved":
            assert outcome.found == outcome.fact.text
        if outcome.found is not None and outcome.at is not None:
            assert hyp[outcome.at :].startswith(outcome.found)
    copy = analyse(facts, ref)
    assert {o.status for o in (*copy.entities, *copy.quantities)} <= {"preserved"}
    assert copy.invented_names == copy.invented_quantities == ()


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
