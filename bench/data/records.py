"""Line-numbered reading of JSONL, CSV and text files, with every problem located.

Readers here never stop at the first problem: they collect each one as a
:class:`~bench.errors.BenchError` naming file, line and article, so that
``bench validate`` can list them all, while loaders raise them together.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.errors import BenchError, ProblemList


@dataclass
class Problems:
    """Problems found while reading; ``raise_if_any`` turns them into one error."""

    items: list[BenchError] = field(default_factory=list)

    def add(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        article: str | None = None,
    ) -> None:
        self.items.append(BenchError(message, path=path, line=line, article=article))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ProblemList(self.items)


def read_text(path: Path, problems: Problems) -> str | None:
    """The file's text as UTF-8 (a BOM is dropped, CRLF becomes LF), or None with a problem."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.add("file not found", path=path)
        return None
    except IsADirectoryError:
        problems.add("expected a file, found a folder", path=path)
        return None
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


def jsonl_objects(path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for every non-blank line of a JSONL file."""
    text = read_text(path, problems)
    if text is None:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
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


def csv_rows(path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, row)`` for every data row of a CSV file with a header row.

    The line is where the row starts (a quoted field may span lines). A quote
    left open by a truncated file is an error, not a field running to the end.
    """
    text = read_text(path, problems)
    if text is None:
        return
    # No field is longer than the file: lift csv's 128 KiB limit for long articles.
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
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
        problems.add(f"malformed CSV: {exc}", path=path, line=start)
