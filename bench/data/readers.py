"""Turning users' files into articles: JSONL, CSV, a .txt file or a folder of .txt files.

Which field holds what is set by a :class:`FieldMap` (the "column mapping"),
so a CSV with ``doc_id,body`` columns reads as well as spinbench's own
``{"id", "text"}`` JSONL.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.data.article import Article
from bench.data.records import (
    Problems,
    csv_rows,
    jsonl_objects,
    not_regular,
    over_limit,
    read_text,
    record_limit,
)

READABLE_SUFFIXES = (".jsonl", ".csv", ".txt")


@dataclass(frozen=True)
class FieldMap:
    """Which field (JSONL key or CSV column) holds each part of an article."""

    id: str = "id"
    text: str = "text"
    title: str = "title"
    date: str = "date"
    source: str = "source"


Record = tuple[Path, int | None, dict[str, Any]]
"""A raw record with where it came from: file and line (None for a whole .txt file)."""


def _folder_files(folder: Path, problems: Problems) -> list[Path]:
    """The regular ``.txt`` files of a folder, in name order.

    A ``.txt`` entry that is not a regular file (a FIFO, a device, a broken or
    looping link) is skipped, and said so on stderr; a link that leads out of the
    folder is an error: a dataset folder holds its own articles.
    """
    inside = folder.resolve()
    files = []
    for entry in sorted(folder.iterdir()):
        if entry.suffix.lower() != ".txt":
            continue
        if entry.is_symlink():
            try:
                target = entry.resolve(strict=True)
            except (OSError, RuntimeError):
                problems.note("skipped: a broken or looping link", path=entry)
                continue
            if not target.is_relative_to(inside):
                problems.add(f"a link that leads out of the folder (to {target})", path=entry)
                continue
        try:
            mode = entry.stat().st_mode
        except OSError as exc:
            problems.note(f"skipped: {exc.strerror}", path=entry)
            continue
        if stat.S_ISDIR(mode):
            continue
        if (kind := not_regular(mode)) is not None:
            problems.note(f"skipped: not a regular file ({kind})", path=entry)
            continue
        files.append(entry)
    return files


def read_records(path: Path, fields: FieldMap, problems: Problems) -> Iterator[Record]:
    """Raw records of a JSONL/CSV file, a .txt file (one article) or a folder of .txt files.

    One record may hold at most the record limit (``SPINBENCH_MAX_ARTICLE_MB``).
    """
    limit = record_limit()
    if path.is_dir():
        files = _folder_files(path, problems)
        if not files and not problems:
            problems.add("folder holds no .txt files", path=path)
        for file in files:
            yield from read_records(file, fields, problems)
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        for line, obj in jsonl_objects(path, problems, limit=limit):
            yield path, line, obj
    elif suffix == ".csv":
        for line, row in csv_rows(path, problems, limit=limit):
            yield path, line, row
    elif suffix == ".txt":
        text = read_text(path, problems, limit=limit)
        if text is not None:
            yield path, None, {fields.id: path.stem, fields.text: text}
    elif not path.exists():
        problems.add("file not found", path=path)
    else:
        problems.add(
            f"unsupported file type {path.suffix!r}: expected {', '.join(READABLE_SUFFIXES)} "
            "or a folder of .txt files",
            path=path,
        )


def _optional_str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _lone_surrogate(text: str) -> int | None:
    """Where ``text`` holds a lone surrogate (JSON "\\ud800"), which no UTF-8 file can store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def records_to_articles(
    records: Iterable[Record],
    fields: FieldMap,
    problems: Problems,
    *,
    allow_empty_text: bool,
) -> list[Article]:
    """Articles from raw records: checks ids (present, unique) and texts (strings, non-empty).

    An empty text is an error for a clean article (nothing to paraphrase) but
    allowed for a system output, where it is a real failure to be scored.
    """
    articles: list[Article] = []
    seen: dict[str, tuple[Path, int | None]] = {}
    limit = record_limit()
    for path, line, record in records:
        raw_id = record.get(fields.id)
        if raw_id is None or raw_id == "":
            problems.add(f"missing id (field {fields.id!r})", path=path, line=line)
            continue
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
            problems.add(
                f"id must be a string or integer, found {type(raw_id).__name__}",
                path=path,
                line=line,
            )
            continue
        article_id = str(raw_id)
        if (offset := _lone_surrogate(article_id)) is not None:
            problems.add(
                f"id is not valid Unicode (a lone surrogate escape at character {offset})",
                path=path,
                line=line,
            )
            continue
        if article_id in seen:
            first_path, first_line = seen[article_id]
            where = f"{first_path}:{first_line}" if first_line else str(first_path)
            problems.add(
                f"duplicate id (first at {where})", path=path, line=line, article=article_id
            )
            continue
        seen[article_id] = (path, line)
        text = record.get(fields.text)
        if not isinstance(text, str):
            found = "nothing" if text is None else type(text).__name__
            problems.add(
                f"field {fields.text!r} must be a string, found {found}",
                path=path,
                line=line,
                article=article_id,
            )
            continue
        if (offset := _lone_surrogate(text)) is not None:
            problems.add(
                f"field {fields.text!r} is not valid Unicode "
                f"(a lone surrogate escape at character {offset})",
                path=path,
                line=line,
                article=article_id,
            )
            continue
        if "\x00" in text:
            problems.add("text contains NUL bytes", path=path, line=line, article=article_id)
            continue
        if len(text) > limit:  # files are checked as they are read; records from elsewhere here
            problems.add(
                over_limit(len(text), limit, "the text"), path=path, line=line, article=article_id
            )
            continue
        if not allow_empty_text and not text.strip():
            problems.add("empty article text", path=path, line=line, article=article_id)
            continue
        articles.append(
            Article(
                id=article_id,
                text=text,
                title=_optional_str(record.get(fields.title)),
                date=_optional_str(record.get(fields.date)),
                source=_optional_str(record.get(fields.source)),
            )
        )
    return articles


def read_articles(
    path: Path, fields: FieldMap = FieldMap(), *, allow_empty_text: bool = False
) -> list[Article]:
    """All articles of a file or folder; raises one error listing every problem found."""
    problems = Problems()
    articles = records_to_articles(
        read_records(path, fields, problems), fields, problems, allow_empty_text=allow_empty_text
    )
    if not articles and not problems:
        problems.add("no articles found", path=path)
    problems.raise_if_any()
    problems.print_notes()
    return articles
