"""An executor on a Ray cluster (``pip install 'spinbench[ray]'``; ``--executor ray``).

The run itself stays on the machine that starts it: it reads the datasets,
journals outputs, owns the score cache and writes the results, exactly as
with the local executor. Ray only runs the tasks (:mod:`bench.execution.tasks`),
a chunk of articles each, on whatever CPUs the cluster has. Every node needs
the same spinbench installed (and, for the fact metrics, the same spaCy model;
the metric signatures in the results say which one was used).

Without ``--address`` a private Ray instance is started on this machine
(``--workers`` CPUs, all of them by default) and shut down at the end.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from bench.errors import BenchError
from bench.execution.base import Executor, windowed

T = TypeVar("T")
R = TypeVar("R")

IN_FLIGHT_PER_CPU = 2


def _call(fn: Callable[[T], R], task: T) -> R:
    return fn(task)


class RayExecutor(Executor):
    """Tasks run as Ray remote calls: on a cluster given by ``address``, or on a Ray
    instance started here (and shut down with the run; one that was already running is
    left alone). A ``BenchError`` raised in a task comes back as itself."""

    name = "ray"

    def __init__(self, address: str | None, workers: int = 0) -> None:
        try:
            # Imported by name: Ray's API is untyped, so it is used as ``Any`` here.
            ray: Any = importlib.import_module("ray")
        except ImportError:
            raise BenchError("--executor ray needs Ray: pip install 'spinbench[ray]'") from None
        self._ray = ray
        self._owned = not ray.is_initialized()
        if self._owned:
            options: dict[str, Any] = {"include_dashboard": False, "logging_level": "warning"}
            if address:
                options["address"] = address
            elif workers:
                options["num_cpus"] = workers
            try:
                ray.init(**options)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                where = address or "this machine"
                raise BenchError(f"cannot start or reach Ray at {where}: {exc}") from None
        self.address = address
        self.workers = max(int(ray.cluster_resources().get("CPU", 1)), 1)
        self._remote: Any = ray.remote(_call)

    def describe(self) -> str:
        where = self.address or "a local instance"
        return f"ray at {where}, {self.workers} CPUs"

    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        ray = self._ray

        def submit(task: T) -> Any:
            return self._remote.remote(fn, task)

        def wait(reference: Any) -> R:
            try:
                result: R = ray.get(reference)
            except ray.exceptions.RayTaskError as exc:
                if isinstance(exc.cause, BenchError):
                    raise exc.cause from None
                raise
            return result

        yield from windowed(submit, wait, ray.cancel, tasks, self.workers * IN_FLIGHT_PER_CPU)

    def close(self) -> None:
        if self._owned and self._ray.is_initialized():
            self._ray.shutdown()
