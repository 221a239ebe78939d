"""Endless, huge and damaged input (issue 19, items 7, 9-14): each a one-line error naming
the place, or a defined result.

Endless files (links to /dev/zero) run in a subprocess with a timeout: a reader
that would read them whole must fail the test, not hang it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bench.cli import app
from bench.config import DatasetSpec, MetricSpec, RunConfig, SystemSpec
from bench.runner import run_benchmark
from metrics.facts import spacy_ner

ARTICLES = [
    {"id": "a", "text": "Keir Starmer said the UK paid £5m to 12 councils on 3 May."},
    {"id": "b", "text": "Angela Rayner met 40 mayors in Leeds on Friday, a spokesman said."},
    {"id": "c", "text": "The Bank of England raised rates to 5.25% in August."},
]


def _invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _cli(*args: str | Path) -> tuple[int, str]:
    code, _, stderr = _invoke(*args)
    return code, stderr


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _bench(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    """``bench`` in its own process, killed after 20 s: an endless read fails, not hangs."""
    done = subprocess.run(
        [sys.executable, "-m", "bench", *map(str, args)],
        capture_output=True, text=True, timeout=20, env={**os.environ, **(env or {})},
    )  # fmt: skip
    return done.returncode, done.stderr


# --- 7: endless input and the record limit ----------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".txt"])
def test_a_link_to_an_endless_device_is_refused(tmp_path: Path, device: str, suffix: str) -> None:
    link = tmp_path / f"articles{suffix}"
    link.symlink_to(device)
    code, stderr = _bench("validate", link)
    assert code == 2, stderr
    assert stderr.splitlines()[0] == (
        f"error: {link}: not a regular file (a character device); "
        "spinbench reads only regular files"
    )


def test_bench_score_refuses_an_endless_device_on_either_side(tmp_path: Path) -> None:
    link = tmp_path / "zero.jsonl"
    link.symlink_to("/dev/zero")
    good = _jsonl(tmp_path / "good.jsonl", ARTICLES)
    for ref, hyp in ((link, good), (good, link)):
        code, stderr = _bench("score", "--ref", ref, "--hyp", f"s={hyp}", "-m", "bleu")
        assert code == 2 and f"error: {link}: not a regular file" in stderr, stderr
        assert "Traceback" not in stderr


def test_a_fifo_given_as_a_dataset_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "articles.jsonl"
    os.mkfifo(fifo)  # opening it would wait for a writer forever
    code, stderr = _bench("validate", fifo)
    assert code == 2 and f"{fifo}: not a regular file (a FIFO)" in stderr, stderr


def test_the_record_limit_names_file_line_and_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPINBENCH_MAX_ARTICLE_MB", "0.001")  # 1,000 characters
    long = "Keir Starmer spoke. " * 60  # 1,200 characters
    jsonl = _jsonl(tmp_path / "a.jsonl", [ARTICLES[0], {"id": "long", "text": long}])
    csv = tmp_path / "a.csv"
    csv.write_text(f"id,text\na,short\nlong,{long}\n", encoding="utf-8")
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "long.txt").write_text(long, encoding="utf-8")
    says = "over the limit of 0.001 MB for one article (set SPINBENCH_MAX_ARTICLE_MB to raise it)"
    for path, place in (
        (jsonl, f"{jsonl}:2"),
        (csv, f"{csv}:3"),
        (folder, str(folder / "long.txt")),
    ):
        code, stderr = _cli("validate", path)
        assert code == 2 and f"error: {place}: " in stderr and says in stderr, stderr
    monkeypatch.setenv("SPINBENCH_MAX_ARTICLE_MB", "0.002")
    assert _cli("validate", jsonl)[0] == 0
    monkeypatch.setenv("SPINBENCH_MAX_ARTICLE_MB", "lots")
    code, stderr = _cli("validate", jsonl)
    assert code == 2
    assert "SPINBENCH_MAX_ARTICLE_MB must be a positive number of megabytes, found 'lots'" in stderr


def test_the_record_limit_holds_for_records_from_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Hugging Face dataset's rows come as dicts, not lines of a file: the article text
    is checked itself (rows numbered from 1, as the HF loader numbers them)."""
    from bench.data.readers import FieldMap, records_to_articles
    from bench.data.records import Problems

    monkeypatch.setenv("SPINBENCH_MAX_ARTICLE_MB", "0.001")
    rows = [(Path("hf"), 1, {"id": "a", "text": "x" * 1_000}),
            (Path("hf"), 2, {"id": "b", "text": "x" * 1_001})]  # fmt: skip
    problems = Problems()
    articles = records_to_articles(rows, FieldMap(), problems, allow_empty_text=False)
    assert [a.id for a in articles] == ["a"]
    assert [str(p) for p in problems.items] == [
        "hf:2 article 'b': the text holds 1,001 characters, over the limit of 0.001 MB "
        "for one article (set SPINBENCH_MAX_ARTICLE_MB to raise it)"
    ]


