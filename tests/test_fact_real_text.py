"""Faithful paraphrases that the fact metrics once flagged, written for these tests.

Each kind of false alarm found on human-judged text (names holding digits, date and
currency forms, a country and its adjective, aliases and acronyms inside names,
headlines and sentence-initial capitals, clitics, bare numbers and their units, words
that state a quantity) has a pair here whose paraphrase keeps every fact: both F1
scores must be 1. The last tests check that the same rules still see real damage.
"""

from __future__ import annotations

import pytest

from metrics import Entities, Quantities
from metrics.facts.extract import FactExtractor
from metrics.facts.quantities import find_quantities
from metrics.facts.spacy_ner import rule_ner

PATTERNS = {
    "GPE": ["Russia", "France", "Kenya", "Brazil", "United States"],
    "NORP": ["Russian", "French", "Kenyan", "American"],
    "ORG": ["US Senate", "Massachusetts Institute of Technology", "WHO", "Boeing",
            "Home Office"],
    "PERSON": ["Ada Okafor"],
}  # fmt: skip


@pytest.fixture(scope="module")
def extractor() -> FactExtractor:
    return FactExtractor(rule_ner(PATTERNS))


def _f1(extractor: FactExtractor, clean: str, paraphrase: str) -> tuple[float, float]:
    scores = []
    for metric in (Entities(extractor=extractor), Quantities(extractor=extractor)):
        ref = metric.prepare_reference(clean)
        scores.append(metric.score_from_statistics(metric.statistics(paraphrase, ref)).score)
    return scores[0], scores[1]


FAITHFUL = {
    "digits in a name": (
        "Flights of the Boeing 737 resumed after COVID-19 and a G7 summit.",
        "After the G7 met and COVID-19 eased, the Boeing 737 flew again.",
    ),
    "number word in a name": (
        "The Group of Seven met in France.",
        "In France, the Group of Seven met.",
    ),
    "month of year": (
        "The bridge opened in March of 2019.",
        "The bridge opened in March 2019.",
    ),
    "day of month": (
        "Voting ends on the 3rd of May.",
        "Voting ends May 3.",
    ),
    "currency code after the amount": (
        "Brazil raised 5 billion USD and lent 40bn euros.",
        "Brazil raised $5 billion and lent €40bn.",
    ),
    "yuan and the yen sign": (
        "The plant cost 300 million yuan.",
        "The plant cost ¥300 million.",
    ),
    "country and adjective": (
        "Russia's navy sailed while the French president waited.",
        "The Russian navy sailed while the president of France waited.",
    ),
    "adjective and country by alias": (
        "American states and Kenyan towns voted.",
        "Towns in Kenya and states of the US voted.",
    ),
    "alias inside a longer name": (
        "The US Senate voted on Tuesday.",
        "The United States Senate voted on Tuesday.",
    ),
    "acronym and its full name": (
        "Ada Okafor works at the Massachusetts Institute of Technology.",
        "Ada Okafor works at MIT.",
    ),
    "a name for its acronym": (
        "The DMA took effect in France.",
        "The Digital Markets Act took effect in France.",
    ),
    "a compound the article writes as one word": (
        "Ada Okafor banks with the cooperative bank.",
        "Ada Okafor banks with the Co-Operative Bank.",
    ),
    "a qualifier inside a body's name": (
        "The WHO and the Home Office met.",
        "The World Health Organization and the Home Office met.",
    ),
    "headline in title case": (
        "Ada Okafor wins the prize in Kenya.",
        "Scientist Wins Top Prize In Kenya\nAda Okafor won the prize in Kenya.",
    ),
    "sentence-initial capitals and clitics": (
        "Ada Okafor said the plan works.",
        "(Cheers) Ada Okafor said it's a plan that works. I'm sure, she added.",
    ),
    "a capital the article writes in lower case": (
        "Ada Okafor chased the french dream.",
        "Ada Okafor chased the French Dream.",
    ),
    "a lower-case tail after a hyphen": (
        "Ada Okafor runs a Kenya-based firm.",
        "Ada Okafor runs a Kenya-focused firm.",
    ),
    "a bare number and its unit": (
        "Support rose to 60 or 65 percent; it reached 44 degrees Celsius.",
        "Support rose to 60% or 65%; it reached 44 degrees.",
    ),
    "a period with a magnitude": (
        "Fourteen billion years have passed.",
        "14 billion years have passed.",
    ),
    "half in words": (
        "It has 2.5 million parts.",
        "It has two and a half million parts.",
    ),
    "dimensions and multiples": (
        "It moves in 3D space, a tenfold gain.",
        "It moves in three-dimensional space, a 10-fold gain.",
    ),
    "relative periods": (
        "Sales fell from the previous year.",
        "Sales fell from last year.",
    ),
    "a count stated by a word": (
        "Both ministers resigned today.",
        "The two ministers resigned today.",
    ),
    "ordinals that rank nothing": (
        "Ada Okafor spoke. Wait a second, she said.",
        "First, Ada Okafor spoke. Wait a second, she said.",
    ),
    "a numbered list": (
        "The group met.",
        "3) The group met.",
    ),
}


