"""Runs under stress (issue 19, items 1-6 and 8): two processes on one run folder, SIGTERM,
paraphrasers that fork, crash, hang or flood, output folders that cannot be written and
a disk that fills up. Each ends in one line naming the place, or a defined result; what
was computed is kept, and nothing is computed twice.

Whole runs go in subprocesses with timeouts (``tests.test_faults``' helpers); the
paraphraser cases call the ``command`` system directly, each bounded by its timeout.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bench.cli import app
from bench.config import SystemSpec
from bench.data.article import Article
from bench.process import descendants
from bench.systems import SystemFailure, build_system
from bench.systems.cache import OutputCache
from tests.test_faults import _alive, _bench, _lines, _setup, _tables, _wait_for

ARTICLE = Article("a", "Keir Starmer said the UK paid £5m to 12 councils on 3 May.")


def _command(tmp_path: Path, source: str, **options: Any) -> Any:
    script = tmp_path / "paraphraser.py"
    script.write_text(source, encoding="utf-8")
    argv = [sys.executable, str(script), str(tmp_path / "child.pid")]
    return build_system(SystemSpec("cmd", "command", {"argv": argv, **options}))


def _gone(pid: int) -> bool:
    return not _alive({pid})


FORKS = """
import subprocess, sys, time
from pathlib import Path
text = sys.stdin.read()
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # keeps stdout
Path(sys.argv[1]).write_text(str(child.pid))
sys.stdout.write(text.upper())
sys.stdout.flush()
if "--hang" in sys.argv:
    time.sleep(60)
