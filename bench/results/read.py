"""Reading a stored run back, and recomputing its leaderboard from per-article statistics."""

from __future__ import annotations

import json
from pathlib import Path

from bench.config import MetricSpec, RunConfig
from bench.errors import BenchError
from bench.leaderboard import Leaderboard, Row
from bench.results.schema import ArticleResult, RunManifest
from bench.results.store import Journal
from bench.scoring import build_metrics, corpus_scores
from bench.stats import Comparison
from bench.uncertainty import with_uncertainty

MANIFEST = "manifest.json"


def read_manifest(run_dir: Path) -> RunManifest:
    path = run_dir / MANIFEST
    if not path.is_file():
        raise BenchError("not a run folder (no manifest.json)", path=run_dir)
    try:
        return RunManifest.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise BenchError(f"unreadable run manifest: {exc}", path=path) from None


def read_scores(run_dir: Path, dataset: str, system: str) -> list[ArticleResult]:
    path = run_dir / "scores" / dataset / f"{system}.jsonl"
    if not path.is_file():
        raise BenchError("scores file missing (was the run interrupted? resume it)", path=path)
    try:
        return [ArticleResult.from_json(r) for r in Journal(path).read()]
    except TypeError as exc:
        raise BenchError(f"unreadable scores: {exc}", path=path) from None


def rebuild_leaderboard(run_dir: Path) -> Leaderboard:
    """The run's leaderboard recomputed from its stored statistics (no text is re-scored).

    Each metric is rebuilt from its recorded options; if its signature differs
    from the recorded one (another sacrebleu version, say) the table says so.
    """
    manifest = read_manifest(run_dir)
    metric_specs = [MetricSpec(**spec) for spec in manifest.config["metrics"]]
    metrics = build_metrics(metric_specs)
    notes = []
    for built, recorded in zip(metrics, manifest.metrics, strict=True):
        if built.metric.signature != recorded.signature:
            notes.append(
                f"note: {built.key} recomputed with signature {built.metric.signature} "
                f"but the run recorded {recorded.signature}"
            )
    config = RunConfig.from_json(manifest.config)
    rows: list[Row] = []
    comparisons: dict[str, list[Comparison]] = {}
    signature = None
    for dataset in manifest.datasets:
        dataset_rows = []
        by_system = {}
        for system in (s for s in manifest.systems if s.dataset == dataset.name):
            results = read_scores(run_dir, system.dataset, system.name)
            by_system[system.name] = results
            dataset_rows.append(
                Row(
                    dataset=system.dataset,
                    system=system.name,
                    reference=system.reference,
                    articles=len(results),
                    failed=sum(1 for r in results if r.status == "failed"),
                    scores=corpus_scores(metrics, results),
                )
            )
        if config.bootstrap:
            dataset_rows, comparisons[dataset.name], signature = with_uncertainty(
                dataset_rows, by_system, metrics, resamples=config.bootstrap,
                seed=config.seed, test=config.test, alpha=config.alpha,
            )  # fmt: skip
        rows += dataset_rows
    return Leaderboard(
        manifest.metrics, rows, run_id=manifest.run_id, notes=notes,
        comparisons=comparisons, uncertainty=signature,
    )  # fmt: skip