@pytest.mark.parametrize("kind", list(FAITHFUL))
def test_a_faithful_paraphrase_keeps_every_fact(extractor: FactExtractor, kind: str) -> None:
    clean, paraphrase = FAITHFUL[kind]
    assert _f1(extractor, clean, paraphrase) == (1.0, 1.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("COVID-19 and the F-35", []),
        ("the Boeing 737 landed", []),
        ("Seven people died. In 300 cases", [("Seven", "CARDINAL|7|"), ("300", "CARDINAL|300|")]),
        ("March of 2019", [("March of 2019", "DATE|2019-03|")]),
        ("5 billion USD", [("5 billion USD", "MONEY|5000000000|USD")]),
        ("300 million yuan", [("300 million yuan", "MONEY|300000000|CNY")]),
        ("three and a half", [("three and a half", "CARDINAL|3.5|")]),
        ("a fivefold rise", [("fivefold", "CARDINAL|5|")]),
        ("in 2D", [("2D", "QUANTITY|2|dim")]),
        ("the preceding quarter", [("preceding quarter", "DATE|last quarter|relative")]),
        ("First of all, go", []),
        ("the first of all", [("first", "ORDINAL|1|")]),
        ("for a second the lights", []),
        ("a second lander", [("second", "ORDINAL|2|")]),
        ("1,000 per second", [("1,000", "CARDINAL|1000|")]),
    ],
)
def test_quantities_read_by_hand(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(q.text, q.key) for q in find_quantities(text)] == expected


DAMAGED = {
    "a changed sum after the amount": (
        "Brazil raised 5 billion USD.",
        "Brazil raised $6 billion.",
        (1.0, 0.0),
    ),
    "another country": (
        "Russia's navy sailed.",
        "Kenya's navy sailed.",
        # Russia lost (recall 0); Kenya invented (precision 0)
        (0.0, 1.0),
    ),
    "a changed percentage of a bare number": (
        "Support rose to 60 or 65 percent.",
        "Support rose to 70% or 65%.",
        # 60 mangled, 65 kept: recall 1/2; 70% invented of 2 found: precision 1/2
        (1.0, 0.5),
    ),
    "a changed multiple": (
        "It was a tenfold gain.",
        "It was a 12-fold gain.",
        (1.0, 0.0),
    ),
}


@pytest.mark.parametrize("kind", list(DAMAGED))
def test_real_damage_is_still_seen(extractor: FactExtractor, kind: str) -> None:
    clean, paraphrase, expected = DAMAGED[kind]
    assert _f1(extractor, clean, paraphrase) == pytest.approx(expected)
