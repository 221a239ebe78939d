"""Synthetic corpora for benchmarks: news-like articles of a chosen size, and damaged copies.

Articles are stitched from the bundled news set's sentences (so they carry
real names and amounts) to about ``words`` words each; a "system" output is a
seeded damage of each article (names with a changed letter, numbers with a
changed digit, a dropped sentence), so metrics have real work to do.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

NEWS = Path(__file__).resolve().parents[1] / "datasets" / "news" / "articles.jsonl"


def _sentences() -> list[str]:
    found: list[str] = []
    for line in NEWS.open(encoding="utf-8"):
        text = json.loads(line)["text"]
        found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 4]
    return found


def make_articles(count: int, words: int = 600, seed: int = 1) -> list[str]:
    """``count`` articles of about ``words`` words, deterministic for a seed."""
    rng = random.Random(seed)
    pool = _sentences()
    articles = []
    for _ in range(count):
        chosen: list[str] = []
        total = 0
        while total < words:
            sentence = rng.choice(pool)
            chosen.append(sentence)
            total += len(sentence.split())
        paragraphs = [" ".join(chosen[i : i + 4]) for i in range(0, len(chosen), 4)]
        articles.append("\n\n".join(paragraphs))
    return articles


def system(refs: list[str], number: int) -> list[str]:
    """System ``number``'s output: each article damaged with its own seed. Every benchmark
    that scores "system 1, 2, ..." of a corpus scores these same texts."""
    return [damage(r, seed=number * 100_003 + i) for i, r in enumerate(refs)]


def score_articles(
    metrics: Sequence[Any], prepared: Sequence[Sequence[Any]], hyps: list[str]
) -> None:
    """As the runner does: every metric on one article, then the next article, so the
    entity and quantity metrics share one analysis of each paraphrase."""
    for i, hyp in enumerate(hyps):
        for metric, references in zip(metrics, prepared, strict=True):
            metric.statistics(hyp, references[i])


def damage(article: str, seed: int) -> str:
    """A spun copy: some names misspelt, some digits changed, one sentence dropped."""
    rng = random.Random(seed)

    def name(m: re.Match[str]) -> str:
        word = m.group(0)
        if len(word) > 4 and rng.random() < 0.2:
            i = rng.randrange(1, len(word) - 1)
            return word[:i] + word[i + 1 :]
        return word

    def digit(m: re.Match[str]) -> str:
        return str((int(m.group(0)) + 1) % 10) if rng.random() < 0.15 else m.group(0)

    text = re.sub(r"\b[A-Z][a-z]+\b", name, article)
    text = re.sub(r"\d", digit, text)
    sentences = re.split(r"(?<=[.!?])\s+", text)
    if len(sentences) > 3:
        del sentences[rng.randrange(len(sentences))]
    return " ".join(sentences)
