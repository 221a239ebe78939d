"""Leaderboard tables built from hand-made scores: order, best marks, references, five formats.

Every expected value here is written out by hand from the scores the test
puts in, so the renderers are checked against numbers, not against themselves.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from bench.leaderboard import Leaderboard, Row, render, to_json
from bench.results.schema import SCHEMA_VERSION, MetricInfo
from bench.stats import Interval
from metrics.base import Direction, Score

BLEU = MetricInfo(
    key="bleu",
    name="bleu",
    signature="sig-bleu|version:x",
    direction="higher",
    options={},
    statistics=["hyp_len", "ref_len"],
)
TER = MetricInfo(
    key="ter",
    name="ter",
    signature="sig-ter|version:x",
    direction="lower",
    options={},
    statistics=["edits", "ref_words"],
)


def _score(info: MetricInfo, value: float) -> Score:
    label = {"bleu": "BLEU", "ter": "TER"}[info.key]
    return Score(
        metric=info.name,
        name=label,
        score=value,
        signature=info.signature,
        direction=Direction(info.direction),
        formatted=f"{label} = {value:.2f}",
    )


def _row(
    system: str,
    bleu: float,
    ter: float,
    *,
    reference: bool = False,
    dataset: str = "news",
    failed: int = 0,
) -> Row:
    return Row(
        dataset=dataset,
        system=system,
        reference=reference,
        articles=10,
        failed=failed,
        scores={"bleu": _score(BLEU, bleu), "ter": _score(TER, ter)},
    )


def _rows() -> list[Row]:
    # Reference row first on purpose: it must still end up last, and never best,
    # although it beats everyone on both metrics.
    return [
        _row("identity", 100.0, 0.0, reference=True),
        _row("alpha", 30.0, 60.0),
        _row("beta", 40.0, 55.0, failed=2),
        _row("gamma", 20.0, 50.0),
    ]


def _board(metrics: list[MetricInfo] | None = None, rows: list[Row] | None = None) -> Leaderboard:
    return Leaderboard(
        metrics if metrics is not None else [BLEU, TER],
        rows if rows is not None else _rows(),
        run_id="run-1",
    )


def _markdown_rows(text: str) -> dict[str, list[str]]:
    """System label -> cells of a markdown table (header and rule excluded)."""
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith("| system "):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return rows


def _text_rows(text: str) -> dict[str, list[str]]:
    """System label -> cells of the plain-text table (columns are 2+ spaces apart)."""
    rows: dict[str, list[str]] = {}
    in_table = False
    for line in text.splitlines():
        if line.startswith("-"):
            in_table = True
            continue
        if not line.strip():
            in_table = False
            continue
        if in_table:
            cells = re.split(r"\s{2,}", line.strip())
            rows[cells[0]] = cells[1:]
    return rows


def _latex_rows(text: str) -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    body = text.split(r"\midrule")[1].split(r"\bottomrule")[0]
    for line in body.strip().splitlines():
        cells = [c.strip() for c in line.removesuffix(r"\\").strip().split(" & ")]
        rows[cells[0]] = cells[1:]
    return rows


def test_rows_ordered_by_first_metric_higher_is_better_reference_last() -> None:
    board = _board()
    assert [r.system for r in board.table("news")] == ["beta", "alpha", "gamma", "identity"]


def test_rows_ordered_by_first_metric_lower_is_better_reference_last() -> None:
    board = _board([TER, BLEU])
    # TER: gamma 50 < beta 55 < alpha 60; identity (0.0) is a reference and comes last.
    assert [r.system for r in board.table("news")] == ["gamma", "beta", "alpha", "identity"]


def test_best_per_metric_follows_direction_and_skips_references() -> None:
    board = _board()
    assert board.best("news", "bleu") == {"beta"}
    assert board.best("news", "ter") == {"gamma"}


def test_markdown_marks_best_in_bold_and_never_the_reference() -> None:
    text = render(_board(), "markdown")
    rows = _markdown_rows(text)
    # Compact: every row has 10 articles, so the count is in the title, not a column.
    assert rows == {
        "beta": ["**40.00**", "55.00", "2"],
        "alpha": ["30.00", "60.00", "0"],
        "gamma": ["20.00", "**50.00**", "0"],
        "identity †": ["100.00", "0.00", "0"],
    }
    assert "| system | bleu ↑ | ter ↓ | failed |" in text
    assert "## news, 10 articles" in text.splitlines()
    assert "# Leaderboard: run `run-1`" in text
    assert "- `BLEU: sig-bleu|version:x`" in text
    assert "- `TER: sig-ter|version:x`" in text
    # Table order is the ranking.
    labels = list(rows)
    assert labels == ["beta", "alpha", "gamma", "identity †"]


def test_text_marks_best_with_a_star() -> None:
    text = render(_board(), "text")
    rows = _text_rows(text)
    assert rows == {
        "beta": ["40.00*", "55.00", "2"],
        "alpha": ["30.00", "60.00", "0"],
        "gamma": ["20.00", "50.00*", "0"],
        "identity †": ["100.00", "0.00", "0"],
    }
    assert list(rows) == ["beta", "alpha", "gamma", "identity †"]
    # Widths: "identity †" (10), "bleu ↑"/"100.00" (6), "50.00*" (6), "failed" (6).
    assert text.splitlines()[:2] == [
        "Dataset: news, 10 articles",
        "system      bleu ↑   ter ↓  failed",
    ]
    assert "BLEU: sig-bleu|version:x" in text.splitlines()


def test_latex_marks_best_with_textbf() -> None:
    text = render(_board(), "latex")
    rows = _latex_rows(text)
    assert rows == {
        "beta": [r"\textbf{40.00}", "55.00", "10", "2"],
        "alpha": ["30.00", "60.00", "10", "0"],
        "gamma": ["20.00", r"\textbf{50.00}", "10", "0"],
        r"identity $^\dagger$": ["100.00", "0.00", "10", "0"],
    }
    assert r"system & BLEU $\uparrow$ & TER $\downarrow$ & articles & failed \\" in text
    assert r"\begin{tabular}{lrrrr}" in text
    assert text.count(r"\textbf{") == 2


def test_ties_are_all_marked_best() -> None:
    rows = [
        _row("one", 33.33, 40.0),
        _row("two", 33.33, 40.0),
        # 33.334 shows as 33.33 too: equal as printed, so equally best.
        _row("three", 33.334, 45.0),
        _row("four", 10.0, 90.0),
        _row("identity", 100.0, 0.0, reference=True),
    ]
    board = _board(rows=rows)
    assert board.best("news", "bleu") == {"one", "two", "three"}
    assert board.best("news", "ter") == {"one", "two"}

    md = _markdown_rows(render(board, "markdown"))
    assert [md[s][0] for s in ("one", "two", "three", "four")] == [
        "**33.33**",
        "**33.33**",
        "**33.33**",
        "10.00",
    ]
    assert [md[s][1] for s in ("one", "two", "three", "four")] == [
        "**40.00**",
        "**40.00**",
        "45.00",
        "90.00",
    ]
    assert md["identity †"][:2] == ["100.00", "0.00"]

    txt = _text_rows(render(board, "text"))
    assert [txt[s][0] for s in ("one", "two", "three", "four")] == [
        "33.33*",
        "33.33*",
        "33.33*",
        "10.00",
    ]
    assert [txt[s][1] for s in ("one", "two", "three", "four")] == [
        "40.00*",
        "40.00*",
        "45.00",
        "90.00",
    ]

    tex = _latex_rows(render(board, "latex"))
    assert [tex[s][0] for s in ("one", "two", "three", "four")] == [
        r"\textbf{33.33}",
        r"\textbf{33.33}",
        r"\textbf{33.33}",
        "10.00",
    ]
    # The highest unrounded score ranks first; exact ties are ordered by name.
    assert [r.system for r in board.table("news")] == ["three", "one", "two", "four", "identity"]


def test_reference_rows_are_last_and_never_best() -> None:
    rows = [
        _row("identity", 100.0, 0.0, reference=True),
        _row("copy", 100.0, 0.0, reference=True),
        _row("first", 12.5, 70.0),
        _row("second", 11.0, 75.0),
    ]
    board = _board(rows=rows)
    assert [r.system for r in board.table("news")] == ["first", "second", "copy", "identity"]
    assert board.best("news", "bleu") == {"first"}
    assert board.best("news", "ter") == {"first"}
    md = _markdown_rows(render(board, "markdown"))
    assert md["copy †"][:2] == ["100.00", "0.00"]
    assert md["identity †"][:2] == ["100.00", "0.00"]
    assert md["first"][:2] == ["**12.50**", "**70.00**"]
    assert md["second"][:2] == ["11.00", "75.00"]


def test_a_lone_contestant_and_reference_only_tables_mark_nothing() -> None:
    """best() is documented as empty with fewer than two contestants: nothing to beat."""
    rows = [
        _row("identity", 100.0, 0.0, reference=True),
        _row("copy", 100.0, 0.0, reference=True),
        _row("only", 12.5, 70.0),
    ]
    for board in (_board(rows=rows), _board(rows=rows[:2])):
        assert board.best("news", "bleu") == set()
        assert board.best("news", "ter") == set()
        table_lines = [
            line for line in render(board, "markdown").splitlines() if line.startswith("| ")
        ]
        assert "**" not in "".join(table_lines)
        assert r"\textbf" not in render(board, "latex")
    assert [r.system for r in _board(rows=rows).table("news")] == ["only", "copy", "identity"]


def test_each_dataset_gets_its_own_table_and_its_own_best() -> None:
    rows = [
        *_rows(),
        _row("alpha", 70.0, 20.0, dataset="coalition"),
        _row("beta", 10.0, 80.0, dataset="coalition"),
    ]
    board = _board(rows=rows)
    assert board.datasets() == ["news", "coalition"]
    assert board.best("coalition", "bleu") == {"alpha"}
    assert board.best("news", "bleu") == {"beta"}
    text = render(board, "markdown")
    news, coalition = text.split("## news")[1].split("## coalition")
    assert _markdown_rows(coalition)["alpha"][:2] == ["**70.00**", "**20.00**"]
    assert _markdown_rows(coalition)["beta"][:2] == ["10.00", "80.00"]
    assert _markdown_rows(news)["beta"][0] == "**40.00**"


def test_latex_escapes_special_characters_in_system_names() -> None:
    rows = [
        _row("my_sys & co 100%", 50.0, 30.0),
        _row("plain", 40.0, 40.0),
        _row("id_ref", 100.0, 0.0, reference=True),
    ]
    text = render(_board(rows=rows, metrics=[BLEU, TER]), "latex")
    table = _latex_rows(text)
    assert table[r"my\_sys \& co 100\%"] == [r"\textbf{50.00}", r"\textbf{30.00}", "10", "0"]
    assert table[r"id\_ref $^\dagger$"] == ["100.00", "0.00", "10", "0"]
    # The raw name never reaches the table body unescaped.
    body = text.split(r"\midrule")[1].split(r"\bottomrule")[0]
    assert "my_sys" not in body
    assert "& co" not in body.replace(r"\& co", "")
    assert re.search(r"(?<!\\)%", body) is None


def test_csv_round_trips_through_csv_reader() -> None:
    rows = [
        _row('comma, "quoted" sys', 41.123456789, 52.5),
        _row("plain", 40.0, 40.0, failed=3),
        _row("identity", 100.0, 0.0, reference=True),
    ]
    text = render(_board(rows=rows), "csv")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == [
        "dataset",
        "system",
        "reference",
        "articles",
        "failed",
        "bleu",
        "ter",
        "bleu_low",
        "bleu_high",
        "bleu_cluster",
        "ter_low",
        "ter_high",
        "ter_cluster",
        "bleu_signature",
        "ter_signature",
    ]
    assert parsed[1:] == [
        [
            "news",
            'comma, "quoted" sys',
            "false",
            "10",
            "0",
            "41.123456789",
            "52.5",
            *[""] * 6,  # no resampling: no intervals, no clusters
            "sig-bleu|version:x",
            "sig-ter|version:x",
        ],
        [
            "news",
            "plain",
            "false",
            "10",
            "3",
            "40.0",
            "40.0",
            *[""] * 6,  # no resampling: no intervals, no clusters
            "sig-bleu|version:x",
            "sig-ter|version:x",
        ],
        [
            "news",
            "identity",
            "true",
            "10",
            "0",
            "100.0",
            "0.0",
            *[""] * 6,  # no resampling: no intervals, no clusters
            "sig-bleu|version:x",
            "sig-ter|version:x",
        ],
    ]
    # Full precision: the float comes back exactly.
    assert float(parsed[1][5]) == 41.123456789


def test_json_has_schema_version_rows_in_table_order_and_exact_scores() -> None:
    board = _board()
    data = json.loads(render(board, "json"))
    assert data == to_json(board)
    assert data["schema_version"] == SCHEMA_VERSION == "1.1"
    assert data["run_id"] == "run-1"
    assert [m["key"] for m in data["metrics"]] == ["bleu", "ter"]
    assert data["metrics"][1]["direction"] == "lower"
    assert [(r["system"], r["reference"], r["failed"]) for r in data["rows"]] == [
        ("beta", False, 2),
        ("alpha", False, 0),
        ("gamma", False, 0),
        ("identity", True, 0),
    ]
    beta = data["rows"][0]["scores"]
    assert beta["bleu"] == {
        "metric": "bleu",
        "name": "BLEU",
        "score": 40.0,
        "signature": "sig-bleu|version:x",
        "direction": "higher",
        "formatted": "BLEU = 40.00",
        "details": {},
    }
    assert beta["ter"]["score"] == 55.0
    assert beta["ter"]["direction"] == "lower"


# --- compact and full column sets ----------------------------------------------------------

RANK = MetricInfo(
    key="ranking",
    name="ranking",
    signature="sig-rank",
    direction="higher",
    options={},
    statistics=[],
    decimals=3,
    extra_columns=[["fidelity", "fidelity"]],
)
ENTITIES = MetricInfo(
    key="entities",
    name="entities",
    signature="sig-ent",
    direction="higher",
    options={},
    statistics=[],
    decimals=3,
    extra_columns=[["recall", "Ent R"], ["dropped", "Ent dropped"]],
)
MEANING = MetricInfo(
    key="meaning",
    name="meaning",
    signature="sig-meaning",
    direction="higher",
    options={},
    statistics=[],
    decimals=3,
)
PINC = MetricInfo(
    key="pinc",
    name="pinc",
    signature="sig-pinc",
    direction="neutral",
    options={},
    statistics=[],
)
LABELS = {"ranking": "Ranking", "entities": "Entity F1", "meaning": "Meaning", "pinc": "PINC"}


def _scored(info: MetricInfo, value: float, **details: object) -> Score:
    return Score(
        metric=info.name,
        name=LABELS[info.key],
        score=value,
        signature=info.signature,
        direction=Direction(info.direction),
        formatted=f"{value}",
        details=details,
    )


def _family_row(system: str, values: tuple[float, float, float, float], articles: int = 8) -> Row:
    """A row: a headline, an entity family, a meaning score and a neutral PINC, with intervals."""
    rank, ent, meaning, pinc = values
    return Row(
        dataset="news",
        system=system,
        reference=False,
        articles=articles,
        failed=1,
        scores={
            "ranking": _scored(RANK, rank, fidelity=0.5),
            "entities": _scored(ENTITIES, ent, recall=0.75, dropped=3),
            "meaning": _scored(MEANING, meaning),
            "pinc": _scored(PINC, pinc),
        },
        intervals={
            "ranking": Interval(rank - 0.01, rank + 0.01),
            "entities": Interval(ent - 0.1, ent + 0.1),
            "pinc": Interval(pinc - 2, pinc + 2),
        },
        clusters={"ranking": "1-2"},
    )


def _family_board(articles: tuple[int, int] = (8, 8)) -> Leaderboard:
    return Leaderboard(
        [RANK, ENTITIES, MEANING, PINC],
        [
            _family_row("one", (0.9, 0.8, 0.7, 40.0), articles[0]),
            _family_row("two", (0.6, 0.95, 0.5, 60.0), articles[1]),
        ],
    )


def test_compact_table_has_the_headline_interval_and_one_column_per_directed_metric() -> None:
    text = render(_family_board(), "text")
    rows = _text_rows(text)
    # Headline with its interval; entities and meaning (a metric the table was not written
    # for) get a column each, without interval or detail columns; neutral PINC is left out.
    assert rows == {
        "one": ["1-2", "0.900 ±0.010*", "0.800", "0.700*", "1"],
        "two": ["1-2", "0.600 ±0.010", "0.950*", "0.500", "1"],
    }
    assert text.splitlines()[0] == "Dataset: news, 8 articles"
    assert text.splitlines()[1].split() == [
        "system", "rank", "ranking", "↑", "entities", "↑", "meaning", "↑", "failed",
    ]  # fmt: skip
    assert "--columns all shows every column" in text
    # Every signature is still listed, the hidden metric's too.
    assert "PINC: sig-pinc" in text.splitlines()
    md = _markdown_rows(render(_family_board(), "markdown"))
    assert md["one"] == ["1-2", "**0.900 ±0.010**", "0.800", "**0.700**", "1"]


def test_all_columns_is_the_full_table() -> None:
    text = render(_family_board(), "text", columns="all")
    rows = _text_rows(text)
    assert rows == {
        "one": ["1-2", "0.900 ±0.010*", "0.500", "0.800 ±0.100", "0.750", "3", "0.700*",
                "40.00 ±2.00", "8", "1"],
        "two": ["1-2", "0.600 ±0.010", "0.500", "0.950 ±0.100*", "0.750", "3", "0.500",
                "60.00 ±2.00", "8", "1"],
    }  # fmt: skip
    header = (
        "| system | rank | Ranking ↑ | fidelity | Entity F1 ↑ | Ent R | Ent dropped | Meaning ↑"
        " | PINC · | articles | failed |"
    )
    assert header in render(_family_board(), "markdown", columns="all").splitlines()
    assert "--columns all" not in text
    # CSV and JSON ignore the column set: they always hold everything.
    assert render(_family_board(), "csv", columns="compact") == render(_family_board(), "csv")
    with pytest.raises(ValueError, match="compact, all"):
        render(_family_board(), "text", columns="some")


def test_compact_keeps_the_articles_column_when_rows_differ() -> None:
    text = render(_family_board(articles=(8, 7)), "text")
    assert text.splitlines()[0] == "Dataset: news, 7-8 articles"
    assert _text_rows(text)["two"][-2:] == ["7", "1"]
    assert _text_rows(text)["one"][-2:] == ["8", "1"]


def test_long_signatures_wrap_at_their_separators_within_120_columns() -> None:
    parts = [f"part{n}:{'x' * 20}" for n in range(12)]
    long_metric = MetricInfo(
        key="bleu",
        name="bleu",
        signature="|".join(parts),
        direction="higher",
        options={},
        statistics=[],
    )
    rows = [
        Row("news", name, False, 3, 0, {"bleu": _score(long_metric, value)})
        for name, value in (("a", 1.0), ("b", 2.0))
    ]
    lines = render(Leaderboard([long_metric], rows), "text").splitlines()
    assert max(len(line) for line in lines) <= 120
    start = lines.index(next(line for line in lines if line.startswith("BLEU: ")))
    wrapped = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("    "):
            break
        wrapped.append(line)
    # 12 parts of 26 characters: more than 120 in all, so at least two lines, each one
    # ending on a separator but the last; joined again, the signature is whole.
    assert len(wrapped) >= 2
    assert all(line.endswith("|") for line in wrapped[:-1])
    assert "".join(line.removeprefix("    ") for line in wrapped) == "BLEU: " + "|".join(parts)
