"""``bench score``: score paraphrases a user already has against their clean articles.

Like sacrebleu's command line, but document-level: a .txt file is one whole
article (not one segment per line); .jsonl/.csv files hold many articles,
matched by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.data.article import Article
from bench.data.dataset import Dataset
from bench.data.readers import read_articles
from bench.leaderboard import Leaderboard, Row
from bench.names import check_safe_name
from bench.results.schema import ArticleResult
from bench.scoring import Scorer, build_metrics, corpus_scores
from bench.specs import DEFAULT_SEED, MetricSpec
from bench.systems.outputs import check_coverage
from bench.uncertainty import with_uncertainty


@dataclass(frozen=True)
class Hypothesis:
    """One ``--hyp``: the system name its row gets, and the file of its paraphrases."""

    name: str
    path: Path


def parse_hypothesis(text: str) -> Hypothesis:
    """``NAME=PATH`` or ``PATH`` (the name is then the file's stem)."""
    name, sep, path = text.partition("=")
    if not sep:
        path, name = text, Path(text).stem
    return Hypothesis(check_safe_name("system", name), Path(path))


@dataclass(frozen=True)
class ScoredFiles:
    """What ``bench score`` prints: the table, and each system's per-article results
    (shown with ``--details``)."""

    leaderboard: Leaderboard
    details: dict[str, list[ArticleResult]]


def _align(reference: Path, refs: list[Article], hyp: Hypothesis) -> list[str]:
    """The paraphrase of each clean article, in the clean articles' order, matched by id
    (an error names the ids missing or unknown). One .txt against one .txt needs no id."""
    outputs = read_articles(hyp.path, allow_empty_text=True)
    if reference.suffix == ".txt" and hyp.path.suffix == ".txt" and len(refs) == 1:
        return [outputs[0].text]  # one document against one document: ids are file names
    dataset = Dataset(reference.stem, "file", "", tuple(refs), str(reference))
    check_coverage(hyp.path, [o.id for o in outputs], dataset)
    texts = {o.id: o.text for o in outputs}
    return [texts[a.id] for a in refs]


def score_files(
    reference: Path,
    hypotheses: Sequence[Hypothesis],
    metric_specs: Sequence[MetricSpec],
    *,
    bootstrap: int = 0,
    seed: int = DEFAULT_SEED,
) -> ScoredFiles:
    """Score each file of paraphrases against the clean articles in ``reference``.

    Every clean article is prepared once for all the systems. With ``bootstrap``
    resamples, the table gets intervals, paired tests and rank clusters as a run's
    does; without, the bare scores.
    """
    metrics = build_metrics(metric_specs)
    refs = read_articles(reference)
    scorer = Scorer(metrics, [a.text for a in refs])
    rows: list[Row] = []
    details: dict[str, list[ArticleResult]] = {}
    for hyp in hypotheses:
        texts = _align(reference, refs, hyp)
        results = [
            scorer.score(i, a.id, t) for i, (a, t) in enumerate(zip(refs, texts, strict=True))
        ]
        details[hyp.name] = results
        rows.append(
            Row(reference.stem, hyp.name, False, len(results), 0, corpus_scores(metrics, results))
        )
    if not bootstrap:
        return ScoredFiles(Leaderboard([m.info() for m in metrics], rows), details)
    rows, comparisons, signature = with_uncertainty(
        rows, details, metrics, resamples=bootstrap, seed=seed, test="bootstrap", alpha=0.05
    )
    board = Leaderboard(
        [m.info() for m in metrics], rows,
        comparisons={reference.stem: comparisons}, uncertainty=signature,
    )  # fmt: skip
    return ScoredFiles(board, details)
