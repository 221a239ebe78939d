"""The executor contract: map a task function over tasks, results in task order."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


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
