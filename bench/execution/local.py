"""Executors on this machine: in the calling process, or in a pool of worker processes."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from bench.errors import BenchError
from bench.execution.base import Executor, windowed
from bench.process import RUN_PID, start_worker

T = TypeVar("T")
R = TypeVar("R")

IN_FLIGHT_PER_WORKER = 2
"""Tasks queued per worker: enough to keep every worker busy, few enough to bound memory."""


class InlineExecutor(Executor):
    """Every task in the calling process, one after another (``--workers 1``)."""

    name = "local"
    workers = 1

    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        for task in tasks:
            yield fn(task)


class ProcessExecutor(Executor):
    """A pool of worker processes started by a fork server.

    The fork server imports the task module once (numpy, sacrebleu, the metric
    code), and every worker is forked from it, so a worker starts in
    milliseconds without inheriting the parent's threads or open files. The
    fork server dies with the run and each worker with the fork server, so a
    killed run leaves no worker behind (``bench.execution.forkserver``). A
    worker builds its metrics and systems once and keeps them for every task
    it is given (see :mod:`bench.execution.tasks`).
    """

    name = "local"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        os.environ[RUN_PID] = str(os.getpid())  # for the fork server (bench.process)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["bench.execution.forkserver"])
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=start_worker
        )

    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        def submit(task: T) -> Future[R]:
            return self._pool.submit(fn, task)

        try:
            yield from windowed(
                submit, Future.result, Future.cancel, tasks, self.workers * IN_FLIGHT_PER_WORKER
            )
        except BrokenProcessPool:
            raise BenchError(
                "a worker process died (out of memory, or killed); results computed so far "
                "are kept: resume the run, or rerun with fewer --workers"
            ) from None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
