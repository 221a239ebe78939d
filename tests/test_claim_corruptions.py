"""The corruptions that keep every name and number and change the claim:
``claim-flip``, ``role-swap``, ``word-salad`` (and the antonyms behind claim-flip)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bench.config import SystemSpec
from bench.data.article import Article
from bench.systems import build_system
from bench.systems.antonyms import antonym
from bench.systems.wordnet import load, locate

NEWS = Path(__file__).resolve().parents[1] / "datasets" / "news" / "articles.jsonl"


def _run(kind: str, text: str, **options: object) -> str:
    return build_system(SystemSpec(kind, kind, dict(options))).paraphrase(Article("a1", text))


def _news() -> list[Article]:
    rows = [json.loads(line) for line in NEWS.read_text(encoding="utf-8").splitlines()]
    return [Article(row["id"], row["text"]) for row in rows]


def _sentences(text: str) -> list[str]:
    """Split after every full stop, question or exclamation mark (and a closing quote):
    cruder than the corruptions' splitter, but blind to what a sentence starts with."""
    return re.split(r"(?<=[.!?])\s+|(?<=[.!?][\"”’])\s+", text)


@pytest.mark.parametrize(
    ("word", "previous", "expected"),
    [
        ("rose", "", "fell"),  # irregular past -> irregular past
        ("fell", "", "rose"),
        ("risen", "have", "fallen"),  # irregular participles
        ("won", "", "lost"),
        ("increased", "", "decreased"),  # regular forms
        ("increasing", "", "decreasing"),
        ("rises", "", "falls"),
        ("rejected", "has", "accepted"),
        ("higher", "", "lower"),  # comparison, regular and irregular
        ("largest", "", "smallest"),
        ("better", "", "worse"),
        ("more", "", "less"),
        ("began", "", "ended"),  # 'began' / 'begun' both end in n: the past is the 'a'
        ("said", "", None),  # no antonym in WordNet
    ],
)
def test_antonyms_in_the_same_form(word: str, previous: str, expected: str | None) -> None:
    assert antonym(load(locate()), word, previous) == expected


@pytest.mark.parametrize(
    ("sentence", "flips"),
    [
        # by hand: every single flip the sentence allows
        (
            "Russia has rejected the truce.",
            {"Russia has not rejected the truce.", "Russia has accepted the truce."},
        ),
        ("They did not agree.", {"They did agree."}),
        ("The council cannot pay.", {"The council can pay."}),
        ("Officials didn’t say.", {"Officials did say."}),
        ("Shares rose 5% on Monday.", {"Shares fell 5% on Monday."}),
        ("Labour won the seat.", {"Labour lost the seat."}),
        ("Prices have risen.", {"Prices have not risen.", "Prices have fallen."}),
    ],
)
def test_claim_flip_makes_one_flip_per_sentence(sentence: str, flips: set[str]) -> None:
    seen = {_run("claim-flip", sentence, seed=seed) for seed in range(8)}
    assert seen <= flips and seen


def test_role_swap_exchanges_subject_and_object() -> None:
    # Worked out by hand from the parse: subject "Russia", object "the truce proposed by
    # France"; in the passive, the subject and the "by" agent.
    assert (
        _run("role-swap", "Russia has rejected the truce proposed by France.")
        == "The truce proposed by France has rejected Russia."
    )
    assert _run("role-swap", "The truce was rejected by Russia.") == (
        "Russia was rejected by the truce."
    )
    assert _run("role-swap", "Labour won the seat.") == "The seat won Labour."
    # Nothing to swap: no object, or only pronouns.
    assert _run("role-swap", "Prices have risen since March.") == "Prices have risen since March."
    assert _run("role-swap", "He told them.") == "He told them."
    # A symmetric verb: exchanging its subject and object would not change the claim.
    assert _run("role-swap", "France met Russia.") == "France met Russia."


def _words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text))


def _fixed(text: str) -> list[str]:
    """The names and numbers of a text in order: capitalised words and digit runs."""
    return re.findall(r"\b[A-Z]\w*|\d[\d,.]*", text)


@pytest.mark.slow
def test_the_three_change_each_touched_sentence_and_keep_its_words() -> None:
    """On every article of the news set: the same sentences, each touched one
    changed, the same words in it (a flip adds or drops 'not', or swaps one word)."""
    for article in _news():
        clean = _sentences(article.text)
        salad = _sentences(_run("word-salad", article.text))
        swapped = _sentences(_run("role-swap", article.text))
        flipped = _sentences(_run("claim-flip", article.text))
        assert len(clean) == len(salad) == len(swapped) == len(flipped), article.id
        for before, mixed, swap, flip in zip(clean, salad, swapped, flipped, strict=True):
            assert _words(mixed) == _words(before)
            assert _fixed(mixed) == _fixed(before)  # names and numbers in place
            assert _words(swap) == _words(before)
            change = _words(flip)
            change.subtract(_words(before))
            edits = {w: n for w, n in change.items() if n}
            assert (
                not edits
                or edits in ({"not": 1}, {"not": -1})
                or sorted(edits.values()) == [-1, 1]  # one word for another
                or edits == {"cannot": -1, "can": 1}
            ), (before, flip)
        changed = sum(a != b for a, b in zip(clean, flipped, strict=True))
        assert changed >= 0.7 * len(clean), article.id
        assert sum(a != b for a, b in zip(clean, salad, strict=True)) >= 0.9 * len(clean)
        assert any(a != b for a, b in zip(clean, swapped, strict=True)), article.id


def test_word_salad_keeps_names_whole() -> None:
    text = "Officials at the Bank of England said on Tuesday that a Sheffield-based firm won."
    out = _run("word-salad", text, seed=4)
    assert out != text
    for kept in ("Bank of England", "Sheffield-based", "Officials", "Tuesday"):
        assert kept in out