"""


def test_a_background_child_holding_stdout_does_not_hold_the_article(tmp_path: Path) -> None:
    system = _command(tmp_path, FORKS, timeout=20)
    start = time.monotonic()
    assert system.paraphrase(ARTICLE) == ARTICLE.text.upper()
    assert time.monotonic() - start < 10  # not the 20 s timeout, nor the child's 60 s
    child = int((tmp_path / "child.pid").read_text())
    _wait_for(lambda: _gone(child), timeout=5)  # its group was ended with it


def test_a_timeout_ends_the_whole_group(tmp_path: Path) -> None:
    script = tmp_path / "paraphraser.py"
    script.write_text(FORKS, encoding="utf-8")
    argv = [sys.executable, str(script), str(tmp_path / "child.pid"), "--hang"]
    system = build_system(SystemSpec("cmd", "command", {"argv": argv, "timeout": 2}))
    with pytest.raises(SystemFailure, match=r"^timed out after 2 s$"):
        system.paraphrase(ARTICLE)
    child = int((tmp_path / "child.pid").read_text())
    _wait_for(lambda: _gone(child), timeout=5)


def test_a_paraphraser_killed_by_a_signal_is_named(tmp_path: Path) -> None:
    system = _command(tmp_path, "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n")
    with pytest.raises(SystemFailure, match=r"^killed by signal SIGSEGV: $"):
        system.paraphrase(ARTICLE)
    system = _command(tmp_path, "import sys\nsys.stderr.write('boom')\nsys.exit(3)\n")
    with pytest.raises(SystemFailure, match=r"^exited with code 3: boom$"):
        system.paraphrase(ARTICLE)


FLOOD = "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n"


def test_an_endless_paraphrase_is_cut_at_the_limit(tmp_path: Path) -> None:
    """A 60-byte article may have a 10,000-byte paraphrase (the floor); the program is
    stopped once it has written more, not read to the end of a flood."""
    system = _command(tmp_path, FLOOD, timeout=20)
    start = time.monotonic()
    with pytest.raises(SystemFailure) as info:
        system.paraphrase(ARTICLE)
    assert str(info.value) == (
        "output longer than 10,000 bytes (the limit is 10 times the article, and at least "
        "10,000 bytes; the system option max_output_ratio changes it)"
    )
    assert time.monotonic() - start < 10


def test_max_output_ratio_is_an_option_of_every_system(tmp_path: Path) -> None:
    big = "import sys\nsys.stdin.read()\nsys.stdout.write('y' * 50_000)\n"
    length = len(ARTICLE.text.encode())  # 61 bytes (£ is two)
    system = _command(tmp_path, big, max_output_ratio=1000)  # 61,000 bytes allowed
    assert system.paraphrase(ARTICLE) == "y" * 50_000
    system = _command(tmp_path, big, max_output_ratio=500)  # 30,500
    with pytest.raises(SystemFailure, match=f"output longer than {500 * length:,} bytes"):
        system.paraphrase(ARTICLE)
    with pytest.raises(Exception, match="'max_output_ratio' must be a positive number"):
        _command(tmp_path, big, max_output_ratio=0)


def test_an_overlong_output_of_any_system_is_recorded_as_failed(tmp_path: Path) -> None:
    """Stored outputs too: the run records the article as failed, with the reason, and
    scores it as an empty paraphrase; the journal never holds the long text."""
    data = tmp_path / "clean.jsonl"
    data.write_text(json.dumps({"id": "a", "text": ARTICLE.text}) + "\n", encoding="utf-8")
    outputs = tmp_path / "long.jsonl"
    outputs.write_text(json.dumps({"id": "a", "text": "z" * 10_001}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", "-d", str(data), "-s", f"long=outputs:{outputs}",
                                      "-m", "bleu", "--bootstrap", "0", "-o", str(out),
                                      "--run-id", "r", "-j", "1"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    journal = [json.loads(x) for x in _lines(out / "r" / "outputs" / "clean" / "long.jsonl")]
    assert [(r["id"], r["status"], r["error"]) for r in journal] == [
        ("a", "failed", "output longer than 10,000 bytes (the limit is 10 times the article, "
                        "and at least 10,000 bytes; the system option max_output_ratio "
                        "changes it)")
    ]  # fmt: skip
    scores = json.loads(_lines(out / "r" / "scores" / "clean" / "long.jsonl")[0])
    assert scores["status"] == "failed" and scores["statistics"]["bleu"][0] == 0  # hyp_len


# --- one process per run folder ----------------------------------------------------------------


@pytest.mark.slow
def test_two_resumes_at_once_one_runs_the_other_names_the_holder(tmp_path: Path) -> None:
    """The issue's case: a killed run, then two ``--resume`` of it at once. One resumes,
    the other exits 1 at once naming the folder and the first one's pid; no article is
    paraphrased twice and the journal has one line per article."""
    env = {**os.environ, "SPINBENCH_CACHE": "off"}
    articles = 6
    config, log = _setup(tmp_path, articles, delay=0.3)
    out = tmp_path / "out"
    first = _bench("run", "--config", str(config), "-o", str(out), "--run-id", "r", env=env)
    journal = out / "r" / "outputs" / "mini" / "slow.jsonl"
    _wait_for(lambda: len(_lines(journal)) >= 1)
    first.send_signal(signal.SIGKILL)  # its lock goes with it
    first.wait(timeout=30)
    called_before = _lines(log)
    kept = [json.loads(x)["id"] for x in _lines(journal) if x.endswith("}")]
    resumes = [_bench("run", "--resume", str(out / "r"), env=env) for _ in range(2)]
    codes = [r.wait(timeout=300) for r in resumes]
    assert sorted(codes) == [0, 1]
    winner, loser = (resumes[0], resumes[1]) if codes[0] == 0 else (resumes[1], resumes[0])
    assert loser.stderr is not None
    assert loser.stderr.read().decode().splitlines() == [
        f"error: {out / 'r'}: run folder is in use by another bench process "
        f"(pid {winner.pid}); wait for it to finish, or stop it, then resume"
    ]
    calls = _lines(log)[len(called_before) :]
    assert sorted(calls) == sorted(f"n{i}" for i in range(articles) if f"n{i}" not in kept)
    records = [json.loads(x) for x in _lines(journal) if x.endswith("}")]
    assert sorted(r["id"] for r in records) == sorted(f"n{i}" for i in range(articles))


@pytest.mark.slow
def test_sigterm_while_scoring_leaves_no_temporary_file(tmp_path: Path) -> None:
    env = {**os.environ, "SPINBENCH_CACHE": "off"}
    articles = 6
    config, log = _setup(tmp_path, articles, delay=0.0)
    out = tmp_path / "out"
    run = _bench("run", "--config", str(config), "-o", str(out), "--run-id", "t", env=env)
    _wait_for(lambda: len(_lines(out / "t" / "outputs" / "mini" / "slow.jsonl")) == articles)
    _wait_for(lambda: (out / "t" / "scores" / "mini").is_dir())  # its file is open
    helpers = descendants(run.pid)
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=60) == 1
    assert run.stderr is not None
    assert run.stderr.read().decode().splitlines()[-1] == (
        "error: stopped by SIGTERM; what was done is kept "
        "(`bench run --resume RUN_FOLDER` continues a run)"
    )
    _wait_for(lambda: not _alive(helpers), timeout=20)
    assert not (out / "t" / "leaderboard.json").exists()
    assert not list((out / "t").rglob("*.tmp"))
    # What a SIGKILL would have left: swept on resume, under the folder's lock.
    (out / "t" / "scores" / "mini" / ".slow.jsonl.x1y2.tmp").write_text("")
    resumed = _bench("run", "--resume", str(out / "t"), env=env)
    assert resumed.wait(timeout=300) == 0
    assert resumed.stderr is not None
    assert (
        "removed 1 temporary file(s) left by the interrupted run" in resumed.stderr.read().decode()
    )
    assert not list((out / "t").rglob("*.tmp"))
    assert sorted(_lines(log)) == sorted(f"n{i}" for i in range(articles))  # each called once
    whole = _bench("run", "--config", str(config), "-o", str(tmp_path / "ref"), "--run-id", "w",
                   env=env)  # fmt: skip
    assert whole.wait(timeout=300) == 0
    assert _tables(out / "t") == _tables(tmp_path / "ref" / "w")


# --- output folders and full disks (in-process, with the errors the OS would give) ------------


def _mini(tmp_path: Path) -> Path:
    data = tmp_path / "mini.jsonl"
    rows = [ARTICLE.text, "Angela Rayner met 40 mayors in Leeds on Friday.", "Rates rose to 5%."]
    data.write_text("".join(json.dumps({"id": f"n{i}", "text": t}) + "\n"
                            for i, t in enumerate(rows)), encoding="utf-8")  # fmt: skip
    return data


def _run(tmp_path: Path, *args: str) -> tuple[int, str]:
    command = ["run", "-d", str(_mini(tmp_path)), "-s", "spin=spinner", "-m", "bleu", "-m",
               "chrf", "--bootstrap", "0", "-j", "1", *args]  # fmt: skip
    result = CliRunner().invoke(app, command)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def test_an_output_folder_that_is_not_a_folder(tmp_path: Path) -> None:
    code, stderr = _run(tmp_path, "-o", "/dev/null")
    assert (code, stderr) == (2, "error: /dev/null: the output folder is not a folder "
                                 "(a character device); give -o a folder\n")  # fmt: skip
    file = tmp_path / "results"
    file.write_text("")
    code, stderr = _run(tmp_path, "-o", str(file))
    assert (code, stderr) == (2, f"error: {file}: the output folder is not a folder "
                                 "(a file); give -o a folder\n")  # fmt: skip


def _denied(
    monkeypatch: pytest.MonkeyPatch, target: Any, name: str, when: Callable[..., bool]
) -> None:
    """``target.name`` fails with EACCES, as in a read-only folder, when ``when(args)``."""
    real = getattr(target, name)

    def fake(*args: Any, **kwargs: Any) -> Any:
        if when(*args, **kwargs):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, fake)


def test_read_only_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root (this test's usual machine) chmod cannot make a folder read-only, so the
    OS's EACCES is raised where it would come from."""
    out = tmp_path / "out"
    out.mkdir()
    with monkeypatch.context() as patch:
        _denied(patch, Path, "mkdir", lambda self, *a, **k: self.parent == out)
        code, stderr = _run(tmp_path, "-o", str(out), "--run-id", "r")
    assert (code, stderr) == (2, f"error: {out / 'r'}: cannot create the run folder: "
                                 "Permission denied\n")  # fmt: skip
    assert _run(tmp_path, "-o", str(out), "--run-id", "r")[0] == 0
    with monkeypatch.context() as patch:
        _denied(patch, tempfile, "mkstemp", lambda *a, **k: k.get("dir") == tmp_path / "ro")
        result = CliRunner().invoke(
            app, ["report", str(out / "r"), "-o", str(tmp_path / "ro" / "x.html")]
        )
    assert (result.exit_code, result.stderr) == (
        2, f"error: {tmp_path / 'ro' / 'x.html'}: cannot write: Permission denied\n"
    )  # fmt: skip
    with monkeypatch.context() as patch:
        _denied(patch, os, "open", lambda path, *a, **k: str(path).endswith(".lock"))
        result = CliRunner().invoke(app, ["run", "--resume", str(out / "r")])
    assert (result.exit_code, result.stderr) == (
        2, f"error: {out / 'r'}: cannot write in the run folder (Permission denied); "
           "a run folder must be writable\n"
    )  # fmt: skip


