"""Leaderboard tables: one row per system, one column per metric, in five formats.

Each dataset gets its own table. Rows are sorted by the first metric (in its
better direction); reference rows (``identity``) come last, marked, and are
never marked best: they show the ceiling, they do not compete.

Text and Markdown are compact by default, so that a terminal or a pull-request
comment can show them: the first metric (the headline) with its interval, one
column per other metric that has a better direction, and the failures; the
article count moves to the title line. ``columns="all"`` gives every column;
CSV, JSON and LaTeX always have every column.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.results.schema import SCHEMA_VERSION, MetricInfo
from bench.stats import Comparison, Interval
from bench.tables import format_table
from metrics import Direction, Score

REFERENCE_MARK = "†"
COLUMN_SETS = ("compact", "all")
"""``compact``: headline, one column per directed metric, failures; ``all``: every column."""
WIDTH = 120
"""Longest line of the text format's notes and signatures, which are wrapped to fit."""


@dataclass(frozen=True)
class Row:
    """One system's line on one dataset's table: its scores over the whole dataset.

    ``reference`` marks a system that copies its input (``identity``): shown as the
    ceiling, never ranked nor marked best. ``failed`` counts the articles the system
    gave no paraphrase for (they are scored as empty paraphrases).
    """

    dataset: str
    system: str
    reference: bool
    articles: int
    failed: int
    scores: dict[str, Score]
    intervals: dict[str, Interval] = field(default_factory=dict)
    """Metric key -> 95% bootstrap interval of the score."""
    clusters: dict[str, str] = field(default_factory=dict)
    """Metric key -> rank cluster ("1", "2-3"); contestants only."""


@dataclass(frozen=True)
class Leaderboard:
    """Every row of a run or a ``bench score`` call, with what the tables need around them.

    The first of ``metrics`` is the headline: tables are sorted by it, and its rank
    clusters fill the rank column. ``notes`` are printed under the tables as they are.
    """

    metrics: list[MetricInfo]
    rows: list[Row]
    run_id: str | None = None
    notes: list[str] = field(default_factory=list)
    comparisons: dict[str, list[Comparison]] = field(default_factory=dict)
    """Dataset -> every pairwise test of that dataset."""
    uncertainty: str | None = None
    """Signature of the resampling (test, resamples, seed, alpha), when there is any."""

    def datasets(self) -> list[str]:
        """The datasets, in the order their first row came: one table each."""
        return list(dict.fromkeys(r.dataset for r in self.rows))

    def table(self, dataset: str) -> list[Row]:
        """One dataset's rows as printed: contestants best first on the headline metric
        (ties by name), then the reference rows."""
        rows = [r for r in self.rows if r.dataset == dataset]
        if not self.metrics:
            return rows
        first = self.metrics[0]
        sign = -1.0 if first.direction == Direction.HIGHER else 1.0
        return sorted(rows, key=lambda r: (r.reference, sign * r.scores[first.key].score, r.system))

    def best(self, dataset: str, key: str) -> set[str]:
        """Contestants with the best value of ``key`` (ties share it); empty with fewer than two."""
        direction = Direction(next(m.direction for m in self.metrics if m.key == key))
        if direction is Direction.NEUTRAL:
            return set()
        decimals = next(m.decimals for m in self.metrics if m.key == key)
        values = {
            r.system: round(r.scores[key].score, decimals)
            for r in self.rows
            if r.dataset == dataset and not r.reference
        }
        if len(values) < 2:
            return set()
        top = max(values.values()) if direction is Direction.HIGHER else min(values.values())
        return {s for s, v in values.items() if v == top}

    @property
    def has_reference_rows(self) -> bool:
        """Whether any table has a reference row, so the footnote explains the mark."""
        return any(r.reference for r in self.rows)

    def header(self, metric: MetricInfo) -> str:
        """A metric's column title in the full table: the score's own name ("BLEU",
        "chrF2") with the arrow of its better direction; the key if no row has it."""
        for row in self.rows:
            if metric.key in row.scores:
                return f"{row.scores[metric.key].name} {Direction(metric.direction).arrow}"
        return metric.key


