"""Running a benchmark: datasets in, systems run, outputs scored, results written.

Layout of ``<output_dir>/<run-id>/`` (docs/results-schema.md has every key):

- ``manifest.json``: provenance, config, datasets, systems, metric signatures;
- ``outputs/<dataset>/<system>.jsonl``: each paraphrase as produced, appended
  and flushed one article at a time, so a killed run loses nothing;
- ``scores/<dataset>/<system>.jsonl``: per-article statistics and scores;
- ``leaderboard.{md,csv,json,tex,txt}``.

``resume`` continues a run in place: outputs already produced are reused,
articles that failed or never ran are tried again.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench import __version__
from bench.config import RunConfig
from bench.data.dataset import Dataset, load_dataset
from bench.errors import BenchError
from bench.gates import check_gates
from bench.leaderboard import FILE_NAMES, Leaderboard, Row, render
from bench.progress import Progress
from bench.provenance import git_commit, now, package_versions, platform_name, python_version
from bench.results.read import MANIFEST, read_manifest
from bench.results.schema import ArticleResult, DatasetInfo, RunManifest, SystemInfo
from bench.results.store import Journal, write_atomic, write_json, write_jsonl
from bench.scoring import ConfiguredMetric, Scorer, build_metrics
from bench.stats import Comparison
from bench.systems import System, SystemFailure, systems_for
from bench.systems.cache import OutputCache
from bench.uncertainty import dataset_table

Log = Callable[[str], None]


@dataclass(frozen=True)
class RunResult:
    run_dir: Path
    manifest: RunManifest
    leaderboard: Leaderboard


def new_run_id(config: RunConfig) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    digest = hashlib.sha256(json.dumps(config.to_json(), sort_keys=True).encode()).hexdigest()
    return f"{stamp}-{digest[:6]}"


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class Plan:
    """Everything a run needs, loaded and checked before anything is written."""

    metrics: list[ConfiguredMetric]
    work: list[tuple[Dataset, list[System]]]


def plan_run(config: RunConfig) -> Plan:
    """Build metrics, load datasets and systems: bad input fails here, before any write."""
    metrics = build_metrics(config.metrics)
    check_gates(config.gates, {m.key for m in metrics}, config.baseline)
    datasets = [load_dataset(spec) for spec in config.datasets]
    names = [d.name for d in datasets]
    if len(set(names)) != len(names):
        raise BenchError(f"two datasets share a name: {names}; give one a 'name'")
    work = [(d, systems_for(d, config.systems, bundled=config.bundled_outputs)) for d in datasets]
    return Plan(metrics, work)


def run_benchmark(config: RunConfig, *, log: Log = _quiet) -> RunResult:
    """Run ``config`` into a new folder under its output directory."""
    plan = plan_run(config)
    run_dir = _claim_run_dir(config)
    return _execute(replace(config, run_id=run_dir.name), plan, run_dir, log)


def _claim_run_dir(config: RunConfig) -> Path:
    """Create the run's folder; creating it is what reserves the run id.

    Two runs started in the same second with the same config get ``-2``, ``-3``
    suffixes instead of sharing a folder. A run id given by the user is never
    changed: if that run exists, the user is pointed to ``--resume``.
    """
    config.output_dir.mkdir(parents=True, exist_ok=True)
    if config.run_id is not None:
        run_dir = config.output_dir / config.run_id
        try:
            run_dir.mkdir()
        except FileExistsError:
            if (run_dir / MANIFEST).exists():
                raise BenchError(
                    f"run {config.run_id!r} already exists; resume it with "
                    f"`bench run --resume {run_dir}`",
                    path=run_dir,
                ) from None
            if any(run_dir.iterdir()):
                raise BenchError("folder exists and is not a run folder", path=run_dir) from None
        return run_dir
    base = new_run_id(config)
    for attempt in range(1, 1000):
        run_dir = config.output_dir / (base if attempt == 1 else f"{base}-{attempt}")
        try:
            run_dir.mkdir()
        except FileExistsError:
            continue
        return run_dir
    raise BenchError("cannot find a free run id", path=config.output_dir)


def resume_benchmark(run_dir: Path, *, log: Log = _quiet) -> RunResult:
    """Continue the run stored in ``run_dir`` with the configuration it was started with."""
    manifest = read_manifest(run_dir)
    try:
        config = RunConfig.from_json(manifest.config)
    except (ValueError, KeyError, TypeError) as exc:
        raise BenchError(f"unreadable run configuration: {exc}", path=run_dir / MANIFEST) from None
    plan = plan_run(config)
    recorded = {d.name: d.sha256 for d in manifest.datasets}
    for dataset, _ in plan.work:
        if recorded.get(dataset.name) != dataset.sha256:
            then = recorded.get(dataset.name, "none")[:12]
            raise BenchError(
                f"dataset {dataset.name!r} changed since this run started (sha256 "
                f"{then}... then, {dataset.sha256[:12]}... now); "
                "its stored outputs belong to the old articles: start a new run",
                path=run_dir / MANIFEST,
            )
    return _execute(config, plan, run_dir, log, started=manifest.started)


def _execute(
    config: RunConfig, plan: Plan, run_dir: Path, log: Log, started: str | None = None
) -> RunResult:
    assert config.run_id is not None
    metrics = plan.metrics
    datasets = [d for d, _ in plan.work]

    manifest = RunManifest(
        run_id=config.run_id,
        status="running",
        started=started or now(),
        seed=config.seed,
        spinbench_version=__version__,
        python=python_version(),
        platform=platform_name(),
        packages=package_versions(),
        git_commit=git_commit(),
        config=config.to_json(),
        datasets=[
            DatasetInfo(d.name, d.version, d.sha256, len(d.articles), d.location, d.licence)
            for d in datasets
        ],
        systems=[
            SystemInfo(d.name, s.name, s.type_name, s.is_reference, s.describe(), s.spec.spec_hash)
            for d, systems in plan.work
            for s in systems
        ],
        metrics=[m.info() for m in metrics],
    )
    write_json(run_dir / MANIFEST, manifest.to_json())

    rows: list[Row] = []
    comparisons: dict[str, list[Comparison]] = {}
    signature = None
    for dataset, systems in plan.work:
        scorer = Scorer(metrics, [a.text for a in dataset.articles])
        finished = []
        for system in systems:
            results = _run_system(dataset, system, scorer, run_dir, log)
            write_jsonl(
                run_dir / "scores" / dataset.name / f"{system.name}.jsonl",
                [r.to_json() for r in results],
            )
            finished.append((system.name, system.is_reference, results))
        dataset_rows, comparisons[dataset.name], signature = dataset_table(
            dataset.name, finished, metrics, config
        )
        rows += dataset_rows

    board = Leaderboard(
        [m.info() for m in metrics], rows, run_id=config.run_id,
        comparisons=comparisons, uncertainty=signature,
    )  # fmt: skip
    for fmt, file_name in FILE_NAMES.items():
        write_atomic(run_dir / file_name, render(board, fmt))
    manifest.status = "complete"
    manifest.finished = now()
    write_json(run_dir / MANIFEST, manifest.to_json())
    return RunResult(run_dir, manifest, board)


def _run_system(
    dataset: Dataset, system: System, scorer: Scorer, run_dir: Path, log: Log
) -> list[ArticleResult]:
    """Paraphrase what is not done yet (journaled as it completes), then score every article."""
    journal = Journal(run_dir / "outputs" / dataset.name / f"{system.name}.jsonl")
    done = {r["id"]: r for r in journal.read() if r.get("status") == "ok" and "text" in r}
    reused = sum(1 for a in dataset.articles if a.id in done)
    cache = OutputCache.for_system(system)
    todo = []
    cached = 0
    for article in dataset.articles:
        if article.id in done:
            continue
        text = cache.get(article) if cache else None
        if text is None:
            todo.append(article)
            continue
        done[article.id] = {"id": article.id, "status": "ok", "text": text, "cached": True}
        journal.append(done[article.id])
        cached += 1
    progress = Progress(f"[{dataset.name}] {system.name}", len(todo))
    start = time.perf_counter()
    for article, outcome in system.paraphrase_many(todo):
        record: dict[str, Any] = {"id": article.id}
        if isinstance(outcome, SystemFailure):
            record |= {"status": "failed", "error": str(outcome)}
        else:
            record |= {"status": "ok", "text": outcome}
            if cache:
                cache.put(article, outcome)
        record["seconds"] = round(time.perf_counter() - start, 4)
        journal.append(record)
        done[article.id] = record
        progress.advance()
    progress.close()

    results: list[ArticleResult] = []
    for index, article in enumerate(dataset.articles):
        record = done[article.id]
        if record["status"] == "ok":
            results.append(scorer.score(index, article.id, record["text"]))
        else:
            results.append(scorer.score(index, article.id, "", error=record["error"]))
    failed = sum(1 for r in results if r.status == "failed")
    notes = [f"{reused} reused from an earlier attempt"] if reused else []
    notes += [f"{cached} from the output cache"] if cached else []
    log(
        f"[{dataset.name}] {system.name}: {len(results)} articles, {failed} failed"
        + "".join(f", {n}" for n in notes)
    )
    return results
