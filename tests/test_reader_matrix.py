"""Every reader against every hostile input: readers x cases, each cell's outcome stated.

A cell is one of three things, written out below, never inferred:

- ``Error(place, says)``: a BenchError whose message names the place (file and
  line, article or key) and what was expected;
- ``Accepted(expected, view)``: a defined result, ``view(result) == expected``;
- ``NotApplicable(reason)``: the case cannot arise for that reader.

``python -m tests.test_reader_matrix`` prints the table of docs/robustness.md
(its summary section). The big cases (a 50 MB article, 100,000 articles) read
in about a second each; scoring them is at the bottom, with cheap metrics.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bench.cli import app
from bench.config import DatasetSpec, MetricSpec, RunConfig, SystemSpec, read_config_file
from bench.data.dataset import Dataset, load_manifest_dataset
from bench.data.readers import read_articles
from bench.errors import BenchError
from bench.leaderboard import Leaderboard
from bench.results.read import rebuild_leaderboard
from bench.runner import run_benchmark
from bench.systems.outputs import OutputsSystem
from metrics.divergence import metric as divergence

Files = dict[str, bytes]
"""A cell's input: file name (relative to the cell's folder) -> bytes."""

BIG_CHARS = 50_000_000
OVER_LIMIT = "over the limit of 2 MB for one article (set SPINBENCH_MAX_ARTICLE_MB to raise it)"
MANY = 100_000


@cache
def big_text() -> str:
    """A 50 MB article (50,000,000 characters of news prose)."""
    sentence = "Keir Starmer said the UK paid £5m to 12 councils on 3 May. "
    return (sentence * (BIG_CHARS // len(sentence) + 1))[:BIG_CHARS]


def jsonl(*records: Mapping[str, Any]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


GOOD = jsonl({"id": "a", "text": "The UK paid £5m."}, {"id": "b", "text": "Keir Starmer spoke."})
TRUNCATED = GOOD + b'{"id": "c", "te'
NON_UTF8 = GOOD.replace("£".encode(), b"\xa3")  # Latin-1 pound sign on line 1
BOM = b"\xef\xbb\xbf"
CRLF = GOOD.replace(b"\n", b"\r\n")
HUGE_NUMBER = GOOD + b'{"id": 1' + b"0" * 5000 + b', "text": "x"}\n'
DEEP = GOOD + b"[" * 100_000 + b"]" * 100_000 + b"\n"
ODD_IDS = jsonl({"id": "../../escape", "text": "One."}, {"id": "a/b\\c", "text": "Two."})
MANY_JSONL = b"".join(b'{"id": "t%d", "text": "Article %d."}\n' % (i, i) for i in range(MANY))


def texts(articles: Any) -> dict[str, str]:
    return {a.id: a.text for a in articles}


def lengths(articles: Any) -> dict[str, int]:
    return {a.id: len(a.text) for a in articles}


# --- readers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    name: str
    what: str
    read: Callable[[Path], Any]
    """Reads the cell folder; returns what the default view looks at."""
    view: Callable[[Any], object]
    defaults: Files


def _read_outputs(folder: Path) -> dict[str, str]:
    clean = read_articles(folder / "clean.jsonl")
    dataset = Dataset("clean", "file", "", tuple(clean), str(folder))
    system = OutputsSystem(SystemSpec("o", "outputs"), path=str(folder / "outputs.jsonl"))
    system.prepare(dataset)
    return {a.id: system.paraphrase(a) for a in clean}


def _manifest(data: bytes, **overrides: Any) -> bytes:
    """A dataset manifest for articles.jsonl holding ``data``; ``overrides`` replace keys."""
    manifest = {"name": "d", "version": "1", "licence": "CC0", "description": "test",
                "files": {"articles.jsonl": sha(data)}, **overrides}  # fmt: skip
    return json.dumps(manifest, indent=1).encode()


def _dataset_folder(articles: bytes, manifest: bytes | None = None) -> Files:
    return {
        "d/articles.jsonl": articles,
        "d/manifest.json": _manifest(articles) if manifest is None else manifest,
    }


@cache
def _stored_run(root: Path) -> Files:
    """The files of a real one-system run of GOOD (bleu, no resampling), made once."""
    (root / "clean.jsonl").write_bytes(GOOD)
    config = RunConfig(
        datasets=(DatasetSpec(str(root / "clean.jsonl")),),
        metrics=(MetricSpec("bleu"),),
        output_dir=root / "out",
        bootstrap=0,
        run_id="r",
    )
    result = run_benchmark(config)
    return {
        f"run/{p.relative_to(result.run_dir).as_posix()}": p.read_bytes()
        for p in result.run_dir.rglob("*")
        if p.is_file() and (p.name == "manifest.json" or "scores" in p.parts)
    }


def _rows(board: Leaderboard) -> list[tuple[str, int]]:
    return [(r.system, r.articles) for r in board.rows]


READERS = {
    r.name: r
    for r in [
        Reader("jsonl", "dataset .jsonl", lambda f: read_articles(f / "articles.jsonl"), texts, {}),
        Reader("csv", "dataset .csv", lambda f: read_articles(f / "articles.csv"), texts, {}),
        Reader("txt", "dataset folder of .txt", lambda f: read_articles(f / "articles"), texts, {}),
        Reader("outputs", "system outputs .jsonl", _read_outputs, lambda x: x,
               {"clean.jsonl": GOOD}),
        Reader("manifest", "dataset manifest.json", lambda f: load_manifest_dataset(f / "d"),
               lambda d: texts(d.articles), {}),
        Reader("config", "bench.toml", lambda f: read_config_file(f / "bench.toml"),
               lambda s: s, {}),
        Reader("run-manifest", "stored run manifest.json", lambda f: rebuild_leaderboard(f / "run"),
               lambda b: (b.run_id, _rows(b)), {}),
        Reader("run-scores", "stored run scores/*.jsonl", lambda f: rebuild_leaderboard(f / "run"),
               _rows, {}),
    ]
}  # fmt: skip

SCORES = "run/scores/clean/identity.jsonl"
RUN_MANIFEST = "run/manifest.json"


# --- outcomes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Error:
    place: str
    """Must appear in the message: 'file:line', 'article ...', a key."""
    says: str
    """What was expected, as the message words it."""


@dataclass(frozen=True)
class Accepted:
    expected: object
    view: Callable[[Any], object] | None = None


@dataclass(frozen=True)
class NotApplicable:
    reason: str


Outcome = Error | Accepted | NotApplicable


@dataclass(frozen=True)
class Cell:
    files: Callable[[], Files] | None
    outcome: Outcome


def cell(files: Files | Callable[[], Files], outcome: Error | Accepted) -> Cell:
    return Cell(files if callable(files) else (lambda: files), outcome)


def na(reason: str) -> Cell:
    return Cell(None, NotApplicable(reason))


def _big_csv() -> Files:
    return {"articles.csv": b"id,text\nbig," + big_text().encode() + b"\n"}


def _many_scores() -> Files:
    """A stored run of 100,000 articles: the scores line repeated under new ids."""
    run = _RUN_FILES
    line = json.loads(run[SCORES].splitlines()[0])
    manifest = json.loads(run[RUN_MANIFEST])
    manifest["datasets"][0]["articles"] = MANY
    scores = b"".join(json.dumps({**line, "id": f"t{i}"}).encode() + b"\n" for i in range(MANY))
    return {RUN_MANIFEST: json.dumps(manifest).encode(), SCORES: scores}


def _scores_with(edit: Callable[[list[bytes]], list[bytes]]) -> Callable[[], Files]:
    return lambda: {SCORES: b"\n".join(edit(_RUN_FILES[SCORES].splitlines())) + b"\n"}


def _run_manifest_with(edit: Callable[[bytes], bytes]) -> Callable[[], Files]:
    return lambda: {RUN_MANIFEST: edit(_RUN_FILES[RUN_MANIFEST])}


def _scores_line(**changes: Any) -> Callable[[list[bytes]], list[bytes]]:
    def edit(lines: list[bytes]) -> list[bytes]:
        record = json.loads(lines[1])
        record.update(changes)
        return [lines[0], json.dumps(record).encode()]

    return edit


_RUN_FILES: Files = {}
"""Filled by the stored_run fixture before the run cells use it."""

NOT_A_FOLDER = "holds no file names: ids are data, never paths"
NO_TEXT = "holds no article text"
TEXT_ONLY = "a .txt file is one article's text: it has no fields or objects"
SHA = _manifest(GOOD)

MATRIX: dict[str, dict[str, Cell]] = {
    "truncated (cut mid-record)": {
        "jsonl": cell(
            {"articles.jsonl": TRUNCATED},
            Error("articles.jsonl:3", "malformed JSON (Unterminated string"),
        ),
        "csv": cell(
            {"articles.csv": b'id,text\na,"The UK paid'},
            Error("articles.csv:2", "malformed CSV: unexpected end of data"),
        ),
        "txt": na("a .txt file cut short is still a (shorter) text: nothing marks the cut"),
        "outputs": cell(
            {"outputs.jsonl": TRUNCATED},
            Error("outputs.jsonl:3", "malformed JSON (Unterminated string"),
        ),
        "manifest": cell(
            _dataset_folder(GOOD, SHA[:60]),
            Error("manifest.json:5", "malformed JSON (Unterminated string"),
        ),
        "config": cell(
            {"bench.toml": b'seed = 3\ndatasets = ["news'},
            Error("bench.toml", "malformed TOML: Unterminated string (at end of document)"),
        ),
        "run-manifest": cell(
            _run_manifest_with(lambda m: m[:200]),
            Error("manifest.json", "malformed JSON (Unterminated string"),
        ),
        "run-scores": cell(
            _scores_with(lambda lines: [lines[0], lines[1][:40]]),
            Error("identity.jsonl:2", "malformed JSON (Expecting ':' delimiter"),
        ),
    },
    "not an object": {
        "jsonl": cell(
            {"articles.jsonl": GOOD + b'["c", "text"]\n'},
            Error("articles.jsonl:3", "expected a JSON object per line, found list"),
        ),
        "csv": na("every CSV row is a record by construction"),
        "txt": na(TEXT_ONLY),
        "outputs": cell(
            {"outputs.jsonl": b'"a"\n' + GOOD},
            Error("outputs.jsonl:1", "expected a JSON object per line, found str"),
        ),
        "manifest": cell(
            _dataset_folder(GOOD, b"[]"), Error("manifest.json", "manifest must be a JSON object")
        ),
        "config": cell(
            {"bench.toml": b"systems = [5]\n"},
            Error("bench.toml", "a system must be a name or a table"),
        ),
        "run-manifest": cell(
            _run_manifest_with(lambda m: b"[" + m + b"]"),
            Error("manifest.json", "expected a JSON object, found list"),
        ),
        "run-scores": cell(
            _scores_with(lambda lines: [lines[0], b"[1, 2]"]),
            Error("identity.jsonl:2", "expected a JSON object per line, found list"),
        ),
    },
    "wrong types": {
        "jsonl": cell(
            {"articles.jsonl": GOOD + jsonl({"id": "c", "text": 5})},
            Error("articles.jsonl:3 article 'c'", "field 'text' must be a string, found int"),
        ),
        "csv": na("every CSV field is a string"),
        "txt": na(TEXT_ONLY),
        "outputs": cell(
            {"outputs.jsonl": jsonl({"id": "a", "text": "x"}, {"id": "b", "text": None})},
            Error("outputs.jsonl:2 article 'b'", "must be a string, found nothing"),
        ),
        "manifest": cell(
            _dataset_folder(GOOD, _manifest(GOOD, name=5)),
            Error("manifest.json", "'name' must be a string"),
        ),
        "config": cell(
            {"bench.toml": b"output_dir = 5\n"},
            Error("bench.toml", "'output_dir' must be a path (a string)"),
        ),
        "run-manifest": cell(
            _run_manifest_with(lambda m: m.replace(b'"seed": 12345', b'"seed": "x"')),
            Error(
                "manifest.json", "unreadable run manifest: 'seed': input should be a valid integer"
            ),
        ),
        "run-scores": cell(
            _scores_with(_scores_line(statistics={"bleu": "x"})),
            Error("identity.jsonl:2", "statistics of 'bleu' must be a list of 10 numbers"),
        ),
    },
    "UTF-8 BOM": {
        "jsonl": cell(
            {"articles.jsonl": BOM + GOOD},
            Accepted({"a": "The UK paid £5m.", "b": "Keir Starmer spoke."}),
        ),
        "csv": cell(
            {"articles.csv": BOM + "id,text\na,The UK paid £5m.\n".encode()},
            Accepted({"a": "The UK paid £5m."}),
        ),
        "txt": cell(
            {"articles/a.txt": BOM + "The UK paid £5m.".encode()},
            Accepted({"a": "The UK paid £5m."}),
        ),
        "outputs": cell(
            {"outputs.jsonl": BOM + GOOD},
            Accepted({"a": "The UK paid £5m.", "b": "Keir Starmer spoke."}),
        ),
        "manifest": cell(
            _dataset_folder(BOM + GOOD, BOM + _manifest(BOM + GOOD)),
            Accepted({"a": "The UK paid £5m.", "b": "Keir Starmer spoke."}),
        ),
        "config": cell({"bench.toml": BOM + b"seed = 3\n"}, Accepted({"seed": 3})),
        "run-manifest": cell(
            _run_manifest_with(lambda m: BOM + m), Accepted(("r", [("identity", 2)]))
        ),
        "run-scores": cell(
            _scores_with(lambda lines: [BOM + lines[0], *lines[1:]]), Accepted([("identity", 2)])
        ),
    },
    "CRLF line ends": {
        "jsonl": cell(
            {"articles.jsonl": CRLF},
            Accepted({"a": "The UK paid £5m.", "b": "Keir Starmer spoke."}),
        ),
        "csv": cell(
            {"articles.csv": b'id,text\r\na,"One.\r\nTwo."\r\n'}, Accepted({"a": "One.\nTwo."})
        ),
        "txt": cell({"articles/a.txt": b"One.\r\nTwo.\r\n"}, Accepted({"a": "One.\nTwo.\n"})),
        "outputs": cell(
            {"outputs.jsonl": CRLF}, Accepted({"a": "The UK paid £5m.", "b": "Keir Starmer spoke."})
        ),
        "manifest": cell(
            _dataset_folder(CRLF, _manifest(CRLF).replace(b"\n", b"\r\n")),
            Accepted({"a": "The UK paid £5m.", "b": "Keir Starmer spoke."}),
        ),
        "config": cell(
            {"bench.toml": b"seed = 3\r\nbootstrap = 0\r\n"}, Accepted({"seed": 3, "bootstrap": 0})
        ),
        "run-manifest": cell(
            _run_manifest_with(lambda m: m.replace(b"\n", b"\r\n")),
            Accepted(("r", [("identity", 2)])),
        ),
        "run-scores": cell(
            _scores_with(lambda lines: [x + b"\r" for x in lines]), Accepted([("identity", 2)])
        ),
    },
    "non-UTF-8 bytes": {
        "jsonl": cell(
            {"articles.jsonl": NON_UTF8}, Error("articles.jsonl:1", "not valid UTF-8 (byte 0xa3")
        ),
        "csv": cell(
            {"articles.csv": b"id,text\na,The UK paid \xa35m.\n"},
            Error("articles.csv:2", "not valid UTF-8 (byte 0xa3"),
        ),
        "txt": cell(
            {"articles/a.txt": b"One.\nThe UK paid \xa35m.\n"},
            Error("a.txt:2", "not valid UTF-8 (byte 0xa3"),
        ),
        "outputs": cell(
            {"outputs.jsonl": NON_UTF8}, Error("outputs.jsonl:1", "not valid UTF-8 (byte 0xa3")
        ),
        "manifest": cell(
            _dataset_folder(GOOD, _manifest(GOOD).replace(b'"test"', b'"t\xe9st"')),
            Error("manifest.json:5", "not valid UTF-8 (byte 0xe9"),
        ),
        "config": cell(
            {"bench.toml": b'seed = 3\noutput_dir = "r\xe9sultats"\n'},
            Error("bench.toml:2", "not valid UTF-8 (byte 0xe9"),
        ),
        "run-manifest": cell(
            _run_manifest_with(lambda m: m.replace(b'"r"', b'"r\xe9"')),
            Error("manifest.json:", "not valid UTF-8 (byte 0xe9"),
        ),
        "run-scores": cell(
            _scores_with(lambda lines: [lines[0], lines[1].replace(b'"b"', b'"\xe9"')]),
            Error("identity.jsonl:2", "not valid UTF-8 (byte 0xe9"),
        ),
    },
    "NUL bytes": {
        "jsonl": cell(
            {"articles.jsonl": GOOD + jsonl({"id": "c", "text": "a\x00b"})},
            Error("articles.jsonl:3 article 'c'", "text contains NUL bytes"),
        ),
        "csv": cell(
            {"articles.csv": b"id,text\na,One\x00two.\n"},
            Error("articles.csv:2 article 'a'", "text contains NUL bytes"),
        ),
        "txt": cell(
            {"articles/a.txt": b"One\x00two."},
            Error("a.txt article 'a'", "text contains NUL bytes"),
        ),
        "outputs": cell(
            {"outputs.jsonl": jsonl({"id": "a", "text": "x"}, {"id": "b", "text": "\x00"})},
            Error("outputs.jsonl:2 article 'b'", "text contains NUL bytes"),
        ),
        "manifest": cell(
            _dataset_folder(GOOD, _manifest(GOOD) + b"\x00"),
            Error("manifest.json:", "malformed JSON (Extra data"),
        ),
        "config": cell({"bench.toml": b"seed = 3\x00\n"}, Error("bench.toml", "malformed TOML")),
        "run-manifest": cell(
            _run_manifest_with(lambda m: b"\x00" + m),
            Error("manifest.json:1", "malformed JSON (Expecting value"),
        ),
        "run-scores": cell(
            _scores_with(lambda lines: [lines[0], b"\x00" + lines[1]]),
            Error("identity.jsonl:2", "malformed JSON (Expecting value"),
        ),
    },
    "empty file": {
        "jsonl": cell({"articles.jsonl": b""}, Error("articles.jsonl", "no articles found")),
        "csv": cell({"articles.csv": b""}, Error("articles.csv", "no articles found")),
        "txt": cell({"articles/a.txt": b""}, Error("a.txt article 'a'", "empty article text")),
        "outputs": cell({"outputs.jsonl": b""}, Error("outputs.jsonl", "no articles found")),
        "manifest": cell(
            _dataset_folder(GOOD, b""), Error("manifest.json:1", "malformed JSON (Expecting value")
        ),
        "config": cell({"bench.toml": b""}, Accepted({})),  # every key is optional
        "run-manifest": cell(
            {RUN_MANIFEST: b""}, Error("manifest.json:1", "malformed JSON (Expecting value")
        ),
        "run-scores": cell(
            {SCORES: b""}, Error("identity.jsonl", "scores of 'identity' cover other articles")
        ),
    },
    "empty article text": {
        "jsonl": cell(
            {"articles.jsonl": GOOD + jsonl({"id": "c", "text": " \n "})},
            Error("articles.jsonl:3 article 'c'", "empty article text"),
        ),
        "csv": cell(
            {"articles.csv": b'id,text\na,""\n'},
            Error("articles.csv:2 article 'a'", "empty article text"),
        ),
        "txt": cell({"articles/a.txt": b"\n\n"}, Error("a.txt article 'a'", "empty article text")),
        "outputs": cell(
            {"outputs.jsonl": jsonl({"id": "a", "text": ""}, {"id": "b", "text": "x"})},
            Accepted({"a": "", "b": "x"}),
        ),  # a real failure of the system: scored
        "manifest": cell(
            _dataset_folder(jsonl({"id": "a", "text": ""})),
            Error("articles.jsonl:1 article 'a'", "empty article text"),
        ),
        "config": na(NO_TEXT),
        "run-manifest": na(NO_TEXT),
        "run-scores": na(NO_TEXT + " (an empty paraphrase is scored like any other)"),
    },
    "a 50 MB article": {  # over the record limit (2 MB; SPINBENCH_MAX_ARTICLE_MB raises it)
        "jsonl": cell(
            lambda: {"articles.jsonl": jsonl({"id": "big", "text": big_text()})},
            Error("articles.jsonl:1", OVER_LIMIT),
        ),
        "csv": cell(_big_csv, Error("articles.csv:2", OVER_LIMIT)),
        "txt": cell(
            lambda: {"articles/big.txt": big_text().encode()}, Error("big.txt", OVER_LIMIT)
        ),
        "outputs": cell(
            lambda: {
                "clean.jsonl": jsonl({"id": "big", "text": "Keir Starmer said so."}),
                "outputs.jsonl": jsonl({"id": "big", "text": big_text()[::-1]}),
            },
            Error("outputs.jsonl:1", OVER_LIMIT),
        ),
        "manifest": cell(
            lambda: _dataset_folder(jsonl({"id": "big", "text": big_text()})),
            Error("articles.jsonl:1", OVER_LIMIT),
        ),
        "config": na(NO_TEXT),
        "run-manifest": na(NO_TEXT),
        "run-scores": na(NO_TEXT + ": one line of statistics per article, whatever its length"),
    },
    "100,000 tiny articles": {
        "jsonl": cell({"articles.jsonl": MANY_JSONL}, Accepted(MANY, len)),
        "csv": cell(
            lambda: {
                "articles.csv": b"id,text\n"
                + b"".join(b"t%d,Article %d.\n" % (i, i) for i in range(MANY))
            },
            Accepted(MANY, len),
        ),
        "txt": na("a folder of 100,000 files tests the file system, not the reader"),
        "outputs": cell(
            {"clean.jsonl": MANY_JSONL, "outputs.jsonl": MANY_JSONL}, Accepted(MANY, len)
        ),
        "manifest": cell(
            lambda: _dataset_folder(MANY_JSONL), Accepted(MANY, lambda d: len(d.articles))
        ),
        "config": na(NO_TEXT),
        "run-manifest": na("one object per run, whatever the number of articles"),
        "run-scores": cell(_many_scores, Accepted([("identity", MANY)])),
    },
    "duplicate ids": {
        "jsonl": cell(
            {"articles.jsonl": GOOD + jsonl({"id": "a", "text": "Again."})},
            Error("articles.jsonl:3 article 'a'", "duplicate id (first at"),
        ),
        "csv": cell(
            {"articles.csv": b"id,text\na,One.\na,Two.\n"},
            Error("articles.csv:3 article 'a'", "duplicate id (first at"),
        ),
        "txt": na("file names in one folder are unique"),
        "outputs": cell(
            {"outputs.jsonl": GOOD + jsonl({"id": "b", "text": "Again."})},
            Error("outputs.jsonl:3 article 'b'", "duplicate id (first at"),
        ),
        "manifest": cell(
            _dataset_folder(GOOD + jsonl({"id": "a", "text": "Again."})),
            Error("articles.jsonl:3 article 'a'", "duplicate id (first at"),
        ),
        "config": cell(
            {"bench.toml": b'systems = ["identity", "identity"]\n'},
            Error("bench.toml", "two systems are named 'identity'"),
        ),
        "run-manifest": na("its ids are the scores files' (next column)"),
        "run-scores": cell(
            _scores_with(lambda lines: [lines[0], lines[0]]),
            Error("identity.jsonl:2 article 'a'", "duplicate id"),
        ),
    },
    "missing ids": {
        "jsonl": cell(
            {"articles.jsonl": GOOD + jsonl({"text": "No id."})},
            Error("articles.jsonl:3", "missing id (field 'id')"),
        ),
        "csv": cell(
            {"articles.csv": b"id,text\n,One.\n"},
            Error("articles.csv:2", "missing id (field 'id')"),
        ),
        "txt": na("the file name is the id"),
        "outputs": cell(
            {"outputs.jsonl": jsonl({"id": "a", "text": "x"})},
            Error("outputs.jsonl", "1 article id(s) of dataset 'clean' missing: b"),
        ),
        "manifest": cell(
            _dataset_folder(jsonl({"text": "No id."})),
            Error("articles.jsonl:1", "missing id (field 'id')"),
        ),
        "config": na("holds no ids"),
        "run-manifest": na("its ids are the scores files' (next column)"),
        "run-scores": cell(
            _scores_with(lambda lines: lines[:1]),
            Error("identity.jsonl", "(1 of the 2 recorded for dataset 'clean')"),
        ),
    },
    "ids with path separators": {
        "jsonl": cell(
            {"articles.jsonl": ODD_IDS}, Accepted({"../../escape": "One.", "a/b\\c": "Two."})
        ),
        "csv": cell(
            {"articles.csv": b'id,text\n../../escape,One.\n"a/b\\c",Two.\n'},
            Accepted({"../../escape": "One.", "a/b\\c": "Two."}),
        ),
        "txt": na("an id is a file name, which cannot hold a separator"),
        "outputs": cell(
            {"clean.jsonl": ODD_IDS, "outputs.jsonl": ODD_IDS},
            Accepted({"../../escape": "One.", "a/b\\c": "Two."}),
        ),
        "manifest": cell(
            _dataset_folder(ODD_IDS), Accepted({"../../escape": "One.", "a/b\\c": "Two."})
        ),
        "config": cell(
            {"bench.toml": b'systems = [{name = "../x", type = "identity"}]\n'},
            Error("bench.toml", "system name '../x' is not usable as a file name"),
        ),
        "run-manifest": na("ids are data in the scores files (next column)"),
        "run-scores": cell(
            _scores_with(_scores_line(id="../b")), Accepted([("identity", 2)])
        ),  # data: the path comes from names
    },
    "a path outside the folder (../)": {
        "jsonl": na(NOT_A_FOLDER),
        "csv": na(NOT_A_FOLDER),
        "txt": na(NOT_A_FOLDER),
        "outputs": na(NOT_A_FOLDER),
        "manifest": cell(
            {
                "secret.jsonl": GOOD,
                **_dataset_folder(
                    GOOD,
                    _manifest(
                        GOOD, articles="../secret.jsonl", files={"../secret.jsonl": sha(GOOD)}
                    ),
                ),
            },
            Error("manifest.json", "file '../secret.jsonl' points outside the dataset folder"),
        ),
        "config": na("a config names the user's own files, wherever they are"),
        "run-manifest": na("its paths are recorded, never opened"),
        "run-scores": na("its path is built from checked names"),
    },
    "unknown keys": {
        "jsonl": cell(
            {"articles.jsonl": jsonl({"id": "a", "text": "One.", "extra": 1})},
            Accepted({"a": "One."}),
        ),  # other fields are the user's own
        "csv": cell({"articles.csv": b"id,text,extra\na,One.,1\n"}, Accepted({"a": "One."})),
        "txt": na(TEXT_ONLY),
        "outputs": cell(
            {
                "outputs.jsonl": jsonl(
                    {"id": "a", "text": "x", "model": "m"}, {"id": "b", "text": "y"}
                )
            },
            Accepted({"a": "x", "b": "y"}),
        ),
        "manifest": cell(
            _dataset_folder(GOOD, _manifest(GOOD, licnce="CC0")),
            Error("manifest.json", "unknown key 'licnce' (known: articles"),
        ),
        "config": cell(
            {"bench.toml": b"sead = 3\n"},
            Error("bench.toml", "unknown setting key 'sead'; did you mean \"seed\"?"),
        ),
        "run-manifest": cell(
            _run_manifest_with(lambda m: m.replace(b"{", b'{"extra": 1, ', 1)),
            Error("manifest.json", "unreadable run manifest: unknown key 'extra'"),
        ),
        "run-scores": cell(
            _scores_with(_scores_line(extra=1)),
            Error("identity.jsonl:2", "unreadable scores: unknown key 'extra'"),
        ),
    },
    "a 5,000-digit number": {
        "jsonl": cell(
            {"articles.jsonl": HUGE_NUMBER},
            Error("articles.jsonl:3", "malformed JSON (a number with too many digits)"),
        ),
        "csv": na("every CSV field is a string"),
        "txt": na(TEXT_ONLY),
        "outputs": cell(
            {"outputs.jsonl": HUGE_NUMBER},
            Error("outputs.jsonl:3", "malformed JSON (a number with too many digits)"),
        ),
        "manifest": cell(
            _dataset_folder(GOOD, b'{"version": 1' + b"0" * 5000 + b"}"),
            Error("manifest.json", "malformed JSON (a number with too many digits)"),
        ),
        "config": cell(
            {"bench.toml": b"seed = 1" + b"0" * 5000 + b"\n"},
            Error("bench.toml", "malformed TOML: a number with too many digits"),
        ),
        "run-manifest": cell(
            _run_manifest_with(lambda m: m.replace(b"12345", b"1" * 5000)),
            Error("manifest.json", "malformed JSON (a number with too many digits)"),
        ),
        "run-scores": cell(
            _scores_with(lambda lines: [lines[0], b'{"id": 1' + b"0" * 5000 + b"}"]),
            Error("identity.jsonl:2", "malformed JSON (a number with too many digits)"),
        ),
    },
    "100,000-deep nesting": {
        "jsonl": cell(
            {"articles.jsonl": DEEP},
            Error("articles.jsonl:3", "malformed JSON (nested too deeply)"),
        ),
        "csv": na("CSV does not nest"),
        "txt": na(TEXT_ONLY),
        "outputs": cell(
            {"outputs.jsonl": DEEP}, Error("outputs.jsonl:3", "malformed JSON (nested too deeply)")
        ),
        "manifest": cell(
            _dataset_folder(GOOD, b"[" * 100_000 + b"]" * 100_000),
            Error("manifest.json", "malformed JSON (nested too deeply)"),
        ),
        "config": cell(
            {"bench.toml": b"seed = " + b"[" * 100_000 + b"]" * 100_000 + b"\n"},
            Error("bench.toml", "malformed TOML: nested too deeply"),
        ),
        "run-manifest": cell(
            {RUN_MANIFEST: b"[" * 100_000 + b"]" * 100_000},
            Error("manifest.json", "malformed JSON (nested too deeply)"),
        ),
        "run-scores": cell(
            _scores_with(lambda lines: [lines[0], b"[" * 100_000 + b"]" * 100_000]),
            Error("identity.jsonl:2", "malformed JSON (nested too deeply)"),
        ),
    },
    "a lone surrogate (\\ud800)": {
        "jsonl": cell(
            {"articles.jsonl": GOOD + b'{"id": "c", "text": "Bad \\ud800."}\n'},
            Error("articles.jsonl:3 article 'c'", "is not valid Unicode (a lone surrogate"),
        ),
        "csv": na("UTF-8 cannot encode a surrogate: the non-UTF-8 case"),
        "txt": na("UTF-8 cannot encode a surrogate: the non-UTF-8 case"),
        "outputs": cell(
            {"outputs.jsonl": b'{"id": "\\udc00", "text": "x"}\n' + GOOD},
            Error("outputs.jsonl:1", "id is not valid Unicode (a lone surrogate"),
        ),
        "manifest": cell(
            _dataset_folder(b'{"id": "a", "text": "\\ud800"}\n'),
            Error("articles.jsonl:1 article 'a'", "is not valid Unicode"),
        ),
        "config": cell(
            {"bench.toml": b'output_dir = "\\ud800"\n'}, Error("bench.toml", "malformed TOML")
        ),
        "run-manifest": na("ids and texts are not read from it"),
        "run-scores": na("its ids must equal the dataset's, which cannot hold a surrogate"),
    },
}

CELLS = [
    pytest.param(case, reader, MATRIX[case][reader], id=f"{reader}-{case}")
    for case in MATRIX
    for reader in READERS
]


def test_every_reader_has_an_outcome_for_every_case() -> None:
    for case, row in MATRIX.items():
        assert set(row) == set(READERS), case


@pytest.fixture(scope="module")
def stored_run(tmp_path_factory: pytest.TempPathFactory) -> Files:
    if not _RUN_FILES:
        _RUN_FILES.update(_stored_run(tmp_path_factory.mktemp("stored_run")))
    return _RUN_FILES


def _materialise(folder: Path, reader: Reader, files: Files, run: Files) -> None:
    base: Files = dict(reader.defaults)
    if reader.name.startswith("run-"):
        base.update(run)
    base.update(files)
    for relative, data in base.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


@pytest.mark.parametrize(("case", "reader_name", "entry"), CELLS)
def test_reader_matrix(
    case: str, reader_name: str, entry: Cell, tmp_path: Path, stored_run: Files
) -> None:
    reader = READERS[reader_name]
    outcome = entry.outcome
    if isinstance(outcome, NotApplicable):
        assert outcome.reason  # listed with its reason, not skipped silently
        return
    assert entry.files is not None
    _materialise(tmp_path, reader, entry.files(), stored_run)
    if isinstance(outcome, Error):
        with pytest.raises(BenchError) as info:
            reader.read(tmp_path)
        message = str(info.value)
        assert outcome.place in message, (outcome.place, message)
        assert outcome.says in message, (outcome.says, message)
        assert "\n" not in message
        return
    start = time.perf_counter()
    result = reader.read(tmp_path)
    view = outcome.view or reader.view
    assert view(result) == outcome.expected
    assert time.perf_counter() - start < 20, "a reader took over 20 s"


# --- through the command line: exit 2, one line, no traceback ----------------------------------


def _cli(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


CLI_CASES = {
    "deep nesting": (
        "articles.jsonl",
        DEEP,
        "articles.jsonl:3: malformed JSON (nested too deeply)",
    ),
    "huge number": ("articles.jsonl", HUGE_NUMBER, "articles.jsonl:3: malformed JSON (a number"),
    "lone surrogate": (
        "articles.jsonl",
        GOOD + b'{"id": "c", "text": "\\ud800"}\n',
        "articles.jsonl:3 article 'c': field 'text' is not valid Unicode",
    ),
    "open CSV quote": ("articles.csv", b'id,text\na,"cut', "articles.csv:2: malformed CSV"),
}


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize("case", list(CLI_CASES))
def test_cli_exits_2_with_one_line(case: str, command: str, tmp_path: Path) -> None:
    name, data, expected = CLI_CASES[case]
    path = tmp_path / name
    path.write_bytes(data)
    args = ["validate", path] if command == "validate" else [
        "run", "-d", path, "-s", "identity", "-m", "bleu", "-o", tmp_path / "out",
        "--bootstrap", "0"]  # fmt: skip
    code, stdout, stderr = _cli(*args)
    assert code == 2
    assert "Traceback" not in stdout + stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and expected in errors[0], stderr
    if command == "validate":  # then the count of problems found
        assert stderr.splitlines()[1:] == [f"1 problem(s) found in {path}"]
    else:
        assert stderr.splitlines() == errors
    assert not (tmp_path / "out").exists()


def test_cli_on_a_damaged_stored_run(tmp_path: Path, stored_run: Files) -> None:
    _materialise(tmp_path, READERS["run-scores"], {}, stored_run)
    scores = tmp_path / SCORES
    scores.write_bytes(scores.read_bytes().splitlines()[0] + b"\n[1]\n")
    for command in ("leaderboard", "report"):
        code, stdout, stderr = _cli(command, tmp_path / "run")
        assert code == 2 and "Traceback" not in stdout + stderr
        assert stderr == f"error: {scores}:2: expected a JSON object per line, found list\n"


def test_cli_in_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "bench.toml"
    bad.write_bytes(b'systems = [{name = "../x", type = "identity"}]\n')
    done = subprocess.run([sys.executable, "-m", "bench", "run"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: {bad}: system name '../x' is not usable")
    assert len(done.stderr.splitlines()) == 1


# --- scoring the big inputs ------------------------------------------------------------------


def test_a_50_mb_article_is_scored_with_linear_metrics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over the default record limit (the matrix), a 50 MB article is read when the limit
    is raised. BLEU, chrF and the spaCy-based fact metrics take minutes on 50 MB (about
    2-7 s per MB, linearly); the artefact metric reads it in seconds."""
    monkeypatch.setenv("SPINBENCH_MAX_ARTICLE_MB", "60")
    ref = tmp_path / "ref.jsonl"
    ref.write_bytes(jsonl({"id": "big", "text": big_text()}))
    hyp = tmp_path / "hyp.jsonl"
    hyp.write_bytes(jsonl({"id": "big", "text": big_text().replace("paid", "{gave|paid}", 3)}))
    start = time.perf_counter()
    code, stdout, stderr = _cli("score", "--ref", ref, "--hyp", f"s={hyp}", "-m", "artefacts",
                                "-f", "json")  # fmt: skip
    assert code == 0, stderr
    assert json.loads(stdout)["systems"]["s"]["artefacts"]["details"]["count"] == 3
    assert time.perf_counter() - start < 30


