"""metrics.text: invisible differences removed, and the way back to the text given."""

from __future__ import annotations

import unicodedata

import pytest

from metrics.text import _INVISIBLE, _SPACES, normalise


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Zu\u0308rich", "Zürich"),  # NFD -> NFC
        (
            "a\u0323\u0302 \u212b \u0301",
            "\u1ead \u00c5 \u0301",
        ),  # two marks; a singleton; a lone mark
        ("9,000\u00a0jobs", "9,000 jobs"),  # no-break space
        ("5\u202fkm", "5 km"),  # narrow no-break space
        ("\ufeffThe M\u200darch\u00adbank report", "The Marchbank report"),
        ("20\u200b25", "2025"),
        ("\uff11\uff12\uff05", "12%"),  # full-width digits and percent sign
        ("\u2018it\u2019s\u2019 \u201cso\u201d", "'it's' \"so\""),
        ("2019\u20132022, \u22125C, Sheffield\u2010based", "2019-2022, -5C, Sheffield-based"),
        ("a \u2014 b", "a \u2014 b"),  # the em dash stays: a sentence's dash, not a hyphen
        ("x\u00b2, \u00bd, \ufb01le", "x\u00b2, \u00bd, \ufb01le"),  # other NFKC folds stay
    ],
)
def test_what_changes(given: str, expected: str) -> None:
    assert normalise(given).text == expected


def test_nfc_as_unicodedata_does_it() -> None:
    """On the NFD and NFKD forms of text with accents in every place, and with marks
    in both orders, the result is what unicodedata's NFC makes of the whole text."""
    text = "Éric Zoë Ångström café naïve São Paulo Dvořák ệ ḍ̇ \u212b x\u0301\u0323"
    for form in ("NFD", "NFKD", "NFC"):
        given = unicodedata.normalize(form, text)
        assert normalise(given).text == unicodedata.normalize("NFC", given)


def test_a_text_without_them_is_returned_as_it_is() -> None:
    text = 'Marchbank said £2.4bn \u2014 Zürich\'s "plan".'
    result = normalise(text)
    assert result.text is text and result.starts is None
    assert result.at(15, 6) == (15, "£2.4bn")


def test_positions_map_back_to_the_text_given() -> None:
    given = "\ufeffThe Zu\u0308rich M\u200darch\u00adbank\u00a0report"
    result = normalise(given)
    assert result.text == "The Zürich Marchbank report"
    # Worked out by hand: "The" at 0 in the result is at 1 in the text given (after the
    # mark); "Zürich" (4-10) is "Zu" + combining diaeresis + "rich" (5-12); "Marchbank"
    # (11-20) keeps its joiner and soft hyphen inside (13-24).
    assert result.at(0, 3) == (1, "The")
    assert result.at(4, 6) == (5, "Zu\u0308rich")
    assert result.at(11, 9) == (13, "M\u200darch\u00adbank")
    assert result.at(21, 6) == (25, "report")
    assert result.span(5, 6) == (6, 8)  # "ü" is two characters of the text given


def test_the_removed_characters_are_invisible_format_characters() -> None:
    """Checked against Unicode's own categories: format (Cf) characters, and the
    combining grapheme joiner, which has no look of its own."""
    for c in _INVISIBLE:
        assert unicodedata.category(c) == "Cf" or c == "\u034f", hex(ord(c))
    assert all(unicodedata.category(c) == "Zs" for c in _SPACES)
    every_space = [c for c in map(chr, range(0x3001)) if unicodedata.category(c) == "Zs"]
    assert sorted(every_space) == sorted(" " + _SPACES)


def test_the_fact_metrics_read_through_it_and_answer_in_the_text_given() -> None:
    """A tiny rule-based extractor: the clean article names two people and a sum; the
    copy hides a joiner in a name and a no-break space in the sum."""
    from metrics.entities.metric import Entities
    from metrics.facts.extract import FactExtractor
    from metrics.facts.spacy_ner import rule_ner
    from metrics.quantities.metric import Quantities

    extractor = FactExtractor(rule_ner({"PERSON": ["Helen Marchbank", "Gareth Ellwood"]}))
    clean = "Helen Marchbank said £2.4 billion would go north. Gareth Ellwood disagreed."
    copy = (
        "\ufeffHelen Marc\u200dhbank said £2.4\u00a0billion would go north. "
        "Gareth Ellwood disagreed."
    )
    for metric in (Entities(extractor=extractor), Quantities(extractor=extractor)):
        reference = metric.prepare_reference(clean)
        assert metric.score_from_statistics(metric.statistics(copy, reference)).score == 1.0
    entities = Entities(extractor=extractor)
    found = {
        f["fact"]: (f["at"], f["found"])
        for f in entities.diagnose(copy, entities.prepare_reference(clean))["facts"]
    }
    # By hand: "Gareth" is at 50 in the clean text; the mark shifts everything by one, the
    # joiner everything after it by one more.
    assert found == {
        "Helen Marchbank": (1, "Helen Marc\u200dhbank"),
        "Gareth Ellwood": (52, "Gareth Ellwood"),
    }
    quantities = Quantities(extractor=extractor)
    (sum_,) = quantities.diagnose(copy, quantities.prepare_reference(clean))["facts"]
    assert (sum_["at"], sum_["found"]) == (23, "£2.4\u00a0billion")


def test_the_report_marks_facts_where_they_are_in_the_article_given() -> None:
    from bench.report import _clean_spans

    text = "Helen\u00a0Marchbank visited Zu\u0308rich."
    facts = [
        {"fact": "Helen Marchbank", "type": "PERSON", "status": "preserved"},
        {"fact": "Zürich", "type": "GPE", "status": "dropped"},
    ]
    spans = [(start, end) for start, end, _, _ in _clean_spans(text, facts)]
    assert spans == [(0, 15), (24, 31)]  # counted by hand; "Zu\u0308rich" is 7 characters
