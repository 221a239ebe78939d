"""Every metric in the registry keeps the contract: statistics, direction, signature, card.

Walks ``metrics.CATALOGUE`` so a new metric is checked the day it is added.
"""

from __future__ import annotations

import inspect
import random
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from metrics import CATALOGUE, Direction, Metric

METRICS_DIR = Path(__file__).resolve().parents[1] / "metrics"
NAMES = sorted(CATALOGUE)

CLEAN = [
    "Defence Secretary John Healey met Pete Hegseth in Washington on Thursday.",
    "The UK announced a missile deal worth £1.6 billion for Ukraine.",
    "About 20 countries are considering joining the coalition, officials said.",
]
FAITHFUL = [
    "On Thursday in Washington, Pete Hegseth held talks with John Healey, the defence secretary.",
    "A £1.6bn missile agreement for Ukraine was unveiled by the UK.",
    "Officials said roughly 20 nations are weighing whether to join the coalition.",
]
DAMAGED = [
    "Defense Secretary John Hella interacted with Pete Hegseth at Washington.",
    "Britain introduced £ 1.6bn missile deal For Ukraine on Sunday.",
    "Round 30 international locations are focused on becoming {that a} member.",
]


def _build(name: str) -> Metric[Any]:
    return CATALOGUE[name].build()


@pytest.mark.parametrize("name", NAMES)
def test_statistics_have_declared_width(name: str) -> None:
    metric = _build(name)
    for hyp, ref in zip(DAMAGED, CLEAN, strict=True):
        stats = metric.statistics(hyp, metric.prepare_reference(ref))
        assert len(stats) == len(metric.statistic_names)
        assert all(isinstance(v, int | float) and v >= 0 for v in stats)


@pytest.mark.parametrize("name", NAMES)
def test_declared_direction_on_a_real_example(name: str) -> None:
    """A copy scores the metric's perfect value; damage scores worse, in its direction.

    For the ranking score a copy is the worst case by design, so there a faithful
    rewording must beat a damaged one. Neutral metrics (divergence) only describe.
    """
    metric = _build(name)
    copy = metric.corpus_score(CLEAN, CLEAN).score
    damaged = metric.corpus_score(DAMAGED, CLEAN).score
    assert copy == pytest.approx(metric.perfect)
    if metric.direction is Direction.NEUTRAL:
        assert damaged > copy  # damage is divergence too
    elif name == "ranking":
        faithful = metric.corpus_score(FAITHFUL, CLEAN).score
        assert metric.direction.better(faithful, damaged)
        assert metric.direction.better(faithful, copy)
    else:
        assert metric.direction.better(copy, damaged)


@pytest.mark.parametrize("name", NAMES)
def test_summing_is_order_independent(name: str) -> None:
    metric = _build(name)
    rows = [
        metric.statistics(h, metric.prepare_reference(r))
        for h, r in zip(DAMAGED, CLEAN, strict=True)
    ]
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    assert metric.sum(rows) == metric.sum(shuffled)
    assert metric.score_from_statistics(metric.sum(rows)) == metric.score_from_statistics(
        metric.sum(shuffled)
    )


# An empty paraphrase loses everything (0 for fidelity, 100% edits for TER) but
# leaks no artefact.
EMPTY_SCORE = {"ter": 100.0, "artefacts": 0.0, "pinc": 0.0, "edit_distance": 100.0}


@pytest.mark.parametrize("name", NAMES)
def test_empty_hypothesis_is_scored(name: str) -> None:
    metric = _build(name)
    score = metric.corpus_score([""], [CLEAN[0]])
    assert score.score == pytest.approx(EMPTY_SCORE.get(name, 0.0))


@pytest.mark.parametrize("name", NAMES)
def test_signature_pins_version(name: str) -> None:
    metric = _build(name)
    signature = metric.signature
    assert re.search(r"\|v(?:ersion)?:\d+\.\d+\.\d+\]?$", signature)
    if metric.name in ("bleu", "chrf", "ter"):
        assert signature.startswith("nrefs:1|")
    elif metric.name in ("entities", "quantities"):
        assert "en_core_web_sm" in signature and "|qty:" in signature
    elif metric.name == "ranking":
        assert signature.startswith("ranking|beta:4|fidelity:harmonic|facts:[spacy-")
        assert "|self-bleu:[nrefs:1|" in signature


@pytest.mark.parametrize("name", NAMES)
def test_metric_card(name: str) -> None:
    folder = Path(inspect.getfile(CATALOGUE[name].factory)).parent
    card = (folder / "README.md").read_text(encoding="utf-8")
    for heading in (
        "## What it measures",
        "## Inputs",
        "## Output",
        "## Limitations",
        "## Citation",
    ):
        assert heading in card, f"{folder}/README.md lacks {heading!r}"
    arrow = {
        Direction.HIGHER: "higher is better",
        Direction.LOWER: "lower is better",
        Direction.NEUTRAL: "neither direction is better",
    }[CATALOGUE[name].factory.direction]
    assert arrow in card
    assert (folder / f"{folder.name}.py").is_file(), "no Hugging Face evaluate module"


@pytest.mark.parametrize("name", NAMES)
def test_vectorised_scores_equal_the_loop(name: str) -> None:
    """``scores`` (used by resampling) agrees with ``score_from_statistics`` row by row."""
    metric = _build(name)
    hyps = DAMAGED + FAITHFUL + CLEAN + [""]
    refs = CLEAN * 3 + [CLEAN[0]]
    prepared = metric.prepare_references(refs)
    rows = np.array(
        [metric.statistics(h, r) for h, r in zip(hyps, prepared, strict=True)], dtype=np.float64
    )
    counts = np.random.default_rng(5).integers(0, 3, size=(40, len(rows))).astype(np.float64)
    sums = np.vstack([counts @ rows, rows, np.zeros((1, rows.shape[1]))])
    looped = Metric.scores(metric, sums)
    assert np.allclose(metric.scores(sums), looped, rtol=1e-9, atol=1e-12)
