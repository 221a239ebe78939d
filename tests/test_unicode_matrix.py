"""Invisible characters must not cost facts: every news article against itself, transformed.

Each transform below changes only what a reader cannot see (a normalisation
form, a kind of space, a zero-width or format character, full-width digits,
the shape of a quote or a dash). A copy transformed so must keep every fact:
entity and quantity F1 1.0 for every article and every transform (meaning F1 1.0
for the first articles), and every
position in the diagnostics must point at the matched text of the copy as
given, not of some normalised form of it.

``python -m tests.test_unicode_matrix`` prints, per transform, the lowest
entity and quantity F1 over the articles.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from metrics.entities.metric import Entities
from metrics.facts.extract import ReferenceFacts
from metrics.facts.fidelity import FactFidelity
from metrics.meaning.metric import Meaning
from metrics.meaning.reading import Reading
from metrics.quantities.metric import Quantities

NEWS = Path(__file__).resolve().parents[1] / "datasets" / "news" / "articles.jsonl"
_CAPITALISED = re.compile(r"\b([A-Z])(\w+)")
_LONG_WORD = re.compile(r"\b(\w{3})(\w{3,})")


def _normal(form: str) -> Callable[[str], str]:
    return lambda text: unicodedata.normalize(form, text)


def _spaces(space: str) -> Callable[[str], str]:
    return lambda text: text.replace(" ", space)


def _curly(text: str) -> str:
    """Typographer's quotes: opening double and single quotes after a space or at a
    line's start, closing ones (and the apostrophe) everywhere else."""
    text = re.sub(r'(^|[\s(])"', "\\1“", text, flags=re.MULTILINE).replace('"', "”")
    return re.sub(r"(^|[\s(])'", "\\1‘", text, flags=re.MULTILINE).replace("'", "’")


def _same(text: str) -> str:
    return text


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "NFD": _normal("NFD"),
    "NFKD": _normal("NFKD"),
    "no-break spaces": _spaces("\u00a0"),
    "narrow no-break spaces": _spaces("\u202f"),
    "zero-width space before each space": _spaces("\u200b "),
    "zero-width joiner before each space": _spaces("\u200d "),
    "zero-width joiner inside names": lambda t: _CAPITALISED.sub("\\1\u200d\\2", t),
    "zero-width non-joiner inside words": lambda t: _LONG_WORD.sub("\\1\u200c\\2", t),
    "byte-order marks (start, each paragraph)": lambda t: "\ufeff" + t.replace("\n", "\n\ufeff"),
    "byte-order mark inside words": lambda t: _LONG_WORD.sub("\\1\ufeff\\2", t),
    "soft hyphens inside words": lambda t: _LONG_WORD.sub("\\1\u00ad\\2", t),
    "full-width digits": lambda t: t.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"}),
    "curly quotes and apostrophes": _curly,
    "hyphen U+2010 for hyphen-minus": lambda t: t.replace("-", "\u2010"),
    "non-breaking hyphen U+2011": lambda t: t.replace("-", "\u2011"),
    "en dash between digits": lambda t: re.sub(r"(?<=\d)-(?=\d)", "\u2013", t),
    "figure dash between digits": lambda t: re.sub(r"(?<=\d)-(?=\d)", "\u2012", t),
}


CASES: dict[str, tuple[Callable[[str], str], Callable[[str], str]]] = {
    **{name: (transform, _same) for name, transform in TRANSFORMS.items()},
    # The articles are NFC and straight-quoted already: these take the other way round.
    "NFC copy of an NFD article": (_normal("NFC"), _normal("NFD")),
    "NFKC copy of an NFKD article": (_normal("NFKC"), _normal("NFKD")),
    "straight quotes against a curly-quoted article": (_same, _curly),
}
"""name -> (how the copy is made, how the article is made) from each news article."""


@cache
def _articles() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in NEWS.read_text(encoding="utf-8").splitlines()]
    return [(row["id"], row["text"]) for row in rows]