def test_a_5_mb_article_is_refused_at_once_by_default(tmp_path: Path) -> None:
    """Item 9: one article past the default limit (2 MB) never reaches the metrics."""
    text = "Keir Starmer said the UK paid £5m to 12 councils on 3 May. " * 85_000  # 5 MB
    ref = _jsonl(tmp_path / "ref.jsonl", [{"id": "big", "text": text}])
    start = time.perf_counter()
    code, stderr = _bench("score", "--ref", ref, "--hyp", f"s={ref}")
    assert code == 2, stderr
    # 85,000 sentences of 59 characters, 64 once JSON writes the £ as \u00a3, and the
    # 25 of {"id": "big", "text": "..."} around them.
    assert f"{ref}:1: the line holds 5,440,025 characters, over the limit of 2 MB" in stderr
    assert time.perf_counter() - start < 15


class _Pipeline:
    """A stand-in spaCy pipeline that records the batch sizes it is asked for."""

    def __init__(self) -> None:
        self.batches: list[int] = []

    def pipe(self, texts: Any, batch_size: int) -> Any:
        self.batches.append(batch_size)
        for _ in texts:
            yield type("Doc", (), {"ents": ()})()


def test_spacy_batches_hold_a_bounded_number_of_characters() -> None:
    """Item 9: 16 pieces of 100,000 characters at once took about 3 GB; long texts now go
    2 pieces a batch (200,000 characters), short articles still 16."""
    pipeline = _Pipeline()
    ner = spacy_ner.SpacyNER(pipeline, "test")
    ner.spans(["word " * 100_000])  # 500,000 characters: 5 or more pieces
    ner.spans(["A short article."] * 40)
    assert pipeline.batches == [2, 16]


# --- 10: a folder of .txt files ----------------------------------------------------------------