def _label(row: Row) -> str:
    """The system's name, with the reference mark on a reference row."""
    return f"{row.system} {REFERENCE_MARK}" if row.reference else row.system


def _shown(board: Leaderboard, columns: str) -> list[MetricInfo]:
    """The metrics that get a column: all of them, or the headline and every directed one.

    Neutral metrics (PINC, edit distance) describe how much a system rewrites,
    which is neither good nor bad, so the compact table leaves them to ``all``.
    """
    if columns == "all":
        return list(board.metrics)
    return [
        m
        for n, m in enumerate(board.metrics)
        if n == 0 or Direction(m.direction) is not Direction.NEUTRAL
    ]


def _article_counts(board: Leaderboard, dataset: str) -> list[int]:
    return sorted({r.articles for r in board.rows if r.dataset == dataset})


def _title(board: Leaderboard, dataset: str) -> str:
    """The dataset with its article count ("news, 32 articles"), or their range if rows differ."""
    counts = _article_counts(board, dataset)
    if not counts:
        return dataset
    span = str(counts[0]) if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
    return f"{dataset}, {span} article{'' if span == '1' else 's'}"


def _grid(
    board: Leaderboard, dataset: str, mark: Callable[[str, bool], str], columns: str = "all"
) -> list[list[str]]:
    """Header plus one list of cells per row; ``mark(cell, is_best)`` decorates best cells.

    In the compact set, a metric's column is headed by its key (the name given
    to ``--metric``), only the headline shows its interval, and the articles
    column is left out when every row has the same count (the title says it).
    """
    compact = columns == "compact"
    shown = _shown(board, columns)
    headline = board.metrics[0].key if board.metrics else None
    ranked = headline is not None and any(
        headline in r.clusters for r in board.rows if r.dataset == dataset
    )
    articles = not compact or len(_article_counts(board, dataset)) > 1
    head = ["system", *(["rank"] if ranked else [])]
    for m in shown:
        if compact:
            head.append(f"{m.key} {Direction(m.direction).arrow}")
        else:
            head += [board.header(m), *(header for _, header in m.extra_columns)]
    head += [*(["articles"] if articles else []), "failed"]
    lines = [head]
    best = {m.key: board.best(dataset, m.key) for m in shown}
    for row in board.table(dataset):
        cells = [_label(row)]
        if ranked and headline is not None:
            cells.append(row.clusters.get(headline, "-"))
        for m in shown:
            score = row.scores[m.key]
            is_best = row.system in best[m.key] and not row.reference
            text = f"{score.score:.{m.decimals}f}"
            interval = row.intervals.get(m.key)
            if interval is not None and (not compact or m.key == headline):
                text += f" ±{interval.half_width:.{m.decimals}f}"
            cells.append(mark(text, is_best))
            if not compact:
                cells += [_cell(score.details.get(key), m.decimals) for key, _ in m.extra_columns]
        cells += [*([str(row.articles)] if articles else []), str(row.failed)]
        lines.append(cells)
    return lines


def _cell(value: Any, decimals: int) -> str:
    """A detail column's cell: counts as they are, fractions to the metric's decimals,
    "-" for a value that is missing or not a number."""
    if isinstance(value, bool) or value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{decimals}f}"
    return str(value)


def _signatures(board: Leaderboard) -> list[str]:
    """One "name: signature" line per metric, and the resampling's, printed under the
    tables so that anyone can tell which settings produced the numbers."""
    lines = [f"{board.header(m).rsplit(' ', 1)[0]}: {m.signature}" for m in board.metrics]
    if board.uncertainty:
        lines.append(f"Uncertainty: {board.uncertainty}")
    return lines


def _footnote(board: Leaderboard, best_style: str, columns: str = "all") -> str:
    """The sentence under the tables that explains their marks (only those that appear):
    the reference mark, how the best cell is shown, the ± and rank columns, and that
    ``--columns all`` shows what the compact table leaves out."""
    notes = []
    if board.has_reference_rows:
        notes.append(
            f"{REFERENCE_MARK} reference row (copies its input: the ceiling, not a contestant)"
        )
    if any(board.best(d, m.key) for d in board.datasets() for m in board.metrics):
        notes.append(f"best of two or more contestants per column {best_style}")
    if board.uncertainty:
        notes.append(
            "± half the 95% paired-bootstrap interval; rank: cluster of contestants that are "
            "not significantly different on the first metric (Holm-corrected)"
        )
    if _hides_columns(board, columns):
        notes.append("--columns all shows every column")
    return "; ".join(notes)


