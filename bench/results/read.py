"""Reading a stored run back, and recomputing its leaderboard from per-article statistics."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.config import RunConfig
from bench.data.records import JSONProblem, Problems, jsonl_objects, parse_json, read_text
from bench.errors import BenchError
from bench.leaderboard import Leaderboard, Row
from bench.results.schema import ArticleResult, MetricInfo, RunManifest
from bench.scoring import build_metrics, corpus_scores
from bench.stats import Comparison
from bench.uncertainty import dataset_table

MANIFEST = "manifest.json"


def read_manifest(run_dir: Path) -> RunManifest:
    """A run folder's manifest.json, checked: a folder that is not a run, a file that is
    not JSON or a manifest without a key it needs each gives one clear error."""
    path = run_dir / MANIFEST
    if not path.is_file():
        raise BenchError("not a run folder (no manifest.json)", path=run_dir)
    problems = Problems()
    text = read_text(path, problems)
    problems.raise_if_any()
    assert text is not None
    try:
        data = parse_json(text)
    except JSONProblem as exc:
        raise BenchError(f"malformed JSON ({exc.message})", path=path, line=exc.line) from None
    if not isinstance(data, dict):
        raise BenchError(f"expected a JSON object, found {type(data).__name__}", path=path)
    try:
        return RunManifest.from_json(data)
    except ValueError as exc:
        raise BenchError(f"unreadable run manifest: {exc}", path=path) from None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _article_result(record: dict[str, Any], metrics: Sequence[MetricInfo]) -> ArticleResult:
    """One stored line as an ArticleResult, or ValueError saying what is wrong with it.

    Each metric's statistics are checked first, against the manifest's metrics list
    (their number, and that each is a count): the schema alone cannot say either."""
    statistics = record.get("statistics")
    if not isinstance(statistics, dict):
        return ArticleResult.from_json(record)  # which says what "statistics" must be
    for info in metrics:
        row = statistics.get(info.key)
        if not isinstance(row, list) or len(row) != len(info.statistics):
            raise ValueError(
                f"statistics of {info.key!r} must be a list of {len(info.statistics)} numbers"
            )
        for name, value in zip(info.statistics, row, strict=True):
            if not _is_count(value):
                raise ValueError(
                    f"statistic {info.key}.{name} is {json.dumps(value)}: "
                    "expected a count (a whole number, 0 or more)"
                )
    return ArticleResult.from_json(record)


def _is_count(value: Any) -> bool:
    """Every metric's statistics are counts (words, n-grams, facts, edits): a stored one
    that is NaN, infinite, negative or fractional was not written by spinbench, and
    summing it would change the scores without a word."""
    if not _is_number(value) or not math.isfinite(value) or value < 0:
        return False
    return isinstance(value, int) or value.is_integer()


def read_scores(
    run_dir: Path, dataset: str, system: str, metrics: Sequence[MetricInfo] = ()
) -> list[ArticleResult]:
    """A system's per-article results, checked line by line (and against ``metrics``).

    Scores files are written whole, once, so any damaged line is an error
    naming its line, never a silently shorter table.
    """
    path = run_dir / "scores" / dataset / f"{system}.jsonl"
    if not path.is_file():
        raise BenchError("scores file missing (was the run interrupted? resume it)", path=path)
    problems = Problems()
    results: list[ArticleResult] = []
    seen: set[str] = set()
    for line, record in jsonl_objects(path, problems):
        try:
            result = _article_result(record, metrics)
        except ValueError as exc:
            problems.add(f"unreadable scores: {exc}", path=path, line=line)
            continue
        if result.id in seen:
            problems.add("duplicate id", path=path, line=line, article=result.id)
            continue
        seen.add(result.id)
        results.append(result)
    problems.raise_if_any()
    return results


def rebuild_leaderboard(run_dir: Path) -> Leaderboard:
    """The run's leaderboard recomputed from its stored statistics (no text is re-scored).

    Each metric is rebuilt from its recorded options; if its signature differs
    from the recorded one (another sacrebleu version, say) the table says so.
    """
    manifest = read_manifest(run_dir)
    try:
        config = RunConfig.from_json(manifest.config)
    except ValueError as exc:
        raise BenchError(f"unreadable run configuration: {exc}", path=run_dir / MANIFEST) from None
    metrics = build_metrics(config.metrics)
    if len(metrics) != len(manifest.metrics):
        raise BenchError(
            "the run's configuration and its metrics list differ", path=run_dir / MANIFEST
        )
    notes = []
    for built, recorded in zip(metrics, manifest.metrics, strict=True):
        if built.metric.signature != recorded.signature:
            notes.append(
                f"note: {built.key} recomputed with signature {built.metric.signature} "
                f"but the run recorded {recorded.signature}"
            )
    rows: list[Row] = []
    comparisons: dict[str, list[Comparison]] = {}
    signature = None
    for dataset in manifest.datasets:
        systems = [
            (s.name, s.reference, read_scores(run_dir, s.dataset, s.name, manifest.metrics))
            for s in manifest.systems
            if s.dataset == dataset.name
        ]
        for name, _, results in systems:
            if len(results) != dataset.articles or [r.id for r in results] != [
                r.id for r in systems[0][2]
            ]:
                raise BenchError(
                    f"scores of {name!r} cover other articles than {systems[0][0]!r} "
                    f"({len(results)} of the {dataset.articles} recorded for "
                    f"dataset {dataset.name!r})",
                    path=run_dir / "scores" / dataset.name / f"{name}.jsonl",
                )
        table, comparisons[dataset.name], signature = dataset_table(
            dataset.name, systems, metrics, config
        )
        rows += table
    return Leaderboard(
        manifest.metrics, rows, run_id=manifest.run_id, notes=notes,
        comparisons=comparisons, uncertainty=signature,
    )  # fmt: skip