def test_a_folder_says_what_it_skips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLES[0]["text"], encoding="utf-8")
    (folder / "inside.txt").symlink_to(folder / "a.txt")  # a link within the folder: read
    os.mkfifo(folder / "fifo.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "gone.txt").symlink_to(folder / "missing.txt")
    from bench.data.readers import read_articles

    assert [a.id for a in read_articles(folder)] == ["a", "inside"]
    warnings = capsys.readouterr().err.splitlines()
    assert warnings == [
        f"warning: {folder / 'fifo.txt'}: skipped: not a regular file (a FIFO)",
        f"warning: {folder / 'gone.txt'}: skipped: a broken or looping link",
        f"warning: {folder / 'loop.txt'}: skipped: a broken or looping link",
    ]
    assert _cli("validate", folder)[0] == 0


@pytest.mark.parametrize("target", ["outside", "/dev/zero"])
def test_a_folder_refuses_links_that_leave_it(tmp_path: Path, target: str) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLES[0]["text"], encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("Not part of the dataset.", encoding="utf-8")
    (folder / "b.txt").symlink_to(outside if target == "outside" else target)
    code, stderr = _cli("validate", folder)
    assert code == 2
    leads = outside if target == "outside" else Path(target)
    assert f"{folder / 'b.txt'}: a link that leads out of the folder (to {leads})" in stderr


# --- 11-14: damaged stored data and names -------------------------------------------------------


def _run(tmp_path: Path, name: str = "r", log: list[str] | None = None) -> Path:
    data = _jsonl(tmp_path / "clean.jsonl", ARTICLES)
    config = RunConfig(
        datasets=(DatasetSpec(str(data), name="mini"),),
        systems=(SystemSpec("spin", "spinner", {"seed": 3}),),
        metrics=(MetricSpec("bleu"), MetricSpec("chrf")),
        output_dir=tmp_path / "out", bootstrap=0, run_id=name,
    )  # fmt: skip
    return run_benchmark(config, log=(log if log is not None else []).append).run_dir


@pytest.mark.slow
def test_score_cache_rows_of_the_wrong_shape_are_misses(tmp_path: Path) -> None:
    first = _run(tmp_path, "first")
    scores = (first / "scores" / "mini" / "spin.jsonl").read_text(encoding="utf-8")
    cache = Path(os.environ["SPINBENCH_CACHE"]) / "scores.sqlite"
    bad = ['{"a": 1}', "[1, 2]", '[["x"], 1, null]', "[[1, 2], 1, null]", "[[NaN], 1, null]",
           "not json", "[[1, 2], 1]", "[[-1, 2], 1, null]", "[[true], 1, null]"]  # fmt: skip
    with sqlite3.connect(cache) as db:
        keys = [k for (k,) in db.execute("SELECT key FROM results ORDER BY key")]
        assert len(keys) == 6  # 3 articles x 2 metrics
        for key, value in zip(keys, bad, strict=False):
            db.execute("UPDATE results SET value = ? WHERE key = ?", (value, key))
    log: list[str] = []
    second = _run(tmp_path, "second", log)
    # Every row was damaged ([[1, 2], 1, null] is valid JSON of a result's shape, with
    # 2 statistics where BLEU has 10 and chrF 18): all six recomputed, none copied.
    assert (second / "scores" / "mini" / "spin.jsonl").read_text(encoding="utf-8") == scores
    notes = [x for x in log if "score cache" in x]
    assert notes == [
        f"note: the score cache {cache} held 6 row(s) that are not metric results; "
        "they were ignored and computed again"
    ]
    log.clear()
    _run(tmp_path, "third", log)  # the recomputed rows replaced the damaged ones
    assert not [x for x in log if "score cache" in x]


@pytest.fixture(scope="module")
def _two_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two finished runs ("r" and "other") of the same config, made once for the module."""
    root = tmp_path_factory.mktemp("stored")
    _run(root)
    _run(root, "other")
    return root / "out"


def _stored(tmp_path: Path, runs: Path) -> tuple[Path, Path]:
    """A copy of the stored runs for one test to damage: run "r" and its scores file."""
    shutil.copytree(runs, tmp_path / "out")
    run_dir = tmp_path / "out" / "r"
    return run_dir, run_dir / "scores" / "mini" / "spin.jsonl"


@pytest.mark.parametrize(
    ("value", "shown"),
    [("NaN", "NaN"), ("Infinity", "Infinity"), ("-Infinity", "-Infinity"), ("-1", "-1"),
     ("2.5", "2.5")],
)  # fmt: skip
def test_stored_statistics_are_checked_on_read(
    tmp_path: Path, _two_runs: Path, value: str, shown: str
) -> None:
    run_dir, scores = _stored(tmp_path, _two_runs)
    other = tmp_path / "out" / "other"
    lines = scores.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[1])
    record["statistics"]["bleu"][2] = "@"
    lines[1] = json.dumps(record).replace('"@"', value)
    scores.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = (
        f"{scores}:2: unreadable scores: statistic bleu.correct_1 is {shown}: "
        "expected a count (a whole number, 0 or more)"
    )
    for args in (("leaderboard", run_dir), ("report", run_dir), ("compare", run_dir, other)):
        code, stderr = _cli(*args)
        assert code == 2 and stderr.splitlines()[0] == f"error: {expected}", stderr


def test_a_whole_float_count_is_still_a_count(tmp_path: Path, _two_runs: Path) -> None:
    run_dir, scores = _stored(tmp_path, _two_runs)
    before = _invoke("leaderboard", run_dir, "-f", "json")
    lines = scores.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["statistics"]["bleu"] = [float(x) for x in record["statistics"]["bleu"]]
    lines[0] = json.dumps(record)  # 12 -> 12.0
    scores.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _invoke("leaderboard", run_dir, "-f", "json") == before


def test_report_names_a_missing_outputs_file(tmp_path: Path, _two_runs: Path) -> None:
    run_dir, _ = _stored(tmp_path, _two_runs)
    outputs = run_dir / "outputs" / "mini" / "spin.jsonl"
    outputs.unlink()
    code, stderr = _cli("report", run_dir)
    assert code == 2
    assert stderr.splitlines() == [
        f"error: {outputs}: outputs of system 'spin' missing: the report shows the "
        "paraphrases, and the run's folder no longer has them"
    ]
    assert not (run_dir / "report.html").exists()


def test_report_names_an_article_missing_from_the_outputs(tmp_path: Path, _two_runs: Path) -> None:
    run_dir, _ = _stored(tmp_path, _two_runs)
    outputs = run_dir / "outputs" / "mini" / "spin.jsonl"
    kept = [x for x in outputs.read_text(encoding="utf-8").splitlines() if '"id": "b"' not in x]
    outputs.write_text("\n".join(kept) + "\n", encoding="utf-8")
    code, stderr = _cli("report", run_dir)
    assert code == 2
    assert f"error: {outputs} article 'b': the run scored this article" in stderr


def test_a_system_named_like_a_bundled_one_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("run", "-d", "coalition", "-s", "wild-spinner=identity", "-m", "bleu",
            "--bootstrap", "0", "-o", out)  # fmt: skip
    code, stderr = _cli(*args)
    assert code == 2
    assert stderr.splitlines() == [
        "error: system 'wild-spinner' has the name of a system that dataset 'coalition' "
        "ships; rename yours, or leave the bundled ones out with --no-bundled-outputs "
        "(bundled_outputs = false in a config)"
    ]
    assert not out.exists() or not any(out.iterdir())
    code, stderr = _cli(*args, "--no-bundled-outputs")
    assert code == 0, stderr