@pytest.mark.parametrize("failing", ["outputs", "scores"])
def test_a_full_disk_names_the_file_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """ENOSPC (which names no file) from fsync of the outputs journal or of the scores
    file: exit 1 naming the file; a resume gives the same leaderboard as a run that
    never failed."""
    monkeypatch.setenv("SPINBENCH_CACHE", "off")
    out = tmp_path / "out"

    def full(fd: int) -> bool:
        return f"/{failing}/" in str(Path(f"/proc/self/fd/{fd}").readlink())

    real = os.fsync

    def fsync(fd: int) -> None:
        if full(fd):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", fsync)
        code, stderr = _run(tmp_path, "-o", str(out), "--run-id", "full")
    place = out / "full" / failing / "mini" / "spin.jsonl"
    assert code == 1
    assert stderr.splitlines()[-1] == f"error: {place}: cannot write: No space left on device"
    assert not list((out / "full").rglob("*.tmp"))
    result = CliRunner().invoke(app, ["run", "--resume", str(out / "full")])
    assert result.exit_code == 0, result.stderr
    assert _run(tmp_path, "-o", str(out), "--run-id", "whole")[0] == 0
    boards = [json.loads((out / r / "leaderboard.json").read_text()) for r in ("full", "whole")]
    assert boards[0]["rows"] == boards[1]["rows"]
    for run in ("full", "whole"):
        journal = _lines(out / run / "outputs" / "mini" / "spin.jsonl")
        assert len(journal) == 3  # each article paraphrased once


