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
import stat
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench import __version__
from bench.config import RunConfig
from bench.data.article import Article
from bench.data.dataset import Dataset, load_dataset
from bench.data.records import not_regular
from bench.errors import BenchError
from bench.execution import Execution, Executor, open_executor
from bench.execution.tasks import (
    ParaphraseTask,
    ScoreItem,
    ScoreTask,
    paraphrase_chunk,
    score_chunk,
)
from bench.gates import check_gates
from bench.leaderboard import FILE_NAMES, Leaderboard, Row, render
from bench.progress import Progress
from bench.provenance import git_commit, now, package_versions, platform_name, python_version
from bench.results.lock import holding, sweep_temporary
from bench.results.read import MANIFEST, read_manifest
from bench.results.schema import ArticleResult, DatasetInfo, RunManifest, SystemInfo
from bench.results.store import Journal, atomic_lines, write_atomic, write_json
from bench.score_cache import ScoreCache, entry_key, fingerprint, text_digest
from bench.scoring import ConfiguredMetric, MetricResult, build_metrics
from bench.stats import Comparison
from bench.systems import System, SystemFailure, systems_for
from bench.systems.cache import OutputCache
from bench.uncertainty import dataset_table

Log = Callable[[str], None]


@dataclass(frozen=True)
class RunResult:
    """What a finished run hands back: where its files are, its manifest and its leaderboard
    (the same tables that were written to the folder)."""

    run_dir: Path
    manifest: RunManifest
    leaderboard: Leaderboard


def new_run_id(config: RunConfig) -> str:
    """A run id such as ``20250314-093000-1a2b3c``: the UTC start time, so folders sort
    by age, then six hex digits of the configuration's hash, so two configurations
    started in the same second still get different folders."""
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


def run_benchmark(
    config: RunConfig, *, log: Log = _quiet, execution: Execution | None = None
) -> RunResult:
    """Run ``config`` into a new folder under its output directory."""
    plan = plan_run(config)
    run_dir = _claim_run_dir(config)
    execution = execution or Execution()
    with holding(run_dir):
        return _execute(replace(config, run_id=run_dir.name), plan, run_dir, log, execution)


