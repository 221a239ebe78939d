"""Crash-safe files: whole files are replaced atomically, journals are appended line by line."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from bench.errors import BenchError, os_failure
from metrics import atomic


def _failure(path: Path) -> Callable[[OSError], BenchError]:
    """An OSError while writing ``path`` (a full disk: ``[Errno 28]``, which names no
    file) as one error naming ``path``: a RunFailure, or a BenchError for a read-only
    folder."""
    return lambda exc: os_failure(exc, path, "write")


@contextmanager
def _replacing(path: Path) -> Iterator[_Checked]:
    """A file that replaces ``path``, whole, when the block ends (``metrics.atomic``),
    whose every failure names ``path``."""
    with atomic.replacing(path, _failure(path)) as handle:
        yield _Checked(handle, path)


class _Checked:
    """A text file whose failing writes name the file they were for."""

    def __init__(self, handle: TextIO, path: Path) -> None:
        self._handle = handle
        self._path = path

    def write(self, text: str) -> None:
        try:
            self._handle.write(text)
        except OSError as exc:
            raise os_failure(exc, self._path, "write") from None

    def flush(self) -> None:
        try:
            self._handle.flush()
        except OSError as exc:
            raise os_failure(exc, self._path, "write") from None


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` so that ``path`` holds either the old content or the new, never half."""
    atomic.write_atomic(path, text, _failure(path))


def write_json(path: Path, data: Any) -> None:
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@contextmanager
def atomic_lines(path: Path) -> Iterator[Callable[[dict[str, Any]], None]]:
    """A JSONL file written record by record and put in place whole when the block ends."""
    with _replacing(path) as handle:

        def write(record: dict[str, Any]) -> None:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")

        yield write


class JournalWriter:
    def __init__(self, handle: _Checked) -> None:
        self._handle = handle

    def append(self, record: dict[str, Any]) -> None:
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()


class Journal:
    """An append-only JSONL file: each record is flushed to the OS as it is written, and
    the file is fsynced when a writer closes.

    A process killed mid-write leaves at most one truncated last line, which
    :meth:`read` skips, so everything appended before the kill survives.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> Iterator[dict[str, Any]]:
        """Every intact record; a damaged line (torn, not JSON, not UTF-8) is skipped,
        so its article counts as not done yet."""
        if not self.path.exists():
            return
        with self.path.open("rb") as handle:
            for line in handle:
                if not line.endswith(b"\n"):
                    break  # truncated by a crash
                try:
                    record = json.loads(line.decode("utf-8"))
                except (ValueError, RecursionError):
                    continue
                if isinstance(record, dict):
                    yield record

    def append(self, record: dict[str, Any]) -> None:
        with self.appending() as writer:
            writer.append(record)

    @contextmanager
    def appending(self) -> Iterator[JournalWriter]:
        """A writer for many records: each is flushed to the OS as it is appended (a killed
        process loses none), and the file is fsynced once when the writer closes."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = self.path.open("a", encoding="utf-8")
        except OSError as exc:
            raise os_failure(exc, self.path, "write") from None
        with atomic.closing(handle, _failure(self.path)):
            checked = _Checked(handle, self.path)
            # A crash can leave a partial line; start on a fresh line after it.
            if handle.tell() and not self._ends_with_newline():
                checked.write("\n")
                checked.flush()
            yield JournalWriter(checked)
            checked.flush()
            try:
                os.fsync(handle.fileno())
            except OSError as exc:
                raise os_failure(exc, self.path, "write") from None

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"