class _NoNames:
    """A stand-in NER that finds nothing (the facts cache is what is tried here)."""

    signature = "none"

    def spans(self, texts: Any) -> list[list[tuple[int, int, str]]]:
        return [[] for _ in texts]


class _FullDisk:
    """A file opened on a full disk: it exists, and nothing written to it gets there."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        self._handle.flush()

    def fileno(self) -> int:
        return int(self._handle.fileno())

    def close(self) -> None:
        self._handle.close()


def test_a_full_cache_disk_leaves_no_empty_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from metrics.facts.extract import FactExtractor

    real = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FullDisk(real(*a, **k)))
    extractor = FactExtractor(_NoNames(), tmp_path)
    [facts] = extractor.extract(["The UK paid £5m on 3 May."])
    assert [q.text for q in facts.quantities] == ["£5m", "3 May"]  # the run goes on
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []
    # The output cache, likewise.
    cache = OutputCache(tmp_path / "outputs")
    cache.put(ARTICLE, "A paraphrase.")
    assert cache.get(ARTICLE) is None
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_journal_on_a_full_device_names_its_file(tmp_path: Path) -> None:
    """/dev/full fails every write with ENOSPC, and so does the flush when the file is
    closed: that second failure must not replace the error naming the file."""
    from bench.errors import RunFailure
    from bench.results.store import Journal

    journal = tmp_path / "spin.jsonl"
    journal.symlink_to("/dev/full")
    with pytest.raises(RunFailure) as info:
        Journal(journal).append({"id": "a", "status": "ok", "text": "x"})
    assert str(info.value) == f"{journal}: cannot write: No space left on device"
