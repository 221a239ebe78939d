"""Line-numbered reading of JSONL, CSV and text files, with every problem located.

Readers here never stop at the first problem: they collect each one as a
:class:`~bench.errors.BenchError` naming file, line and article, so that
``bench validate`` can list them all, while loaders raise them together.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.errors import BenchError, ProblemList


@dataclass
class Problems:
    """Problems found while reading; ``raise_if_any`` turns them into one error."""

    items: list[BenchError] = field(default_factory=list)
    notes: list[BenchError] = field(default_factory=list)
    """What was passed over without being an error (a FIFO in a folder of .txt files)."""

    def add(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        article: str | None = None,
    ) -> None:
        """Record one problem, with the file, line or article it is about."""
        self.items.append(BenchError(message, path=path, line=line, article=article))

    def note(self, message: str, *, path: Path | str | None = None) -> None:
        """Record something passed over that is not an error (``print_notes`` says it)."""
        self.notes.append(BenchError(message, path=path))

    def print_notes(self) -> None:
        """Say on stderr what was skipped: nothing may be left out without a word."""
        for note in self.notes:
            print(f"warning: {note}", file=sys.stderr)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        """Raise every problem recorded as one ``ProblemList``, or do nothing if none."""
        if self.items:
            raise ProblemList(self.items)


LIMIT_VARIABLE = "SPINBENCH_MAX_ARTICLE_MB"
DEFAULT_LIMIT_MB = 2.0
"""The most one record may hold (a JSONL line, a CSV field, a .txt file), in megabytes
of text: hundreds of times a long news article (the bundled ones hold at most 3,458
characters). The default metrics score a 1 MB article in one or two minutes, in under
1 GiB (README, Reliability); a longer record is refused with its file and line before
anything is scored, so no single article can hold a run up for long.
``SPINBENCH_MAX_ARTICLE_MB`` changes the limit."""


def record_limit() -> int:
    """The record limit in characters (``$SPINBENCH_MAX_ARTICLE_MB``, else the default)."""
    raw = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not raw:
        return int(DEFAULT_LIMIT_MB * 1_000_000)
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (value > 0 and math.isfinite(value)):
        raise BenchError(f"{LIMIT_VARIABLE} must be a positive number of megabytes, found {raw!r}")
    return int(value * 1_000_000)


def over_limit(size: int, limit: int, what: str, unit: str = "characters") -> str:
    """Why a record is refused: its size, the limit, and how to raise it."""
    return (
        f"{what} holds {size:,} {unit}, over the limit of {limit / 1e6:g} MB for one "
        f"article (set {LIMIT_VARIABLE} to raise it)"
    )


_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


def not_regular(mode: int) -> str | None:
    """What a file that is not a regular file is (a device, a FIFO...), else None."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_text(path: Path, problems: Problems, *, limit: int | None = None) -> str | None:
    """The file's text as UTF-8 (a BOM is dropped, CRLF becomes LF), or None with a problem.

    Only regular files are read: a link to ``/dev/zero`` or a FIFO would never end.
    With ``limit``, the whole file is one article and may hold at most that many bytes.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        problems.add("file not found", path=path)
        return None
    except OSError as exc:  # a symlink loop, a folder that cannot be searched
        problems.add(f"cannot read file: {exc.strerror}", path=path)
        return None
    if stat.S_ISDIR(mode):
        problems.add("expected a file, found a folder", path=path)
        return None
    if (kind := not_regular(mode)) is not None:
        problems.add(f"not a regular file ({kind}); spinbench reads only regular files", path=path)
        return None
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if limit is not None and size > limit:
                problems.add(over_limit(size, limit, "the file", "bytes"), path=path)
                return None
            data = handle.read()
    except OSError as exc:
        problems.add(f"cannot read file: {exc.strerror}", path=path)
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save the file as UTF-8",
            path=path,
            line=line,
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


class JSONProblem(ValueError):
    """Why a JSON text cannot be read, and on which of its lines (None: not known)."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def parse_json(text: str) -> Any:
    """``json.loads``, failing only with :class:`JSONProblem`.

    ``json.loads`` also raises a plain ValueError for an integer of more than
    4,300 digits and RecursionError for deeply nested arrays; both are bad
    input like any other malformed JSON, not crashes.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JSONProblem(f"{exc.msg} at column {exc.colno}", exc.lineno) from None
    except ValueError:
        raise JSONProblem("a number with too many digits", None) from None
    except RecursionError:
        raise JSONProblem("nested too deeply", None) from None


def jsonl_objects(
    path: Path, problems: Problems, *, limit: int | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for every non-blank line of a JSONL file (of at most
    ``limit`` characters each, when given)."""
    text = read_text(path, problems)
    if text is None:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if limit is not None and len(line) > limit:
            problems.add(over_limit(len(line), limit, "the line"), path=path, line=number)
            continue
        try:
            value = parse_json(line)
        except JSONProblem as exc:
            problems.add(f"malformed JSON ({exc.message})", path=path, line=number)
            continue
        if not isinstance(value, dict):
            problems.add(
                f"expected a JSON object per line, found {type(value).__name__}",
                path=path,
                line=number,
            )
            continue
        yield number, value


def csv_rows(
    path: Path, problems: Problems, *, limit: int | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, row)`` for every data row of a CSV file with a header row.

    The line is where the row starts (a quoted field may span lines). A quote
    left open by a truncated file is an error, not a field running to the end.
    A field may hold ``limit`` characters (when given; else any number).
    """
    text = read_text(path, problems)
    if text is None:
        return
    # csv's own limit (128 KiB) is too small for long articles: ours, or the file's length.
    csv.field_size_limit(limit if limit is not None else max(len(text), 131072))
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    start = 1  # the line where the row being read starts: the header first
    try:
        if reader.fieldnames is None:
            return  # an empty file: no rows
        start = reader.line_num + 1  # the first row starts after the header
        for row in reader:
            if None in row:
                problems.add("row has more fields than the header", path=path, line=start)
            else:
                yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        if limit is not None and "field larger than field limit" in str(exc):
            problems.add(
                f"a field is over the limit of {limit / 1e6:g} MB for one article "
                f"(set {LIMIT_VARIABLE} to raise it)",
                path=path,
                line=start,
            )
        else:
            problems.add(f"malformed CSV: {exc}", path=path, line=start)