def test_edit_distance_of_long_texts_is_piecewise_and_linear(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Levenshtein is quadratic (two 1 MB texts: about 37 s on this machine); beyond
    EXACT_CHARS the distance is the sum over proportional pieces, an upper bound."""
    sentence = "Keir Starmer said the UK paid £5m to 12 councils on 3 May. "
    clean = sentence * (1_000_000 // len(sentence))
    spun = clean.replace("paid", "gave")
    metric = divergence.EditDistance()
    exact_short = metric.statistics(spun[:50_000], clean[:50_000])
    assert exact_short == [divergence.Levenshtein.distance(spun[:50_000], clean[:50_000]), 50_000]
    longest: list[int] = []
    real = divergence.Levenshtein.distance

    def spy(a: str, b: str) -> int:
        longest.append(max(len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(divergence.Levenshtein, "distance", spy)
    distance, length = metric.statistics(spun, clean)
    assert max(longest) <= divergence.EXACT_CHARS and len(longest) == 10
    # Each "paid" -> "gave" costs 3 edits (p-a-i-d / g-a-v-e: 3 substitutions), none lost.
    assert distance == 3 * clean.count("paid") and length == len(clean)
    assert "exact:100000" in metric.signature


def test_100000_tiny_articles_validate_in_reasonable_time(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_bytes(MANY_JSONL)
    start = time.perf_counter()
    code, stdout, stderr = _cli("validate", path)
    assert code == 0, stderr
    assert "100000 articles" in stdout
    assert time.perf_counter() - start < 20


# --- the table of docs/robustness.md -----------------------------------------------------------


def label(outcome: Outcome) -> str:
    """A cell of the table in docs/robustness.md: what the error names, 'accepted' or 'n/a'."""
    if isinstance(outcome, NotApplicable):
        return "n/a"
    if isinstance(outcome, Accepted):
        return "accepted"
    where = "file:line" if re.search(r":\d", outcome.place) else "file"
    return where + (", id" if "article '" in outcome.place else "")


def markdown_table() -> str:
    """The matrix as docs/robustness.md shows it: cases x readers, then the counts."""
    names = list(READERS)
    lines = ["| case | " + " | ".join(names) + " |", "|:---|" + ":---|" * len(names)]
    counts = {"error": 0, "accepted": 0, "n/a": 0}
    for case, row in MATRIX.items():
        cells = [label(row[name].outcome) for name in names]
        for text in cells:
            counts[text if text in counts else "error"] += 1
        lines.append(f"| {case} | " + " | ".join(cells) + " |")
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    total = len(MATRIX) * len(names)
    lines += ["", f"{len(MATRIX)} cases x {len(names)} readers = {total} cells: {summary}."]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
