"""Errors that reach the user as one line naming the place and what was expected."""

from __future__ import annotations

import errno
from pathlib import Path


class BenchError(Exception):
    """Bad input or usage: the CLI prints it on one line and exits with code 2."""

    exit_code = 2

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
        """Where the problem is, as the error line shows it: "file:line article 'id'",
        whichever parts are known, or "" if none is."""
        parts = []
        if self.path is not None:
            parts.append(self.path if self.line is None else f"{self.path}:{self.line}")
        if self.article is not None:
            parts.append(f"article {self.article!r}")
        return " ".join(parts)

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


class RunFailure(BenchError):
    """A run that cannot go on for a reason outside its input (a full disk, a folder held
    by another process, a signal): one line naming the place, exit code 1. What was
    computed before it is kept, and ``bench run --resume`` continues."""

    exit_code = 1


_USAGE_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR}
"""Failures that come from where the user pointed spinbench (a read-only folder, a file
where a folder should be): usage errors, exit 2. Any other (a full disk, an I/O error)
stops a run that was given good input: exit 1."""


def os_failure(exc: OSError, path: Path | str, doing: str) -> BenchError:
    """An OSError (whose own text may name no path, as ``[Errno 28]`` does) as one error
    naming ``path``."""
    reason = exc.strerror or str(exc)
    kind = BenchError if exc.errno in _USAGE_ERRNOS else RunFailure
    return kind(f"cannot {doing}: {reason}", path=path)


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
