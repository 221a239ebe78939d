"""Killed runs: SIGKILL in the middle of paraphrasing, and of scoring, then `--resume`.

The paraphraser is a small script that logs every call and sleeps a little,
so the kill lands while work is in flight. The output cache is off: the run's
own journal alone must make resuming lossless.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.process import descendants
from tests.conftest import DATASETS

SLOW = """
import sys, time
from pathlib import Path
text = sys.stdin.read()
with Path(sys.argv[1]).open("a") as log:
    log.write(text.split()[0] + "\\n")
time.sleep(float(sys.argv[2]))
sys.stdout.write(" ".join(text.split()[::-1]))
"""


def _setup(tmp_path: Path, articles: int, delay: float) -> tuple[Path, Path]:
    rows = [json.loads(x) for x in (DATASETS / "news" / "articles.jsonl").open(encoding="utf-8")]
    data = tmp_path / "mini.jsonl"
    data.write_text(
        "".join(json.dumps({"id": f"n{i}", "text": f"n{i} " + r["text"]}) + "\n"
                for i, r in enumerate(rows[:articles])),
        encoding="utf-8",
    )  # fmt: skip
    script = tmp_path / "slow.py"
    script.write_text(SLOW, encoding="utf-8")
    log = tmp_path / "calls.log"
    config = tmp_path / "bench.toml"
    config.write_text(
        f'datasets = [{{path = "{data}", name = "mini"}}]\n'
        f'systems = [{{name = "slow", type = "command", argv = ["{sys.executable}", '
        f'"{script}", "{log}", "{delay}"]}}]\n'
        'metrics = ["bleu", "chrf", "entities", "quantities"]\n'
        "bootstrap = 200\n",
        encoding="utf-8",
    )
    return config, log


def _bench(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "bench", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip


def _wait_for(condition: object, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the run")
        time.sleep(0.02)


def _alive(pids: set[int]) -> set[int]:
    """The processes of ``pids`` still running (a zombie has finished)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            running.add(pid)
    return running


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def _tables(run_dir: Path) -> dict[str, object]:
    board = json.loads((run_dir / "leaderboard.json").read_text(encoding="utf-8"))
    scores = (run_dir / "scores" / "mini" / "slow.jsonl").read_text(encoding="utf-8")
    return {"rows": board["rows"], "comparisons": board["comparisons"], "scores": scores}


@pytest.mark.parametrize("moment", ["paraphrasing", "scoring"])
@pytest.mark.slow
def test_sigkill_then_resume_loses_and_repeats_nothing(tmp_path: Path, moment: str) -> None:
    env = {**os.environ, "SPINBENCH_CACHE": "off"}
    articles = 6
    config, log = _setup(tmp_path, articles, delay=0.4 if moment == "paraphrasing" else 0.0)
    out = tmp_path / "out"
    run = _bench("run", "--config", str(config), "-o", str(out), "--run-id", "killed", env=env)
    journal = out / "killed" / "outputs" / "mini" / "slow.jsonl"
    if moment == "paraphrasing":
        _wait_for(lambda: len(_lines(journal)) >= 2)
    else:
        _wait_for(lambda: len(_lines(journal)) == articles)
    helpers = descendants(run.pid)  # paraphraser, fork server, workers, resource tracker
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    assert run.returncode == -signal.SIGKILL
    # Whatever the run had started dies with it (PR_SET_PDEATHSIG): a paraphraser call in
    # flight, the workers' fork server, the workers.
    _wait_for(lambda: not _alive(helpers), timeout=10)
    assert not (out / "killed" / "leaderboard.json").exists()  # it did not get to finish
    called_before = _lines(log)
    kept = [json.loads(x)["id"] for x in _lines(journal) if x.endswith("}")]

    resumed = _bench("run", "--resume", str(out / "killed"), env=env)
    assert resumed.wait(timeout=300) == 0, resumed.stderr.read() if resumed.stderr else ""
    calls = _lines(log)
    # Every article produced before the kill was kept; none was asked for twice.
    assert set(kept) <= set(called_before)
    assert sorted(calls[len(called_before) :]) == sorted(
        f"n{i}" for i in range(articles) if f"n{i}" not in kept
    )
    reference = _bench("run", "--config", str(config), "-o", str(tmp_path / "ref"),
                       "--run-id", "whole", env=env)  # fmt: skip
    assert reference.wait(timeout=300) == 0
    assert _tables(out / "killed") == _tables(tmp_path / "ref" / "whole")


@pytest.mark.slow
def test_two_runs_into_one_results_folder_at_once(tmp_path: Path) -> None:
    env = {**os.environ, "SPINBENCH_CACHE": "off"}
    config, _ = _setup(tmp_path, 4, delay=0.05)
    out = tmp_path / "out"
    runs = [_bench("run", "--config", str(config), "-o", str(out), env=env) for _ in range(2)]
    assert [r.wait(timeout=300) for r in runs] == [0, 0]
    folders = sorted(p.parent for p in out.glob("*/manifest.json"))
    assert len(folders) == 2  # each claimed its own run id, even within the same second
    tables = [_tables(folder) for folder in folders]
    assert tables[0]["scores"] == tables[1]["scores"]
    for folder in folders:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["status"] == "complete" and manifest["run_id"] == folder.name
        assert not list(folder.rglob("*.tmp"))
