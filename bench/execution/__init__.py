"""Where a run's work happens: in this process, in local worker processes, or on Ray.

The runner cuts a run into tasks (:mod:`bench.execution.tasks`): a chunk of
articles to paraphrase with one system, or a chunk of articles to score
against every system's paraphrases. An executor (:mod:`bench.execution.base`)
maps a task function over the tasks and returns results in task order, so the
runner journals and writes them exactly as it would have one at a time.
How the work is spread is not part of a run's configuration: the same run
gives the same numbers whatever the executor and however many workers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from bench.errors import BenchError
from bench.execution.base import Executor
from bench.execution.local import InlineExecutor, ProcessExecutor

EXECUTORS = ("local", "ray")


@dataclass(frozen=True)
class Execution:
    """How a run's work is spread (``--executor``, ``--workers``, ``--address``): checked
    when built, so a bad combination fails before anything runs. It changes how fast a
    run goes, never its numbers."""

    executor: str = "local"
    workers: int = 0
    """Worker processes for the local executor; 0 means one per core."""
    address: str | None = None
    """Ray: the cluster to join (``auto``, ``ray://host:10001``); none starts a local one."""
    chunk: int = 16
    """Articles per task: small enough to spread the work, large enough to batch NER."""

    def __post_init__(self) -> None:
        if self.executor not in EXECUTORS:
            raise BenchError(f"unknown executor {self.executor!r} (choose local or ray)")
        if self.workers < 0:
            raise BenchError("--workers must be 0 (one per core) or more")
        if self.chunk < 1:
            raise BenchError("the chunk size must be at least 1")
        if self.address is not None and self.executor != "ray":
            raise BenchError("--address is for --executor ray")


def local_workers(requested: int) -> int:
    """``requested``, or the cores this process may use when it is 0."""
    if requested:
        return requested
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def open_executor(execution: Execution) -> Executor:
    """Start the executor asked for: Ray, a pool of local worker processes, or (with one
    worker) the calling process itself, which starts nothing. Use it as a context
    manager, so its workers end with the run."""
    if execution.executor == "ray":
        from bench.execution.ray import RayExecutor

        return RayExecutor(execution.address, execution.workers)
    workers = local_workers(execution.workers)
    return InlineExecutor() if workers == 1 else ProcessExecutor(workers)


__all__ = ["EXECUTORS", "Execution", "Executor", "local_workers", "open_executor"]
