"""Hostile input that the reader tests do not already cover: sizes, odd ids, torn files.

(Malformed lines, non-UTF-8, BOM, CRLF, NUL bytes, empty files and articles, wrong types,
duplicate and missing ids, manifests pointing outside their folder and unknown config keys
are in test_data.py, test_config.py and test_cli.py.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.cli import app
from metrics import Artefacts, Entities, Quantities
from metrics.facts.extract import FactExtractor
from metrics.facts.spacy_ner import rule_ner


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_jsonl_file_cut_mid_line_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "torn.jsonl"
    path.write_text('{"id": "a", "text": "One."}\n{"id": "b", "te', encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"error: {path}:2: malformed JSON" in result.stderr


@pytest.mark.slow
def test_100000_tiny_articles(tmp_path: Path) -> None:
    rows = [{"id": f"t{i}", "text": f"Article {i} says the UK paid £{i}m."} for i in range(100_000)]
    path = _write(tmp_path / "tiny.jsonl", rows)
    validated = CliRunner().invoke(app, ["validate", str(path)])
    assert validated.exit_code == 0 and "100000 articles" in validated.stdout
    scored = CliRunner().invoke(app, ["score", "--ref", str(path), "--hyp", f"copy={path}",
                                      "-m", "bleu", "-f", "json"])  # fmt: skip
    assert scored.exit_code == 0, scored.stderr
    row = json.loads(scored.stdout)["rows"][0]
    assert row["articles"] == 100_000
    assert round(row["scores"]["bleu"]["score"], 6) == 100.0


def test_ids_with_path_separators_stay_data(tmp_path: Path) -> None:
    rows = [{"id": "../../escape", "text": "The UK signed a deal."},
            {"id": "a/b\\c", "text": "Keir Starmer met officials."}]  # fmt: skip
    (tmp_path / "data").mkdir()
    articles = _write(tmp_path / "data" / "odd.jsonl", rows)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", "-d", str(articles), "-s", "identity", "-m", "bleu",
                                      "-o", str(out), "--bootstrap", "0"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert all(p.startswith(("out/", "data/")) for p in written), written
    (scores,) = list(out.glob("*/scores/odd/identity.jsonl"))
    ids = [json.loads(x)["id"] for x in scores.read_text(encoding="utf-8").splitlines()]
    assert ids == ["../../escape", "a/b\\c"]


@pytest.mark.slow
def test_an_article_over_spacys_length_limit_is_read_in_pieces() -> None:
    extractor = FactExtractor(rule_ner({"PERSON": ["Keir Starmer"], "GPE": ["UK"]}))
    article = "Keir Starmer said the UK paid £5m. " * 45_000  # 1.6 million characters
    assert len(article) > 1_000_000
    entities = Entities(extractor=extractor)
    facts = entities.prepare_reference(article)
    assert {f.text: f.mentions for f in facts.entities} == {"Keir Starmer": 45_000, "UK": 45_000}
    assert entities.score_from_statistics(entities.statistics(article, facts)).score == 1.0
    quantities = Quantities(extractor=extractor)
    assert quantities.corpus_score([article], [article]).score == 1.0
    assert Artefacts().corpus_score([article + "{that a}"], [article]).details["count"] == 1


def test_control_characters_and_zero_width_text(tmp_path: Path) -> None:
    text = "Keir\u200b Starmer\x07 met\x1b officials in the UK\u202e on Tuesday."
    path = _write(tmp_path / "odd.jsonl", [{"id": "x", "text": text}])
    result = CliRunner().invoke(app, ["score", "--ref", str(path), "--hyp", f"s={path}",
                                      "-m", "bleu", "-m", "artefacts", "-f", "json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)["systems"]["s"]
    assert scores["artefacts"]["score"] == 0.0
