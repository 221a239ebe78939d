"""The JSON Schema of a run's files (docs/results-schema.json): current, and a real run
fits it; files in the older 1.0 layout still read; hostile records are refused with the
key named, by the schema and by spinbench alike."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from sacrebleu.metrics.bleu import BLEU

from bench.config import DatasetSpec, MetricSpec, RunConfig, SystemSpec
from bench.errors import BenchError
from bench.results.json_schema import DOCS_FILE, render, results_json_schema
from bench.results.read import read_manifest, rebuild_leaderboard
from bench.results.schema import ArticleResult, RunManifest
from bench.runner import run_benchmark
from tests.conftest import REPO

ARTICLES = [
    {"id": "a", "text": "Keir Starmer said the UK paid £5m to 12 councils on 3 May."},
    {"id": "b", "text": "France rejected the truce on Tuesday, officials said."},
]

PARAPHRASE = "Starmer said the UK paid £5m to councils."
PARAPHRASER = f"""import sys
text = sys.stdin.buffer.read().decode("utf-8")
if "France" in text:
    sys.exit("refusing")
sys.stdout.buffer.write({PARAPHRASE!r}.encode("utf-8"))
"""


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real run: two articles, the identity row and a command system that fails on one,
    BLEU and the artefacts metric (which writes diagnostics)."""
    root = tmp_path_factory.mktemp("schema_run")
    data = root / "tiny.jsonl"
    data.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    script = root / "mine.py"  # a paraphraser that fails on b
    script.write_text(PARAPHRASER, encoding="utf-8")
    config = RunConfig(
        datasets=(DatasetSpec(str(data), name="tiny"),),
        systems=(
            SystemSpec("identity", "identity"),
            SystemSpec("mine", "command", {"argv": [sys.executable, str(script)]}),
        ),
        metrics=(MetricSpec("bleu"), MetricSpec("artefacts")),
        output_dir=root / "out",
        run_id="r",
        bootstrap=0,
    )
    return run_benchmark(config).run_dir


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _errors(schema: dict[str, Any], data: Any) -> list[str]:
    return [e.message for e in Draft202012Validator(schema).iter_errors(data)]


LINE_SCHEMA = {"$defs": results_json_schema()["$defs"], "$ref": "#/$defs/ArticleResult"}


def test_the_committed_schema_is_what_the_classes_generate() -> None:
    committed = (REPO / DOCS_FILE).read_text(encoding="utf-8")
    assert committed == render(), "run: python -m bench.results.json_schema"
    Draft202012Validator.check_schema(json.loads(committed))


def test_a_real_run_fits_the_schema(run_dir: Path) -> None:
    schema = json.loads((REPO / DOCS_FILE).read_text(encoding="utf-8"))
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert _errors(schema, manifest) == []
    lines = [
        line
        for system in ("identity", "mine")
        for line in _lines(run_dir / "scores" / "tiny" / f"{system}.jsonl")
    ]
    assert len(lines) == 4
    assert any(line["diagnostics"] for line in lines)  # the artefacts metric's
    assert [line["status"] for line in lines] == ["ok", "ok", "ok", "failed"]
    for line in lines:
        assert _errors(LINE_SCHEMA, line) == []


def test_files_of_schema_1_0_still_read(run_dir: Path, tmp_path: Path) -> None:
    """1.0 had no ``decimals`` or ``extra_columns`` in metrics, no ``diagnostics`` in
    scores lines: such a run reads back, and its leaderboard is recomputed as before."""
    old = tmp_path / "old"
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["schema_version"] = "1.0"
    for metric in manifest["metrics"]:
        del metric["decimals"], metric["extra_columns"]
    (old / "scores" / "tiny").mkdir(parents=True)
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    for system in ("identity", "mine"):
        lines = _lines(run_dir / "scores" / "tiny" / f"{system}.jsonl")
        for line in lines:
            del line["diagnostics"]
        text = "".join(json.dumps(line) + "\n" for line in lines)
        (old / "scores" / "tiny" / f"{system}.jsonl").write_text(text, encoding="utf-8")
    assert _errors(results_json_schema(), manifest) == []
    assert [m.decimals for m in read_manifest(old).metrics] == [2, 2]  # the defaults
    rows = {row.system: row for row in rebuild_leaderboard(old).rows}
    # By sacrebleu alone: the copy scores its ceiling; "mine" failed on b (an empty text).
    refs = [a["text"] for a in ARTICLES]
    assert rows["identity"].scores["bleu"].score == BLEU().corpus_score(refs, [refs]).score
    hyps = [PARAPHRASE, ""]
    assert rows["mine"].scores["bleu"].score == BLEU().corpus_score(hyps, [refs]).score
    assert rows["mine"].failed == 1


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda m: m.update(extra=1), "unknown key 'extra'"),
        (lambda m: m.pop("run_id"), "missing key 'run_id'"),
        (lambda m: m.update(status="paused"), "'status': input should be 'running' or 'complete'"),
        (
            lambda m: m["datasets"][0].update(articles="2"),
            "'datasets[0].articles': input should be",
        ),
        (lambda m: m["metrics"][1].update(statistics="x"), "'metrics[1].statistics': input should"),
    ],
)
def test_a_bad_manifest_is_refused_by_both(run_dir: Path, edit: Any, says: str) -> None:
    """What the JSON Schema refuses, spinbench refuses too, naming the key."""
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    edit(manifest)
    assert _errors(results_json_schema(), manifest) != []
    with pytest.raises(ValueError) as caught:
        RunManifest.from_json(manifest)
    assert str(caught.value).startswith(says)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"status": "done"}, "'status': input should be 'ok' or 'failed'"),
        ({"id": 7}, "'id': input should be a valid string"),
        ({"scores": []}, "'scores': input should be a valid dictionary"),
        ({"note": "x"}, "unknown key 'note'"),
        (
            {"statistics": {"bleu": [1, True]}},
            "'statistics.bleu[1]': input should be a valid number",
        ),
        ({"statistics": {"bleu": ["2"]}}, "'statistics.bleu[0]': input should be a valid number"),
    ],
)
def test_a_bad_scores_line_is_refused_by_both(
    run_dir: Path, change: dict[str, Any], says: str
) -> None:
    line = {**_lines(run_dir / "scores" / "tiny" / "identity.jsonl")[0], **change}
    assert _errors(LINE_SCHEMA, line) != []
    with pytest.raises(ValueError) as caught:
        ArticleResult.from_json(line)
    assert str(caught.value) == says


def test_a_bad_manifest_in_a_run_folder_names_the_file_and_the_key(
    run_dir: Path, tmp_path: Path
) -> None:
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["seed"] = -0.5
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BenchError) as caught:
        read_manifest(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'manifest.json'}: unreadable run manifest: 'seed': "
        "input should be a valid integer"
    )