def _hides_columns(board: Leaderboard, columns: str) -> bool:
    """Whether the compact table leaves out a metric, a detail column or an interval."""
    if columns == "all" or not board.metrics:
        return False
    headline = board.metrics[0].key
    return (
        len(_shown(board, columns)) < len(board.metrics)
        or any(m.extra_columns for m in board.metrics)
        or any(key != headline for r in board.rows for key in r.intervals)
    )


def _wrap_signature(line: str, width: int = WIDTH) -> list[str]:
    """A long signature broken after its ``|`` separators, continued on indented lines."""
    if len(line) <= width:
        return [line]
    pieces = [part + "|" for part in line.split("|")]
    pieces[-1] = pieces[-1][:-1]
    out = [""]
    for piece in pieces:
        if out[-1] and len(out[-1]) + len(piece) > width:
            out.append("    ")
        out[-1] += piece
    return out


def render_text(board: Leaderboard, columns: str = "compact") -> str:
    """Plain-text tables for a terminal: columns aligned with spaces, best cells marked
    ``*``, then the footnote and the signatures wrapped to ``WIDTH``."""
    out: list[str] = []
    for dataset in board.datasets():
        grid = _grid(board, dataset, lambda cell, best: f"{cell}*" if best else cell, columns)
        out.append(f"Dataset: {_title(board, dataset)}")
        out += format_table(grid[0], grid[1:], "text")
        out.append("")
    out += textwrap.wrap(_footnote(board, "marked *", columns), WIDTH, break_on_hyphens=False)
    out += [part for line in _signatures(board) for part in _wrap_signature(line)]
    out += board.notes
    return "\n".join(out) + "\n"


def render_markdown(board: Leaderboard, columns: str = "compact") -> str:
    """Markdown tables for a README or a pull-request comment: one ``##`` section per
    dataset, best cells in bold, the signatures as a list at the end."""
    out: list[str] = []
    if board.run_id:
        out += [f"# Leaderboard: run `{board.run_id}`", ""]
    for dataset in board.datasets():
        grid = _grid(board, dataset, lambda cell, best: f"**{cell}**" if best else cell, columns)
        out += [f"## {_title(board, dataset)}", ""]
        out += format_table(grid[0], grid[1:], "markdown")
        out.append("")
    out += textwrap.wrap(_footnote(board, "in **bold**", columns), WIDTH, break_on_hyphens=False)
    out.append("")
    out += ["Signatures:", ""]
    out += [f"- `{line}`" for line in _signatures(board)]
    out += [f"- {note}" for note in board.notes]
    return "\n".join(out) + "\n"


