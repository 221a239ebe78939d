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
from bench.uncertainty import dataset_table

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
        systems = [
            (s.name, s.reference, read_scores(run_dir, s.dataset, s.name))
            for s in manifest.systems
            if s.dataset == dataset.name
        ]
        table, comparisons[dataset.name], signature = dataset_table(
            dataset.name, systems, metrics, config
        )
        rows += table
    return Leaderboard(
        manifest.metrics, rows, run_id=manifest.run_id, notes=notes,
        comparisons=comparisons, uncertainty=signature,
    )  # fmt: skip