def _output_folder(folder: Path) -> None:
    """Create the results folder, or say in one line why it cannot be one."""
    if folder.exists() and not folder.is_dir():
        raise BenchError(
            f"the output folder is not a folder ({_kind(folder)}); give -o a folder", path=folder
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BenchError(f"cannot create the output folder: {exc.strerror}", path=folder) from None


def _kind(path: Path) -> str:
    """What a path that is not a folder is, in words."""
    mode = path.stat().st_mode
    return "a file" if stat.S_ISREG(mode) else not_regular(mode) or "not a folder"


def _claim_run_dir(config: RunConfig) -> Path:
    """Create the run's folder; creating it is what reserves the run id.

    Two runs started in the same second with the same config get ``-2``, ``-3``
    suffixes instead of sharing a folder. A run id given by the user is never
    changed: if that run exists, the user is pointed to ``--resume``.
    """
    _output_folder(config.output_dir)
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
        except OSError as exc:
            raise BenchError(
                f"cannot create the run folder: {exc.strerror}", path=run_dir
            ) from None
        return run_dir
    base = new_run_id(config)
    for attempt in range(1, 1000):
        run_dir = config.output_dir / (base if attempt == 1 else f"{base}-{attempt}")
        try:
            run_dir.mkdir()
        except FileExistsError:
            continue
        except OSError as exc:
            raise BenchError(
                f"cannot create the run folder: {exc.strerror}", path=run_dir
            ) from None
        return run_dir
    raise BenchError("cannot find a free run id", path=config.output_dir)


def resume_benchmark(
    run_dir: Path, *, log: Log = _quiet, execution: Execution | None = None
) -> RunResult:
    """Continue the run stored in ``run_dir`` with the configuration it was started with."""
    manifest = read_manifest(run_dir)
    try:
        config = RunConfig.from_json(manifest.config)
    except ValueError as exc:
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
    execution = execution or Execution()
    with holding(run_dir):
        swept = sweep_temporary(run_dir)
        if swept:
            log(f"removed {swept} temporary file(s) left by the interrupted run")
        return _execute(config, plan, run_dir, log, execution, started=manifest.started)


def _execute(
    config: RunConfig,
    plan: Plan,
    run_dir: Path,
    log: Log,
    execution: Execution,
    started: str | None = None,
) -> RunResult:
    """The run itself, in a folder already claimed: the manifest first (status "running"),
    then each dataset's systems paraphrased and scored, the leaderboard in every format,
    and the manifest again (status "complete"). A resumed run passes its first start
    time as ``started``, so the manifest keeps it."""
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
    cache = ScoreCache.default()
    with open_executor(execution) as executor:
        for dataset, systems in plan.work:
            outputs = {
                s.name: _paraphrase(dataset, s, run_dir, log, executor, execution.chunk)
                for s in systems
            }
            scores_dir = run_dir / "scores" / dataset.name
            scored = _score(
                dataset, outputs, config, metrics, executor, cache, execution.chunk, scores_dir
            )
            finished = [(s.name, s.is_reference, scored[s.name]) for s in systems]
            dataset_rows, comparisons[dataset.name], signature = dataset_table(
                dataset.name, finished, metrics, config
            )
            rows += dataset_rows
    if cache is not None:
        cache.close()
        if cache.bad_rows:
            log(
                f"note: the score cache {cache.path} held {cache.bad_rows} row(s) that are "
                "not metric results; they were ignored and computed again"
            )

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


def _chunks(items: Sequence[Article], size: int) -> Iterator[tuple[Article, ...]]:
    """``items`` in consecutive tuples of ``size`` (the last may be shorter)."""
    for start in range(0, len(items), size):
        yield tuple(items[start : start + size])


def _paraphrase(
    dataset: Dataset, system: System, run_dir: Path, log: Log, executor: Executor, chunk: int
) -> dict[str, dict[str, Any]]:
    """Each article's journal record, paraphrasing (and journaling) only what is not done yet.

    Systems that declare ``parallel`` are rebuilt in the executor's workers and
    run a chunk of articles per task; the others (remote APIs, commands, stored
    outputs) run here, overlapping their own calls as they see fit.
    """
    journal = Journal(run_dir / "outputs" / dataset.name / f"{system.name}.jsonl")
    done = {r["id"]: r for r in journal.read() if r.get("status") == "ok" and "text" in r}
    reused = sum(1 for a in dataset.articles if a.id in done)
    cache = OutputCache.for_system(system)
    todo = []
    cached = 0
    with journal.appending() as writer:
        for article in dataset.articles:
            if article.id in done:
                continue
            text = cache.get(article) if cache else None
            if text is None:
                todo.append(article)
                continue
            done[article.id] = {"id": article.id, "status": "ok", "text": text, "cached": True}
            writer.append(done[article.id])
            cached += 1
        progress = Progress(f"[{dataset.name}] {system.name}", len(todo))
        start = time.perf_counter()

        def record(article: Article, text: str | None, error: str | None) -> None:
            limit = system.output_limit(article)
            if text is not None and len(text) * 4 > limit and len(text.encode()) > limit:
                text, error = None, system.too_long(limit)
            entry: dict[str, Any] = {"id": article.id}
            if text is None:
                entry |= {"status": "failed", "error": error}
            else:
                entry |= {"status": "ok", "text": text}
                if cache:
                    cache.put(article, text)
            entry["seconds"] = round(time.perf_counter() - start, 4)
            writer.append(entry)
            done[article.id] = entry
            progress.advance()

        try:
            if system.parallel and executor.workers > 1:
                batches = [ParaphraseTask(system.spec, c) for c in _chunks(todo, chunk)]
                found_all = executor.map(paraphrase_chunk, batches)
                for task, found in zip(batches, found_all, strict=True):
                    for article, (_, text, error) in zip(task.articles, found, strict=True):
                        record(article, text, error)
            else:
                for article, outcome in system.paraphrase_many(todo):
                    if isinstance(outcome, SystemFailure):
                        record(article, None, str(outcome))
                    else:
                        record(article, outcome, None)
        finally:
            progress.close()  # a failed system leaves no bar behind
    failed = sum(1 for a in dataset.articles if done[a.id]["status"] != "ok")
    notes = [f"{reused} reused from an earlier attempt"] if reused else []
    notes += [f"{cached} from the output cache"] if cached else []
    log(
        f"[{dataset.name}] {system.name}: {len(dataset.articles)} articles, {failed} failed"
        + "".join(f", {n}" for n in notes)
    )
    return done


@dataclass
class _Chunk:
    """Articles ``low..high`` of a dataset on their way through scoring."""

    low: int
    high: int
    found: dict[tuple[str, int], dict[str, MetricResult]]
    """Per (system, article): the metric results known so far (from the cache, then scored)."""
    keys: dict[tuple[str, int, str], str]
    """Per (system, article, metric): the score cache key."""
    items: tuple[ScoreItem, ...]


def _score(
    dataset: Dataset,
    outputs: dict[str, dict[str, dict[str, Any]]],
    config: RunConfig,
    metrics: Sequence[ConfiguredMetric],
    executor: Executor,
    cache: ScoreCache | None,
    chunk: int,
    scores_dir: Path,
) -> dict[str, list[ArticleResult]]:
    """Score every system, a chunk of articles at a time, streaming results to ``scores_dir``.

    For each chunk, results are looked up in the score cache; what is missing
    goes to the executor as one task carrying every system's paraphrases of
    those articles (each clean article is prepared once per metric). As each
    chunk comes back, its results are cached and appended to the systems'
    scores files, and only their statistics and scores are kept: a run holds
    no more diagnostics in memory than a few chunks' worth. A failed article
    is scored as an empty paraphrase.
    """
    articles = dataset.articles
    hypotheses = {
        name: ["" if done[a.id]["status"] != "ok" else done[a.id]["text"] for a in articles]
        for name, done in outputs.items()
    }
    wanted = [m.key for m in metrics]
    sizes = {m.key: len(m.metric.statistic_names) for m in metrics}
    prints = {m.key: fingerprint(m) for m in metrics} if cache is not None else {}
    progress = Progress(f"[{dataset.name}] scoring", len(articles) * len(outputs))
    flowing: deque[_Chunk] = deque()

    def look_up(low: int, high: int) -> _Chunk:
        found: dict[tuple[str, int], dict[str, MetricResult]] = {
            (name, i): {} for name in outputs for i in range(low, high)
        }
        keys: dict[tuple[str, int, str], str] = {}
        if cache is not None:
            for i in range(low, high):
                reference = text_digest(articles[i].text)
                for name, texts in hypotheses.items():
                    digest = text_digest(texts[i])
                    for key in wanted:
                        keys[name, i, key] = entry_key(prints[key], reference, digest)
            hits = cache.get_many(keys.values())
            for (name, i, key), cache_key in keys.items():
                hit = hits.get(cache_key)
                if hit is not None and len(hit[0]) == sizes[key]:
                    found[name, i][key] = hit
                elif hit is not None:
                    cache.bad_rows += 1
        items = tuple(
            ScoreItem(i - low, name, hypotheses[name][i], missing)
            for i in range(low, high)
            for name in outputs
            if (missing := tuple(k for k in wanted if k not in found[name, i]))
        )
        return _Chunk(low, high, found, keys, items)

    def shipped() -> Iterator[ScoreTask]:
        """One task per chunk, in order; a chunk found whole in the cache ships empty."""
        for low in range(0, len(articles), chunk):
            part = look_up(low, min(low + chunk, len(articles)))
            flowing.append(part)
            references = tuple(a.text for a in articles[part.low : part.high])
            yield ScoreTask(config.metrics, references if part.items else (), part.items)

    kept: dict[str, list[ArticleResult]] = {name: [] for name in outputs}
    with ExitStack() as files:
        files.callback(progress.close)  # the bar goes even when scoring fails
        writers = {
            name: files.enter_context(atomic_lines(scores_dir / f"{name}.jsonl"))
            for name in outputs
        }
        for results in executor.map(score_chunk, shipped()):
            part = flowing.popleft()
            fresh: dict[str, MetricResult] = {}
            for item, result in zip(part.items, results, strict=True):
                i = part.low + item.article
                part.found[item.system, i] |= result
                if part.keys:
                    for key, computed in result.items():
                        fresh[part.keys[item.system, i, key]] = computed
            if cache is not None and fresh:
                cache.put_many(fresh)
            for name, done in outputs.items():
                for i in range(part.low, part.high):
                    row = _result(articles[i].id, done[articles[i].id], part.found[name, i], wanted)
                    writers[name](row.to_json())
                    kept[name].append(replace(row, diagnostics={}))
                    progress.advance()
    return kept


def _result(
    article_id: str, record: dict[str, Any], found: dict[str, MetricResult], keys: list[str]
) -> ArticleResult:
    """One article's line of a scores file: its statistics, scores and diagnostics per
    metric (in ``keys`` order) and, if the system failed on it, the error it gave."""
    failed = record["status"] != "ok"
    return ArticleResult(
        id=article_id,
        status="failed" if failed else "ok",
        statistics={k: found[k][0] for k in keys},
        scores={k: found[k][1] for k in keys},
        error=record.get("error") if failed else None,
        diagnostics={k: found[k][2] for k in keys if found[k][2] is not None},
    )
