"""The bundled news set keeps the promises its manifest makes."""

from __future__ import annotations

import json
import re

from bench.config import DatasetSpec
from bench.data.dataset import load_dataset
from tests.conftest import DATASETS


def test_news_articles_meet_the_brief() -> None:
    dataset = load_dataset(DatasetSpec("news"))
    assert dataset.licence == "CC-BY-4.0"
    assert len(dataset.articles) >= 30
    facts = {
        row["id"]: row
        for row in map(json.loads, (DATASETS / "news" / "facts.jsonl").open(encoding="utf-8"))
    }
    assert set(facts) == set(dataset.ids())
    for article in dataset.articles:
        words = len(article.text.split())
        assert 150 <= words <= 600, (article.id, words)
        assert article.title and article.date and article.source == "spinbench original"
        listed = facts[article.id]
        assert len(set(listed["entities"])) >= 8, article.id
        assert len(set(listed["quantities"])) >= 3, article.id
        for surface in listed["entities"] + listed["quantities"]:
            assert surface in article.text, (article.id, surface)
        money = re.search(
            r"[£$€]\s?\d|\b(?:CHF|USD|EUR|GBP)\s?\d|\d (?:euros|pounds)", article.text
        )
        assert money, f"{article.id} has no sum of money"


def test_news_covers_the_five_beats() -> None:
    """Politics, courts, business, science and sport, by the id ranges the README gives."""
    ids = load_dataset(DatasetSpec("news")).ids()
    assert ids == [f"news-{n:03d}" for n in range(1, 33)]


def test_careful_rewrite_keeps_every_number_string() -> None:
    """The bundled rewrite keeps each digit sequence of its article (values unchanged)."""
    dataset = load_dataset(DatasetSpec("news"))
    rewrite = {
        row["id"]: row["text"]
        for row in map(
            json.loads,
            (DATASETS / "news" / "outputs" / "careful-rewrite.jsonl").open(encoding="utf-8"),
        )
    }
    for article in dataset.articles:
        numbers = set(re.findall(r"\d+", article.text))
        missing = {n for n in numbers if n not in re.findall(r"\d+", rewrite[article.id])}
        assert not missing, (article.id, missing)
