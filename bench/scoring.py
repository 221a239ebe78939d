"""Scoring system outputs: per-article statistics, per-article scores, corpus scores."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bench.errors import BenchError
from bench.names import lookup
from bench.results.schema import ArticleResult, MetricInfo
from bench.specs import MetricSpec
from metrics import CATALOGUE, Metric, Score


@dataclass(frozen=True)
class ConfiguredMetric:
    """A metric built from a spec; ``key`` names its leaderboard column."""

    key: str
    metric: Metric[Any]

    def info(self) -> MetricInfo:
        """What the results record about the metric (manifest.json, leaderboard.json):
        enough to rebuild the tables, and to tell two settings apart, without the code."""
        m = self.metric
        return MetricInfo(
            key=self.key,
            name=m.name,
            signature=m.signature,
            direction=m.direction.value,
            options=m.options,
            statistics=list(m.statistic_names),
            decimals=m.decimals,
            extra_columns=[list(pair) for pair in m.extra_columns],
        )


def build_metrics(specs: Iterable[MetricSpec]) -> list[ConfiguredMetric]:
    """Build each metric a configuration names, before any work starts.

    An unknown name (with "did you mean"), a bad option or the same column twice is a
    ``BenchError``, so a run with a typo fails at once instead of after its systems ran.
    """
    built: list[ConfiguredMetric] = []
    for spec in specs:
        entry = lookup("metric", spec.name, CATALOGUE)
        try:
            metric = entry.build(**spec.options)
        except TypeError as exc:
            raise BenchError(f"metric {spec.name!r}: bad option ({exc})") from None
        except ValueError as exc:
            raise BenchError(str(exc)) from None
        built.append(ConfiguredMetric(spec.key, metric))
    keys = [m.key for m in built]
    if len(set(keys)) != len(keys):
        raise BenchError(f"a metric is listed twice: {keys}")
    return built


MetricResult = tuple[list[float], float, Any]
"""One metric on one article: statistics, score, diagnostics (or None)."""


def measure(metric: Metric[Any], hypothesis: str, reference: Any) -> MetricResult:
    """One metric on one paraphrase against its prepared clean article."""
    statistics = metric.statistics(hypothesis, reference)
    score = metric.score_from_statistics(statistics).score
    return statistics, score, metric.diagnose(hypothesis, reference)


class Scorer:
    """Scores hypotheses against one dataset's references, preparing each reference once."""

    def __init__(self, metrics: Sequence[ConfiguredMetric], references: Sequence[str]) -> None:
        self.metrics = list(metrics)
        self._prepared = {m.key: m.metric.prepare_references(references) for m in self.metrics}

    def score(
        self, index: int, article_id: str, hypothesis: str, *, error: str | None = None
    ) -> ArticleResult:
        """One article's result; a failed article is scored as an empty hypothesis."""
        statistics: dict[str, list[float]] = {}
        scores: dict[str, float] = {}
        diagnostics: dict[str, Any] = {}
        text = "" if error is not None else hypothesis
        for m in self.metrics:
            statistics[m.key], scores[m.key], found = measure(
                m.metric, text, self._prepared[m.key][index]
            )
            if found is not None:
                diagnostics[m.key] = found
        return ArticleResult(
            id=article_id,
            status="failed" if error is not None else "ok",
            statistics=statistics,
            scores=scores,
            error=error,
            diagnostics=diagnostics,
        )


def corpus_scores(
    metrics: Sequence[ConfiguredMetric], results: Sequence[ArticleResult]
) -> dict[str, Score]:
    """Corpus score per metric from the column-wise sum of per-article statistics."""
    return {
        m.key: m.metric.score_from_statistics(m.metric.sum(r.statistics[m.key] for r in results))
        for m in metrics
    }
