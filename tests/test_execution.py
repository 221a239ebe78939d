"""Executors: the same results whatever executor and however many workers; nothing scored twice.

Every run here is compared file by file with a run on one worker in this
process (the inline executor), which is the plain loop the runner always had.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

import bench.runner
from bench.config import DatasetSpec, MetricSpec, RunConfig, SystemSpec
from bench.errors import BenchError
from bench.execution import Execution, local_workers, open_executor
from bench.execution.base import Executor
from bench.execution.local import InlineExecutor, ProcessExecutor
from bench.runner import RunResult, run_benchmark
from bench.score_cache import ScoreCache
from tests.conftest import DATASETS

T = TypeVar("T")
R = TypeVar("R")

SYSTEMS = (
    SystemSpec("naive", "spinner", {"mode": "naive", "seed": 7}),
    SystemSpec("names", "mangle-entities", {"seed": 3}),
    SystemSpec("digits", "change-numbers", {"seed": 4}),
)
METRICS = tuple(MetricSpec(m) for m in ("ranking", "bleu", "chrf", "entities", "quantities",
                                        "artefacts", "pinc", "edit_distance"))  # fmt: skip


def _config(tmp_path: Path, run_id: str) -> RunConfig:
    return RunConfig(
        datasets=(DatasetSpec(str(DATASETS / "news")),),
        systems=SYSTEMS,
        metrics=METRICS,
        output_dir=tmp_path / "results",
        run_id=run_id,
        bootstrap=200,
    )


def _files(result: RunResult) -> dict[str, Any]:
    """Every scores and leaderboard file of a run, minus timings and the run id."""
    found: dict[str, Any] = {}
    for path in sorted(result.run_dir.rglob("*")):
        relative = str(path.relative_to(result.run_dir))
        if path.suffix == ".jsonl":
            rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
            for row in rows:
                row.pop("seconds", None)
                row.pop("cached", None)
            found[relative] = rows
        elif path.name.startswith("leaderboard"):
            name = result.run_dir.name
            text = path.read_text("utf-8")
            found[relative] = text.replace(f"`{name}`", "RUN").replace(f'"{name}"', "RUN")
    return found


class CountingExecutor(Executor):
    """The inline executor, counting the tasks it is given per task function."""

    name = "counting"
    workers = 1

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}
        self.items = 0
        """Paraphrases scored (a chunk found whole in the score cache ships empty)."""

    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        for task in tasks:
            self.calls[fn.__name__] = self.calls.get(fn.__name__, 0) + 1
            self.items += len(getattr(task, "items", ()))
            yield fn(task)


@pytest.fixture(scope="module")
def inline_run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    tmp = tmp_path_factory.mktemp("inline")
    os.environ["SPINBENCH_CACHE"] = "off"
    try:
        return run_benchmark(_config(tmp, "inline"), execution=Execution(workers=1))
    finally:
        del os.environ["SPINBENCH_CACHE"]


@pytest.mark.parametrize("chunk", [1, 64])
@pytest.mark.slow
def test_two_worker_processes_give_the_inline_results_file_for_file(
    inline_run: RunResult, tmp_path: Path, chunk: int
) -> None:
    result = run_benchmark(_config(tmp_path, "pool"), execution=Execution(workers=2, chunk=chunk))
    assert _files(result) == _files(inline_run)


@pytest.mark.slow
def test_a_rerun_with_nothing_changed_scores_nothing_and_gives_the_same_files(
    inline_run: RunResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = CountingExecutor(), CountingExecutor()
    executors = iter([first, second])
    monkeypatch.setattr(bench.runner, "open_executor", lambda _: next(executors))
    one = run_benchmark(_config(tmp_path, "one"))
    two = run_benchmark(_config(tmp_path, "two"))
    # One worker: the spinners paraphrase in this process, no paraphrase tasks.
    assert first.calls == second.calls == {"score_chunk": 2}  # 32 articles, 16 per task
    assert first.items == 32 * len(one.manifest.systems)
    assert second.items == 0
    assert _files(one) == _files(two) == _files(inline_run)


@pytest.mark.slow
def test_adding_a_metric_scores_only_that_metric(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_benchmark(_config(tmp_path, "one"), execution=Execution(workers=1))
    seen: list[tuple[str, ...]] = []
    original = bench.runner.score_chunk

    def spy(task: Any) -> Any:
        seen.extend(item.metrics for item in task.items)
        return original(task)

    monkeypatch.setattr(bench.runner, "score_chunk", spy)
    config = _config(tmp_path, "two")
    more = RunConfig(
        **{**config.__dict__, "metrics": (*METRICS, MetricSpec("chrf", {"word_order": 2}))}
    )
    run_benchmark(more, execution=Execution(workers=1))
    assert seen and set(seen) == {("chrf[word_order=2]",)}


def test_score_cache_survives_a_broken_database(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    try:
        cache = ScoreCache(path)
    except Exception:  # opening may fail; then the run goes on without it
        return
    assert cache.get_many(["a" * 64]) == {}
    cache.put_many({"b" * 64: ([1, 2], 0.5, None)})  # must not raise


def test_process_executor_keeps_task_order_and_reports_a_dead_worker() -> None:
    with ProcessExecutor(2) as executor:
        assert list(executor.map(abs, range(-50, 0))) == list(range(50, 0, -1))
        with pytest.raises(BenchError, match="worker process died"):
            list(executor.map(os._exit, [0, 0, 0]))


def test_execution_options_are_checked() -> None:
    assert isinstance(open_executor(Execution(workers=1)), InlineExecutor)
    assert local_workers(0) >= 1
    with pytest.raises(BenchError, match="unknown executor"):
        Execution(executor="dask")
    with pytest.raises(BenchError, match="--address is for --executor ray"):
        Execution(address="auto")
    with pytest.raises(BenchError, match="--workers"):
        Execution(workers=-1)


@pytest.mark.slow
def test_ray_executor_gives_the_local_results(inline_run: RunResult, tmp_path: Path) -> None:
    """A private Ray instance with 2 CPUs, started and stopped by the run itself."""
    pytest.importorskip("ray")
    result = run_benchmark(_config(tmp_path, "ray"), execution=Execution("ray", workers=2))
    assert _files(result) == _files(inline_run)


class Killed(BaseException):
    """Stands in for SIGKILL: nothing after it runs (tests/test_faults.py sends the real one)."""


class DyingExecutor(CountingExecutor):
    """Scores one chunk, then the run dies."""

    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        for result in super().map(fn, tasks):
            yield result
            if fn.__name__ == "score_chunk":
                raise Killed


@pytest.mark.slow
def test_a_run_killed_while_scoring_resumes_without_scoring_anything_twice(
    inline_run: RunResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    executors: Iterator[Executor] = iter([DyingExecutor(), CountingExecutor()])
    monkeypatch.setattr(bench.runner, "open_executor", lambda _: next(executors))
    with pytest.raises(Killed):
        run_benchmark(_config(tmp_path, "killed"))
    scored: list[int] = []
    original = bench.runner.score_chunk

    def spy(task: Any) -> Any:
        scored.extend(int(item.article) for item in task.items)
        return original(task)

    monkeypatch.setattr(bench.runner, "score_chunk", spy)
    result = bench.runner.resume_benchmark(tmp_path / "results" / "killed")
    # The first chunk (articles 0-15, every system) was scored before the kill and is
    # found in the cache; the resumed run scores the second chunk only.
    assert len(scored) == 16 * len(result.manifest.systems)
    assert _files(result) == _files(inline_run)
