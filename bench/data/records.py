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


def jsonl_objects(path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for every non-blank line of a JSONL file."""
    text = read_text(path, problems)
    if text is None:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.add(
                f"malformed JSON ({exc.msg} at column {exc.colno})", path=path, line=number
            )
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
    """``(line number, row)`` for every data row of a CSV file with a header row."""
    text = read_text(path, problems)
    if text is None:
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            if None in row:
                problems.add("row has more fields than the header", path=path, line=reader.line_num)
                continue
            yield reader.line_num, row
    except csv.Error as exc:
        problems.add(f"malformed CSV: {exc}", path=path, line=reader.line_num)
