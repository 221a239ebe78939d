"""CI gates, exit codes, `bench compare` and the GitHub step summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.cli import app

CONFIG = """
datasets = ["news"]
metrics = ["entities"]
bundled_outputs = false
bootstrap = 1000
systems = [{{name = "sys", type = "spinner", mode = "{mode}"}}]
{extra}
"""


def _run(folder: Path, mode: str, extra: str = "", *args: str) -> tuple[int, str, Path | None]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bench.toml").write_text(CONFIG.format(mode=mode, extra=extra), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["run", "--config", str(folder / "bench.toml"), "-o", str(folder / "out"), *args]
    )
    runs = sorted((folder / "out").glob("*/manifest.json"))
    return result.exit_code, result.stderr, runs[-1].parent if runs else None


@pytest.mark.slow
def test_a_floor_above_the_score_fails_and_is_named(tmp_path: Path) -> None:
    gate = '[[gates]]\nmetric = "entities"\nmin = 0.9\n'
    code, stderr, _ = _run(tmp_path / "a", "naive", gate)
    assert code == 1
    failed = [line for line in stderr.splitlines() if line.startswith("gate FAILED")]
    assert failed == [failed[0]] and failed[0].startswith(
        "gate FAILED: entities >= 0.9 for sys on news: 0.7"
    )
    code, stderr, _ = _run(tmp_path / "b", "naive")
    assert code == 0 and "gate" not in stderr
    code, stderr, _ = _run(tmp_path / "c", "careful", gate)
    assert code == 0 and "gate passed: entities >= 0.9 for sys on news" in stderr


@pytest.mark.slow
def test_a_significant_regression_against_the_baseline_fails(tmp_path: Path) -> None:
    _, _, baseline = _run(tmp_path / "base", "careful")
    assert baseline is not None
    gate = f'baseline = "{baseline}"\n[[gates]]\nmetric = "entities"\nmax_regression = 0.05\n'
    code, stderr, _ = _run(tmp_path / "worse", "naive", gate)
    assert code == 1
    assert "gate FAILED: entities drops at most 0.05 vs baseline for sys on news: dropped 0.2" in (
        stderr
    )
    assert "(significant, p = " in stderr
    code, stderr, _ = _run(tmp_path / "same", "careful", gate)
    assert code == 0 and "gate passed" in stderr and "p = 1" in stderr


def test_a_regression_gate_without_baseline_is_a_usage_error(tmp_path: Path) -> None:
    code, stderr, _ = _run(
        tmp_path, "careful", '[[gates]]\nmetric = "entities"\nmax_regression = 1\n'
    )
    assert code == 2
    assert stderr.startswith("error: a max_regression gate needs a baseline run")


def test_unknown_gate_metric_and_keys_are_errors(tmp_path: Path) -> None:
    code, stderr, _ = _run(tmp_path / "a", "careful", '[[gates]]\nmetric = "bleu"\nmin = 1\n')
    assert code == 2 and "the run has no such metric" in stderr
    code, stderr, _ = _run(tmp_path / "b", "careful", '[[gates]]\nmetric = "bleu"\nminn = 1\n')
    assert code == 2 and 'did you mean "min"' in stderr


@pytest.mark.slow
def test_step_summary_gets_the_leaderboard_and_gates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, _, _ = _run(tmp_path / "run", "careful", '[[gates]]\nmetric = "entities"\nmin = 0.5\n')
    assert code == 0
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n# Leaderboard: run `")
    assert "| sys | 1 | 0.996" in text
    assert "- ✅ gate passed: entities >= 0.5 for sys on news" in text


@pytest.mark.slow
def test_compare_reports_changes_with_significance(tmp_path: Path) -> None:
    _, _, careful = _run(tmp_path / "careful", "careful")
    _, _, naive = _run(tmp_path / "naive", "naive")
    assert careful is not None and naive is not None
    result = CliRunner().invoke(app, ["compare", str(careful), str(naive), "-f", "json"])
    assert result.exit_code == 0, result.output
    (change,) = json.loads(result.stdout)["changes"]
    board = {
        run: json.loads((run / "leaderboard.json").read_text("utf-8"))["rows"][0]["scores"]
        for run in (careful, naive)
    }
    assert change["baseline"] == board[careful]["entities"]["score"]
    assert change["new"] == board[naive]["entities"]["score"]
    assert change["difference"] == pytest.approx(change["new"] - change["baseline"])
    assert change["improved"] is False and change["significant"] is True
    same = CliRunner().invoke(app, ["compare", str(careful), str(careful), "-f", "json"])
    (unchanged,) = json.loads(same.stdout)["changes"]
    assert unchanged["p"] == 1.0 and not unchanged["significant"]
