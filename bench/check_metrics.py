"""``bench check-metrics``: does each metric notice each kind of known damage?

For every corruption (``bench.systems.corruptions``) and every metric, the
clean article (a copy of itself: the best any paraphrase can do) is scored
against the corrupted one, article by article. The Kendall-like tau of the
ACES challenge sets counts, over articles, how often the metric prefers the
clean version: tau = (better - worse - ties) / articles, ties counted
against the metric, so 1 means "always noticed" and anything at or below 0
means "blind to it". The corpus score must also move in the metric's
declared direction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from bench.data.dataset import Dataset
from bench.scoring import ConfiguredMetric, Scorer, build_metrics, corpus_scores
from bench.specs import DEFAULT_SEED, MetricSpec, SystemSpec
from bench.systems.corruptions import CORRUPTIONS
from bench.tables import format_table
from metrics import Direction

DEFAULT_CHECKED = ("bleu", "chrf", "entities", "quantities", "meaning", "artefacts")


@dataclass(frozen=True)
class Check:
    """How one metric fared against one corruption over a dataset's articles: how many
    articles it scored better clean than corrupted (``better``), worse, or the same, the
    tau those counts give, and both corpus scores."""

    corruption: str
    metric: str
    tau: float
    better: int
    worse: int
    ties: int
    clean: float
    corrupted: float
    moves: bool
    """The corpus score moved in the metric's declared direction."""


def check_metrics(
    dataset: Dataset, metric_specs: Sequence[MetricSpec], *, seed: int = DEFAULT_SEED
) -> tuple[list[ConfiguredMetric], list[Check]]:
    """Score every clean article and every corruption of it with each metric that has a
    better direction (a neutral one cannot prefer either), and count, per corruption and
    metric, the articles on which the clean version wins. ``seed`` makes the corruptions
    the same on every call."""
    metrics = [
        m for m in build_metrics(metric_specs) if m.metric.direction is not Direction.NEUTRAL
    ]
    texts = [a.text for a in dataset.articles]
    scorer = Scorer(metrics, texts)
    clean = [scorer.score(i, a.id, a.text) for i, a in enumerate(dataset.articles)]
    clean_corpus = corpus_scores(metrics, clean)
    checks = []
    for corruption in CORRUPTIONS:
        system = corruption(SystemSpec(corruption.type_name, corruption.type_name), seed=seed)
        damaged = [
            scorer.score(i, a.id, system.paraphrase(a)) for i, a in enumerate(dataset.articles)
        ]
        damaged_corpus = corpus_scores(metrics, damaged)
        for m in metrics:
            direction = m.metric.direction
            better = worse = ties = 0
            for before, after in zip(clean, damaged, strict=True):
                a, b = before.scores[m.key], after.scores[m.key]
                if direction.better(a, b):
                    better += 1
                elif direction.better(b, a):
                    worse += 1
                else:
                    ties += 1
            checks.append(
                Check(
                    corruption=corruption.type_name,
                    metric=m.key,
                    tau=(better - worse - ties) / len(clean),
                    better=better,
                    worse=worse,
                    ties=ties,
                    clean=clean_corpus[m.key].score,
                    corrupted=damaged_corpus[m.key].score,
                    moves=direction.better(clean_corpus[m.key].score, damaged_corpus[m.key].score),
                )
            )
    return metrics, checks


def _change(check: Check) -> str:
    """The corpus score's change, relative to the clean score (absolute when that is 0)."""
    if check.clean:
        return f"{100 * (check.corrupted - check.clean) / abs(check.clean):+.1f}%"
    return f"{check.corrupted - check.clean:+.2f}"


def render_checks(metrics: Sequence[ConfiguredMetric], checks: Sequence[Check], fmt: str) -> str:
    """The checks as JSON, or as a table of tau per corruption (rows) and metric (columns)."""
    if fmt == "json":
        return json.dumps([asdict(c) for c in checks], indent=2) + "\n"
    corruptions = list(dict.fromkeys(c.corruption for c in checks))
    by = {(c.corruption, c.metric): c for c in checks}
    head = ["corruption", *(m.key for m in metrics)]
    taus = [
        [name, *(f"{by[(name, m.key)].tau:+.2f}" + ("" if by[(name, m.key)].moves else " (x)")
                 for m in metrics)]
        for name in corruptions
    ]  # fmt: skip
    changes = [[name, *(_change(by[(name, m.key)]) for m in metrics)] for name in corruptions]
    out = ["Kendall-like tau (clean article preferred over corrupted, per article):", ""]
    out += format_table(head, taus, fmt)
    out += ["", "Corpus score change, corrupted vs clean:", ""]
    out += format_table(head, changes, fmt)
    out += [
        "",
        "tau = (articles where the clean text scores better - worse - ties) / articles; "
        "(x): the corpus score did not move in the metric's declared direction.",
    ]
    return "\n".join(out) + "\n"
