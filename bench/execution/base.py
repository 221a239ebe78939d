"""The executor contract: map a task function over tasks, results in task order."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
H = TypeVar("H")


def windowed(
    submit: Callable[[T], H],
    wait: Callable[[H], R],
    cancel: Callable[[H], object],
    tasks: Iterable[T],
    limit: int,
) -> Iterator[R]:
    """Results of ``tasks`` in order, with at most ``limit`` submitted and not yet waited for.

    ``submit`` hands a task to the workers and returns a handle (a future, a
    Ray object reference); ``wait`` blocks for its result; whatever is still in
    flight when the caller stops early, or on an error, is cancelled.
    """
    pending: deque[H] = deque()
    queue = iter(tasks)
    try:
        for task in queue:
            pending.append(submit(task))
            if len(pending) >= limit:
                break
        while pending:
            result = wait(pending.popleft())
            for task in queue:
                pending.append(submit(task))
                break
            yield result
    finally:
        for handle in pending:
            cancel(handle)


class Executor(ABC):
    """Runs task functions, here or elsewhere.

    ``map`` yields results in the order of the tasks, whatever order they
    finish in, and keeps only a bounded number of tasks in flight, so a run
    never holds more than a few chunks of articles beyond what it is writing.
    Task functions and their arguments must be picklable (module-level
    functions over frozen dataclasses), so that any executor can ship them.
    """

    name: str
    workers: int

    @abstractmethod
    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """``fn(task)`` for each task, yielded in task order."""

    def close(self) -> None:  # noqa: B027 - executors without resources need nothing
        """Release workers; the executor cannot be used afterwards."""

    def describe(self) -> str:
        return f"{self.name}, {self.workers} worker{'s' if self.workers != 1 else ''}"

    def __enter__(self) -> Executor:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