def render_csv(board: Leaderboard) -> str:
    """Every column for spreadsheets and scripts: one line per row of every dataset, full
    precision scores, each metric's detail columns, interval ends, rank cluster, signature."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "dataset",
            "system",
            "reference",
            "articles",
            "failed",
            *(m.key for m in board.metrics),
            *(f"{m.key}_{detail}" for m in board.metrics for detail, _ in m.extra_columns),
            *(f"{m.key}_{part}" for m in board.metrics for part in ("low", "high", "cluster")),
            *(f"{m.key}_signature" for m in board.metrics),
        ]
    )
    for dataset in board.datasets():
        for row in board.table(dataset):
            writer.writerow(
                [
                    row.dataset,
                    row.system,
                    str(row.reference).lower(),
                    row.articles,
                    row.failed,
                    *(repr(row.scores[m.key].score) for m in board.metrics),
                    *(
                        row.scores[m.key].details.get(detail)
                        for m in board.metrics
                        for detail, _ in m.extra_columns
                    ),
                    *(value for m in board.metrics for value in _interval_cells(row, m.key)),
                    *(m.signature for m in board.metrics),
                ]
            )
    return buffer.getvalue()


def _interval_cells(row: Row, key: str) -> tuple[Any, Any, Any]:
    interval = row.intervals.get(key)
    low, high = (interval.low, interval.high) if interval else (None, None)
    return low, high, row.clusters.get(key)


def to_json(board: Leaderboard) -> dict[str, Any]:
    """The leaderboard as plain data (``leaderboard.json``; docs/results-schema.md has its
    keys): every row with its full scores, intervals and clusters, and every paired test."""
    return {
        "schema_version": SCHEMA_VERSION,
        "run_id": board.run_id,
        "metrics": [m.__dict__ for m in board.metrics],
        "uncertainty": board.uncertainty,
        "rows": [
            {
                "dataset": row.dataset,
                "system": row.system,
                "reference": row.reference,
                "articles": row.articles,
                "failed": row.failed,
                "scores": {k: s.to_json() for k, s in row.scores.items()},
                "intervals": {k: [i.low, i.high] for k, i in row.intervals.items()},
                "clusters": dict(row.clusters),
            }
            for dataset in board.datasets()
            for row in board.table(dataset)
        ],
        "comparisons": {
            dataset: [c.to_json() for c in tests] for dataset, tests in board.comparisons.items()
        },
    }


def render_json(board: Leaderboard) -> str:
    """``to_json`` as indented JSON text, non-ASCII characters kept as they are."""
    return json.dumps(to_json(board), indent=2, ensure_ascii=False) + "\n"


_LATEX_SPECIALS = {c: "\\" + c for c in "&%$#_{}"} | {
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
    REFERENCE_MARK: r"$^\dagger$",
    "↑": r"$\uparrow$",
    "↓": r"$\downarrow$",
}


def latex_escape(text: str) -> str:
    """``text`` with LaTeX's special characters escaped and the arrows and reference mark
    written as math symbols, so a cell typesets as it reads."""
    return "".join(_LATEX_SPECIALS.get(c, c) for c in text)


def render_latex(board: Leaderboard) -> str:
    """One booktabs ``table`` per dataset for a paper, every column, best cells in bold,
    the footnote as the caption and the signatures as LaTeX comments."""
    out: list[str] = [r"% needs \usepackage{booktabs}"]
    for dataset in board.datasets():
        grid = _grid(board, dataset, lambda cell, best: f"\x00{cell}" if best else cell)
        cols = "l" + "r" * (len(grid[0]) - 1)
        out += [r"\begin{table}[t]", r"\centering", rf"\begin{{tabular}}{{{cols}}}", r"\toprule"]
        for n, cells in enumerate(grid):
            rendered = [
                rf"\textbf{{{latex_escape(c[1:])}}}" if c.startswith("\x00") else latex_escape(c)
                for c in cells
            ]
            out.append(" & ".join(rendered) + r" \\")
            if n == 0:
                out.append(r"\midrule")
        out += [
            r"\bottomrule",
            r"\end{tabular}",
            rf"\caption{{{latex_escape(dataset)}. {latex_escape(_footnote(board, 'in bold'))}.}}",
            r"\end{table}",
            "",
        ]
    out += [f"% {line}" for line in _signatures(board)]
    return "\n".join(out) + "\n"


RENDERERS: dict[str, Callable[[Leaderboard], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "csv": render_csv,
    "json": render_json,
    "latex": render_latex,
}

FILE_NAMES = {
    "markdown": "leaderboard.md",
    "csv": "leaderboard.csv",
    "json": "leaderboard.json",
    "latex": "leaderboard.tex",
    "text": "leaderboard.txt",
}


def render(board: Leaderboard, fmt: str, columns: str = "compact") -> str:
    """The leaderboard in one format; ``columns`` ("compact", "all") applies to text, Markdown."""
    if columns not in COLUMN_SETS:
        raise ValueError(f"columns must be one of {', '.join(COLUMN_SETS)}, not {columns!r}")
    if fmt == "text":
        return render_text(board, columns)
    if fmt == "markdown":
        return render_markdown(board, columns)
    return RENDERERS[fmt](board)
