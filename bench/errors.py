"""Errors that reach the user as one line naming the place and what was expected."""

from __future__ import annotations

from pathlib import Path


class BenchError(Exception):
    """Bad input or usage: the CLI prints it on one line and exits with code 2."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        article: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.article = article

    @property
    def place(self) -> str:
        parts = []
        if self.path is not None:
            parts.append(self.path if self.line is None else f"{self.path}:{self.line}")
        if self.article is not None:
            parts.append(f"article {self.article!r}")
        return " ".join(parts)

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


class ProblemList(BenchError):
    """Several problems found in one input; the first is the message."""

    def __init__(self, problems: list[BenchError]) -> None:
        first = problems[0]
        more = len(problems) - 1
        suffix = f" (and {more} more problem{'s' * (more > 1)}; `bench validate` lists all)"
        super().__init__(
            first.message + (suffix if more else ""),
            path=first.path,
            line=first.line,
            article=first.article,
        )
        self.problems = problems