@cache
def _metrics(
    reference: Callable[[str], str] = _same,
) -> tuple[tuple[FactFidelity, list[ReferenceFacts]], ...]:
    """Both fact metrics with the facts of the articles as ``reference`` makes them
    (extracted once; the clean articles' once per session)."""
    texts = [reference(text) for _, text in _articles()]
    return tuple((m, m.prepare_references(texts)) for m in (Entities(), Quantities()))


def lowest_f1(
    copy: Callable[[str], str], reference: Callable[[str], str] = _same
) -> dict[str, tuple[float, str]]:
    """Per metric, the lowest F1 over the articles (as ``reference`` makes them) of
    copies made with ``copy``, and the article that has it."""
    lowest: dict[str, tuple[float, str]] = {}
    for metric, references in _metrics(reference):
        scores = []
        for (article_id, text), facts in zip(_articles(), references, strict=True):
            stats = metric.statistics(copy(text), facts)
            scores.append((metric.score_from_statistics(stats).score, article_id))
        lowest[metric.name] = min(scores)
    return lowest


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_an_invisible_change_keeps_every_fact(name: str) -> None:
    copy, reference = CASES[name]
    articles = [text for _, text in _articles()]
    assert any(copy(t) != reference(t) for t in articles), "the case changes text"
    low = lowest_f1(copy, reference)
    assert (low["entities"][0], low["quantities"][0]) == (1.0, 1.0), low


def _positions(diagnostics: dict[str, Any]) -> list[tuple[int, str]]:
    facts = diagnostics["facts"]
    found = [(f["at"], f["found"]) for f in facts if f["found"] is not None and f["at"] is not None]
    return found + [(i["at"], i["text"]) for i in diagnostics["invented"]]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_diagnostics_point_at_the_text_given(name: str) -> None:
    """Each fact found in the copy is found at the same words as in the clean article,
    and its position and text are those of the copy as given."""
    copy, reference = CASES[name]
    clean_facts = _metrics()
    for (metric, references), (_, clean_references) in zip(
        _metrics(reference), clean_facts, strict=True
    ):
        for (article_id, text), facts, clean_reference in zip(
            _articles(), references, clean_references, strict=True
        ):
            given = copy(text)
            clean = _positions(metric.diagnose(text, clean_reference))
            found = _positions(metric.diagnose(given, facts))
            assert len(found) == len(clean), (article_id, metric.name)
            for at, words in found:
                assert given[at : at + len(words)] == words, (article_id, metric.name, at)
            # The same facts at the same words: the copy's match is what the transform made
            # of the clean match (a byte-order mark put at a paragraph's start excepted).
            made = sorted(copy(words).lstrip("\ufeff") for _, words in clean)
            assert made == sorted(words for _, words in found), (article_id, metric.name)


if __name__ == "__main__":
    print("| transform | lowest entity F1 | lowest quantity F1 |")
    print("|:---|---:|---:|")
    for name, (copy, reference) in CASES.items():
        low = lowest_f1(copy, reference)
        cells = [f"{low[m][0]:.3f} ({low[m][1]})" for m in ("entities", "quantities")]
        print(f"| {name} | {' | '.join(cells)} |")


@cache
def _meaning(reference: Callable[[str], str] = _same) -> tuple[Meaning, list[Reading]]:
    """The meaning metric with the first articles' readings as ``reference`` makes them."""
    metric = Meaning()
    texts = [reference(text) for _, text in _articles()[:MEANING_ARTICLES]]
    return metric, metric.prepare_references(texts)


MEANING_ARTICLES = 6
"""Articles checked for meaning F1: each new text costs a dependency parse (~0.2 s)."""


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_an_invisible_change_keeps_every_claim(name: str) -> None:
    copy, reference = CASES[name]
    metric, readings = _meaning(reference)
    for (article_id, text), reading in zip(_articles(), readings, strict=False):
        score = metric.score_from_statistics(metric.statistics(copy(text), reading)).score
        assert score == 1.0, (article_id, score)
