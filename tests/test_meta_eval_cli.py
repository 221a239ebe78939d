"""``bench meta-eval`` end to end: hand-checkable figures, text agreeing with JSON, real files.

The shared human-judged files are read only when ../shared is beside the
checkout (CI has it); those tests skip with the reason otherwise.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from bench.cli import app
from tests.conftest import REPO

VALIDATION = REPO.parent / "shared" / "validation"


def _bench(*args: str | Path) -> Result:
    return CliRunner().invoke(app, ["meta-eval", *(str(a) for a in args), "-j", "1"])


def _labelled(tmp_path: Path) -> Path:
    """Four faithful items (two copies, two rewordings) and two that share no word with theirs."""
    rows = [
        ("c1", "The cat sat on the mat today.", "The cat sat on the mat today.", 1),
        ("c2", "Rain fell in Paris all week.", "Rain fell in Paris all week.", 1),
        ("r1", "The dog barked at the postman.", "The dog barked at the mailman.", 1),
        ("r2", "Prices rose by ten percent.", "Prices rose by 10 percent.", 1),
        ("w1", "Bob sold his old red car.", "Zebras graze quietly near rivers.", 0),
        ("w2", "Ice melts when it is warm.", "Quantum theory puzzles many.", 0),
    ]
    path = tmp_path / "mine.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": i, "clean": c, "paraphrase": p, "label": lab}) + "\n"
            for i, c, p, lab in rows
        ),
        encoding="utf-8",
    )
    return path


def test_false_alarms_and_auc_worked_out_by_hand(tmp_path: Path) -> None:
    result = _bench(_labelled(tmp_path), "-m", "bleu", "-f", "json", "--bootstrap", "0")
    assert result.exit_code == 0, result.output
    (found,) = json.loads(result.stdout)["sets"]
    bleu = {m["key"]: m for m in found["metrics"]}["bleu"]
    # Faithful: c1, c2 (copies, BLEU 100) and r1, r2 (one word changed, BLEU below 100):
    # 2 of 4 score below BLEU's perfect 100.
    assert bleu["measures"]["false_alarm"]["value"] == pytest.approx(0.5)
    assert bleu["measures"]["false_alarm"]["n"] == 4
    # w1 and w2 share no word with their clean text (BLEU 0); every faithful item scores
    # above 0, so each of the 4 x 2 pairs is won: AUC 1.
    assert bleu["measures"]["auc"]["value"] == pytest.approx(1.0)
    assert found["faithful"] == 4 and found["items"] == 6
    # chrF, the baseline, is added when not asked for.
    assert [m["key"] for m in found["metrics"]] == ["bleu", "chrf"]


def _scored(tmp_path: Path) -> Path:
    """Three systems on three segments, scored by people."""
    clean = ["The mayor of Lyon opened the bridge.", "Sales grew 5% in May.", "Anna won."]
    hyps = {
        "good": ["The mayor of Lyon opened the bridge.", "Sales grew 5% in May.", "Anna won."],
        "fair": ["Lyon's mayor opened the bridge.", "Sales rose 5% in May.", "Anna has won."],
        "poor": ["A mayor opened a bridge.", "Sales grew in June.", "Maria lost."],
    }
    scores = {"good": 0.0, "fair": -1.0, "poor": -10.0}
    lines = [
        json.dumps({"id": f"{s}{g}", "clean": clean[g], "paraphrase": hyps[s][g],
                    "score": scores[s] - g, "system": s, "group": f"seg{g}"})
        for s in hyps for g in range(3)
    ]  # fmt: skip
    path = tmp_path / "scored.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"[-+]?\d+\.\d+", text)]


def _spread(estimate: dict[str, float], p: bool = False) -> list[float]:
    """Value, low, high (and p) of one figure of the JSON report."""
    return [estimate["value"], estimate["low"], estimate["high"]] + ([estimate["p"]] if p else [])


def test_text_table_and_json_agree(tmp_path: Path) -> None:
    path = _scored(tmp_path)
    args = (path, "-m", "chrf", "-m", "bleu", "--bootstrap", "200", "--out", tmp_path / "out")
    text = _bench(*args)
    data = _bench(*args, "-f", "json")
    markdown = _bench(*args, "-f", "markdown").stdout.splitlines()
    assert text.exit_code == 0 and data.exit_code == 0, text.output + data.output
    (found,) = json.loads(data.stdout)["sets"]
    assert found["systems"] == ["fair", "good", "poor"] and found["groups"] == 3
    rows: dict[str, list[str]] = {}
    for line in text.stdout.splitlines():
        if line[:4] in ("chrf", "bleu"):
            rows.setdefault(line.split()[0], []).append(line)
    for metric in found["metrics"]:
        m, d = metric["measures"], metric["differences"]
        baseline = metric["key"] == "chrf"
        segment = _spread(m["tau_b"]) + ([] if baseline else _spread(d["tau_b"], p=True))
        segment += [m[k]["value"] for k in ("pairwise_accuracy", "tau_b_within",
                                             "pairwise_accuracy_within", "auc")]  # fmt: skip
        segment += [100 * v for v in _spread(m["false_alarm"])]
        system: list[float] = []
        for k in ("system_pearson", "system_accuracy"):
            system += _spread(m[k]) + ([] if baseline else _spread(d[k], p=True))
        shown_segment, shown_system = (_numbers(line) for line in rows[metric["key"]])
        tables = [_numbers(line) for line in markdown if line.startswith(f"| {metric['key']} |")]
        assert tables == [shown_segment, shown_system]  # markdown shows what text shows
        # Three decimals, but the false-alarm rate (the last three) is a percentage with one.
        assert shown_segment[:-3] == pytest.approx(segment[:-3], abs=0.0006)
        assert shown_segment[-3:] == pytest.approx(segment[-3:], abs=0.06)
        assert shown_system == pytest.approx(system, abs=0.0006)
    items = [json.loads(line) for line in (tmp_path / "out" / "scored.items.jsonl").open()]
    assert len(items) == 9 and items[0]["id"] == "good0" and items[0]["scores"]["chrf"] == 100.0
    assert (
        items[3]["paraphrase"] == "Lyon's mayor opened the bridge."
        and items[3]["faithful"] is False
    )
    assert json.loads((tmp_path / "out" / "meta-eval.json").read_text())["sets"][0]["items"] == 9


def test_worker_processes_give_the_same_numbers(tmp_path: Path) -> None:
    path = _scored(tmp_path)
    args = ["meta-eval", str(path), "-m", "bleu", "-f", "json", "--bootstrap", "100"]
    one, two = (CliRunner().invoke(app, [*args, "-j", n]) for n in ("1", "2"))
    assert one.exit_code == 0 and two.exit_code == 0, one.output + two.output
    sets = [json.loads(r.stdout)["sets"][0] for r in (one, two)]
    for found in sets:
        found.pop("seconds")
    assert sets[0] == sets[1]


def test_the_command_builds_one_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import bench.meta_eval.run as run
    from bench.config import MetricSpec
    from bench.execution import Execution

    seen: list[run.MetaEvalConfig] = []
    monkeypatch.setattr(run, "meta_evaluate", lambda config, log: seen.append(config) or [])
    result = _bench("a.jsonl", "b.json", "-m", "entities", "-m", "bleu", "--against", "bleu",
                    "--format-in", "summedits", "--bootstrap", "10", "--seed", "3",
                    "--limit", "7")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert seen == [
        run.MetaEvalConfig(
            paths=(Path("a.jsonl"), Path("b.json")),
            metrics=(MetricSpec("entities"), MetricSpec("bleu")),
            against="bleu",
            format_in="summedits",
            resamples=10,
            seed=3,
            limit=7,
            out=None,
            execution=Execution(workers=1),
        )
    ]
    assert [s.key for s in seen[0].with_baseline()] == ["entities", "bleu"]
    default = run.MetaEvalConfig(paths=(), metrics=(MetricSpec("entities"),))
    assert [s.key for s in default.with_baseline()] == ["entities", "chrf"]


def test_bad_input_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('{"id": "a", "clean": "x", "paraphrase": "y", "label": 1}\n{oops\n')
    result = _bench(path)
    assert result.exit_code == 2
    assert re.search(r"error: .*broken\.jsonl:2: not JSON", result.stderr)
    unknown = _bench(_labelled(tmp_path), "-m", "chrff")
    assert unknown.exit_code == 2 and 'did you mean "chrf"' in unknown.stderr


def test_a_file_with_nothing_to_score_reports_why(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"  # not .jsonl: the format is told from the content
    path.write_text(json.dumps({"id": "a", "clean": "x", "paraphrase": "", "label": 1}) + "\n")
    result = _bench(path, "--format-in", "jsonl", "-m", "chrf")
    assert result.exit_code == 0, result.output
    assert "0 items" in result.stdout and "left out: 1 no text" in result.stdout


def _shared(*parts: str) -> Path:
    path = VALIDATION.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"{path} is not beside this checkout (../shared/validation)")
    return path


def _json(*args: str | Path) -> dict[str, Any]:
    result = _bench(*args, "-f", "json")
    assert result.exit_code == 0, result.output
    sets: list[dict[str, Any]] = json.loads(result.stdout)["sets"]
    assert len(sets) == 1
    return sets[0]


def test_real_mqm_ted_segments(tmp_path: Path) -> None:
    errors = _shared("mqm-ted-zhen", "mqm_ted_zhen.tsv")
    found = _json(errors, "-m", "chrf", "--limit", "5", "--bootstrap", "50")
    # 13 MT systems and refB on each of the first 5 rated segments; ref is the clean text.
    assert len(found["systems"]) == 14 and "refB" in found["systems"]
    assert "ref" not in found["systems"] and found["groups"] == 5 and found["items"] == 70
    assert found["left_out"]["not rated (score None)"] == 14 * 314  # 843 segments, 529 rated
    chrf = found["metrics"][0]["measures"]
    assert -1 <= chrf["tau_b"]["value"] <= 1 and 0 <= chrf["false_alarm"]["value"] <= 1


def test_real_summedits_file() -> None:
    path = _shared("summedits", "summedits_scitldr.json")
    found = _json(path, "-m", "chrf", "--limit", "60", "--bootstrap", "50")
    assert found["left_out"] == {"copy of the original summary": 17}
    assert found["items"] == 60 and found["judgment"] == "label"
    assert 0 <= found["metrics"][0]["measures"]["auc"]["value"] <= 1
