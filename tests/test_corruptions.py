"""Corruption systems and ``bench check-metrics``."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from bench.cli import app
from bench.config import SystemSpec
from bench.data.article import Article
from bench.systems import build_system
from bench.systems.corruptions import CORRUPTIONS

TEXT = (
    "Prime Minister Helen Marchbank said on Tuesday that the government would spend "
    "£2.4 billion on northern rail. The plan covers Leeds and Newcastle.\n\n"
    "Officials at the Treasury expect 9,000 jobs by 2030, about 18 per cent more than planned."
)
ARTICLE = Article("a1", TEXT)


def _run(kind: str, **options: object) -> str:
    return build_system(SystemSpec(kind, kind, dict(options))).paraphrase(ARTICLE)


@pytest.mark.parametrize("corruption", [c.type_name for c in CORRUPTIONS])
def test_deterministic_and_rate_zero_is_a_copy(corruption: str) -> None:
    assert _run(corruption, seed=3) == _run(corruption, seed=3)
    if corruption != "shuffle-sentences":
        assert _run(corruption, rate=0.0) == TEXT


def test_mangle_entities_only_touches_capitalised_names() -> None:
    out = _run("mangle-entities", rate=1.0)
    assert out != TEXT
    assert re.findall(r"\d[\d,.]*", out) == re.findall(r"\d[\d,.]*", TEXT)
    changed = [(a, b) for a, b in zip(TEXT.split(), out.split(), strict=True) if a != b]
    assert changed and all(a[0].isupper() and len(a) - len(b) in (0, 1) for a, b in changed)


def test_change_numbers_changes_every_digit_at_rate_one() -> None:
    out = _run("change-numbers", rate=1.0)
    before, after = re.findall(r"\d", TEXT), re.findall(r"\d", out)
    assert len(before) == len(after) and all(a != b for a, b in zip(before, after, strict=True))
    assert re.sub(r"\d", "#", out) == re.sub(r"\d", "#", TEXT)


def test_drop_and_shuffle_keep_sentences_whole() -> None:
    sentences = set(re.split(r"(?<=[.!?])\s+", TEXT.replace("\n\n", " ")))
    for kind in ("drop-sentences", "shuffle-sentences"):
        out = _run(kind, rate=1.0 if kind == "shuffle-sentences" else 0.5, seed=1)
        assert set(re.split(r"(?<=[.!?])\s+", out.replace("\n\n", " "))) <= sentences


def test_rate_is_checked() -> None:
    from bench.errors import BenchError

    with pytest.raises(BenchError, match="'rate' must be between 0 and 1"):
        _run("typos", rate=2)


@pytest.mark.slow
def test_check_metrics_shape_on_the_news_set() -> None:
    """The brief's expected shape: entity metrics catch what BLEU barely notices."""
    result = CliRunner().invoke(app, ["check-metrics", "-d", "news", "--format", "json"])
    assert result.exit_code == 0, result.output
    checks = {(c["corruption"], c["metric"]): c for c in json.loads(result.stdout)}

    def drop(corruption: str, metric: str) -> float:
        c = checks[(corruption, metric)]
        return float((c["clean"] - c["corrupted"]) / c["clean"])

    assert checks[("mangle-entities", "entities")]["tau"] == 1.0
    assert checks[("change-numbers", "quantities")]["tau"] == 1.0
    assert drop("mangle-entities", "entities") > 3 * drop("mangle-entities", "bleu")
    assert drop("change-numbers", "quantities") > 5 * drop("change-numbers", "bleu")
    # Leaks show only in the artefact metric; shuffling keeps every fact.
    assert checks[("leak-spintax", "artefacts")]["moves"]
    assert (
        not checks[("leak-spintax", "entities")]["moves"] or drop("leak-spintax", "entities") < 0.01
    )
    assert drop("shuffle-sentences", "entities") == 0.0
    # A meaning-preserving synonym spin costs BLEU far more than entity F1.
    assert drop("synonym-spin", "bleu") > 10 * drop("synonym-spin", "entities")
    # Claims changed, every name and number kept: the fact metrics stay at or near their
    # clean score (they are blind to it), while BLEU notices every article.
    for corruption in ("claim-flip", "role-swap", "word-salad"):
        assert checks[(corruption, "bleu")]["tau"] == 1.0
        for metric in ("entities", "quantities"):
            assert abs(drop(corruption, metric)) < 0.02, (corruption, metric)
            assert checks[(corruption, metric)]["corrupted"] > 0.98
