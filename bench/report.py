"""``bench report``: one self-contained HTML file per run, readable offline.

It holds the sortable leaderboard (scores with 95% intervals, rank clusters),
a chart of each system's score with its interval, a fidelity-vs-divergence
scatter with the Pareto front, and, per system, its worst articles: clean and
spun text side by side with every entity and quantity coloured by status.
No script, style or font is loaded from anywhere; every piece of article and
system text is HTML-escaped, so an article containing ``<script>`` shows as
text.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any

from bench.config import RunConfig
from bench.data.dataset import load_dataset
from bench.errors import BenchError
from bench.leaderboard import REFERENCE_MARK, Leaderboard
from bench.results.read import read_manifest, read_scores, rebuild_leaderboard
from bench.results.schema import ArticleResult
from bench.results.store import Journal, write_atomic
from metrics import Direction
from metrics.text import normalise

STATUS_TITLES = {
    "preserved": "kept as written",
    "normalized": "kept, in another accepted form",
    "mangled": "a near miss of the original",
    "dropped": "missing from the paraphrase",
    "invented": "not supported by the clean article",
    "artefact": "spin or template leftover",
}

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;
max-width:1200px;padding:0 1.5rem 4rem;color:#1d2330;background:#fff}
h1{margin:1.5rem 0 .2rem}h2{margin-top:2.5rem;border-bottom:2px solid #e3e6ec}
code{background:#f3f4f7;padding:0 .25em;border-radius:3px}
table.leaderboard{border-collapse:collapse;margin:1rem 0;font-variant-numeric:tabular-nums}
.leaderboard th,.leaderboard td{padding:.3rem .6rem;border-bottom:1px solid #e3e6ec;
text-align:right;white-space:nowrap}
.leaderboard th:first-child,.leaderboard td:first-child{text-align:left}
.leaderboard th{cursor:pointer;background:#f6f7f9;position:sticky;top:0}
.leaderboard th[aria-sort]::after{content:" ↕";color:#99a}
.scroll{overflow-x:auto}
.leaderboard tr.reference td{color:#667;font-style:italic}
.ci{color:#778;font-size:.85em}.best{font-weight:700}
figure{margin:1rem 0}figcaption{color:#556;font-size:.9em}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin:.5rem 0 1.5rem}
.pair>div{white-space:pre-wrap;border:1px solid #e3e6ec;border-radius:6px;padding:.7rem;
font-size:.9em}
.preserved{background:#d9f2de}.normalized{background:#d7e7fb}.mangled{background:#ffe1b8}
.dropped{background:#ffd0d0;text-decoration:line-through}.invented{background:#eadcff}
.artefact{background:#333;color:#fff}
.legend span{padding:0 .4em;margin-right:.6em;border-radius:3px}
details{margin:.6rem 0}summary{cursor:pointer;font-weight:600}
.scorebox{color:#556;font-size:.9em}
"""

_JS = """
document.querySelectorAll('table.leaderboard').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, column) {
    th.addEventListener('click', function () {
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var descending = th.getAttribute('aria-sort') !== 'descending';
      table.querySelectorAll('th').forEach(function (other) {
        other.setAttribute('aria-sort', 'none');
      });
      th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute('data-value');
        var y = b.cells[column].getAttribute('data-value');
        var nx = parseFloat(x), ny = parseFloat(y);
        var order = (isNaN(nx) || isNaN(ny)) ? String(x).localeCompare(String(y)) : nx - ny;
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""


def _paint(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """``text`` escaped, with non-overlapping spans wrapped in classed <mark>s."""
    out: list[str] = []
    position = 0
    for start, end, css, title in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start < position or end > len(text) or start >= end:
            continue
        out.append(escape(text[position:start]))
        out.append(f'<mark class="{css}" title="{escape(title)}">{escape(text[start:end])}</mark>')
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def _clean_spans(text: str, facts: list[dict[str, Any]]) -> list[tuple[int, int, str, str]]:
    """Every mention of each fact in the clean article. The facts' words are as the
    fact metrics read them (metrics.text), so they are looked for in the article read
    the same way, and marked where they are in the article as given."""
    spans = []
    read = normalise(text)
    for fact in facts:
        label = f"{fact['type']} {fact['status']}: {STATUS_TITLES[fact['status']]}"
        if fact.get("found") and fact["status"] != "preserved":
            label += f" (paraphrase: {fact['found']})"
        for match in re.finditer(r"(?<!\w)" + re.escape(fact["fact"]) + r"(?!\w)", read.text):
            spans.append((*read.span(match.start(), match.end()), fact["status"], label))
    return spans


def _spun_spans(diagnostics: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    spans = []
    for key in ("entities", "quantities"):
        found = diagnostics.get(key, {})
        for fact in found.get("facts", []):
            if fact.get("found") and fact.get("at") is not None:
                start = fact["at"]
                spans.append(
                    (
                        start,
                        start + len(fact["found"]),
                        fact["status"],
                        f"{fact['status']}: {fact['fact']}",
                    )
                )
        for item in found.get("invented", []):
            hint = f" (resembles {item['resembles']})" if item.get("resembles") else ""
            spans.append(
                (item["at"], item["at"] + len(item["text"]), "invented", f"invented{hint}")
            )
    for item in diagnostics.get("artefacts", []) or []:
        spans.append((item["at"], item["at"] + len(item["text"]), "artefact", item["kind"]))
    return spans


def _leaderboard_table(board: Leaderboard, dataset: str) -> str:
    rows = board.table(dataset)
    head = ["<th>system</th>", "<th>rank</th>"]
    for m in board.metrics:
        head.append(f'<th title="{escape(m.signature)}">{escape(board.header(m))}</th>')
    head += ["<th>articles</th>", "<th>failed</th>"]
    best = {m.key: board.best(dataset, m.key) for m in board.metrics}
    body = []
    first = board.metrics[0].key if board.metrics else ""
    for row in rows:
        cells = [
            f'<td data-value="{escape(row.system)}">{escape(row.system)}'
            + (f" {REFERENCE_MARK}" if row.reference else "")
            + "</td>",
            f'<td data-value="{escape(row.clusters.get(first, "~"))}">'
            f"{escape(row.clusters.get(first, '–'))}</td>",
        ]
        for m in board.metrics:
            score = row.scores[m.key].score
            interval = row.intervals.get(m.key)
            ci = (
                (
                    f' <span class="ci">[{interval.low:.{m.decimals}f}, '
                    f"{interval.high:.{m.decimals}f}]</span>"
                )
                if interval
                else ""
            )
            css = ' class="best"' if row.system in best[m.key] else ""
            cells.append(f'<td data-value="{score!r}"{css}>{score:.{m.decimals}f}{ci}</td>')
        cells += [
            f'<td data-value="{row.articles}">{row.articles}</td>',
            f'<td data-value="{row.failed}">{row.failed}</td>',
        ]
        css = ' class="reference"' if row.reference else ""
        body.append(f'<tr{css} data-system="{escape(row.system)}">' + "".join(cells) + "</tr>")
    return (
        f'<div class="scroll"><table class="leaderboard" data-dataset="{escape(dataset)}">'
        "<thead><tr>"
        + "".join(head)
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table></div>"
    )


def _interval_chart(board: Leaderboard, dataset: str) -> str:
    if not board.metrics:
        return ""
    metric = board.metrics[0]
    rows = [r for r in board.table(dataset) if metric.key in r.intervals]
    if not rows:
        return ""
    lows = [r.intervals[metric.key].low for r in rows]
    highs = [r.intervals[metric.key].high for r in rows]
    lo, hi = min(lows), max(highs)
    span = (hi - lo) or 1.0
    width, left, line = 640, 170, 26
    height = line * len(rows) + 40

    def x(value: float) -> float:
        return left + (value - lo) / span * (width - left - 30)

    parts = [
        f'<svg role="img" aria-label="{escape(board.header(metric))} with 95% intervals" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for i, row in enumerate(rows):
        y = 20 + i * line
        interval = row.intervals[metric.key]
        score = row.scores[metric.key].score
        colour = "#99a" if row.reference else "#2456c9"
        parts.append(
            f'<text x="{left - 10}" y="{y + 4}" text-anchor="end" font-size="13">'
            f"{escape(row.system)}</text>"
        )
        parts.append(
            f'<line x1="{x(interval.low):.1f}" x2="{x(interval.high):.1f}" y1="{y}" '
            f'y2="{y}" stroke="{colour}" stroke-width="3"/>'
        )
        parts.append(
            f'<circle cx="{x(score):.1f}" cy="{y}" r="5" fill="{colour}">'
            f"<title>{escape(row.system)}: {score:.{metric.decimals}f} "
            f"[{interval.low:.{metric.decimals}f}, {interval.high:.{metric.decimals}f}]"
            "</title></circle>"
        )
    axis = height - 12
    parts.append(f'<text x="{left}" y="{axis}" font-size="11">{lo:.{metric.decimals}f}</text>')
    parts.append(
        f'<text x="{width - 30}" y="{axis}" font-size="11" text-anchor="end">'
        f"{hi:.{metric.decimals}f}</text></svg>"
    )
    return (
        f'<figure class="intervals">{"".join(parts)}<figcaption>'
        f"{escape(board.header(metric))}: each system's score and 95% paired-bootstrap "
        "interval.</figcaption></figure>"
    )


def pareto_front(points: dict[str, tuple[float, float]]) -> set[str]:
    """Systems no other system beats on both axes (fidelity and divergence, higher is better)."""
    front = set()
    for name, (a, b) in points.items():
        dominated = any(
            (c >= a and d >= b) and (c > a or d > b)
            for other, (c, d) in points.items()
            if other != name
        )
        if not dominated:
            front.add(name)
    return front


def _scatter(board: Leaderboard, dataset: str) -> str:
    ranking = next((m for m in board.metrics if m.name == "ranking"), None)
    if ranking is None:
        return "<p>Add the <code>ranking</code> metric for the fidelity-divergence scatter.</p>"
    rows = board.table(dataset)
    points = {
        r.system: (
            float(r.scores[ranking.key].details["fidelity"]),
            float(r.scores[ranking.key].details["divergence"]),
        )
        for r in rows
    }
    front = pareto_front(points)
    size, pad = 420, 50

    def px(divergence: float) -> float:
        return pad + divergence * (size - 2 * pad)

    def py(fidelity: float) -> float:
        return size - pad - fidelity * (size - 2 * pad)

    parts = [
        f'<svg role="img" aria-label="fidelity against divergence" width="{size}" '
        f'height="{size}" viewBox="0 0 {size} {size}">',
        f'<line x1="{pad}" y1="{size - pad}" x2="{size - pad}" y2="{size - pad}" stroke="#889"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{size - pad}" stroke="#889"/>',
        f'<text x="{size / 2}" y="{size - 12}" text-anchor="middle" font-size="12">'
        "divergence (1 - self-BLEU/100)</text>",
        f'<text x="14" y="{size / 2}" font-size="12" transform="rotate(-90 14 {size / 2})" '
        'text-anchor="middle">fidelity (entities + quantities)</text>',
    ]
    ordered = sorted((points[n][1], points[n][0]) for n in front)
    if len(ordered) > 1:
        path = " ".join(f"{px(d):.1f},{py(f):.1f}" for d, f in ordered)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="#2456c9" stroke-dasharray="4 3"/>'
        )
    for row in rows:
        fidelity, divergence = points[row.system]
        on_front = row.system in front
        fill = "#2456c9" if on_front else "#fff"
        parts.append(
            f'<circle class="{"front" if on_front else "point"}" '
            f'data-system="{escape(row.system)}" cx="{px(divergence):.1f}" '
            f'cy="{py(fidelity):.1f}" r="6" fill="{fill}" stroke="#2456c9">'
            f"<title>{escape(row.system)}: fidelity {fidelity:.3f}, divergence "
            f"{divergence:.3f}{' (Pareto front)' * on_front}</title></circle>"
        )
        parts.append(
            f'<text x="{px(divergence) + 8:.1f}" y="{py(fidelity) - 8:.1f}" '
            f'font-size="11">{escape(row.system)}</text>'
        )
    parts.append("</svg>")
    return (
        '<figure class="scatter">' + "".join(parts) + "<figcaption>Fidelity against "
        "divergence; filled points are on the Pareto front (no system is better on both)."
        "</figcaption></figure>"
    )


def _worst_first(results: list[ArticleResult], key: str, direction: Direction) -> list[int]:
    order = sorted(range(len(results)), key=lambda i: results[i].scores.get(key, 0.0))
    return order if direction is not Direction.LOWER else order[::-1]


def _outputs(run_dir: Path, dataset: str, system: str) -> dict[str, str]:
    """A system's paraphrases, by article id, from the run's outputs journal (which a
    report needs to show them): a missing file is an error, not empty paraphrases."""
    journal = Journal(run_dir / "outputs" / dataset / f"{system}.jsonl")
    if not journal.path.is_file():
        raise BenchError(
            f"outputs of system {system!r} missing: the report shows the paraphrases, "
            "and the run's folder no longer has them",
            path=journal.path,
        )
    return {
        r["id"]: r["text"]
        for r in journal.read()
        if r.get("status") == "ok" and isinstance(r.get("text"), str)
    }


def _articles(
    run_dir: Path, board: Leaderboard, dataset: str, texts: dict[str, str], limit: int
) -> str:
    keys = {m.name: m for m in board.metrics}
    sort_metric = keys.get("entities") or (board.metrics[0] if board.metrics else None)
    if sort_metric is None:
        return ""
    parts = [
        '<p class="legend">'
        + "".join(
            f'<span class="{css}" title="{escape(title)}">{css}</span>'
            for css, title in STATUS_TITLES.items()
        )
        + "</p>"
    ]
    for row in board.table(dataset):
        if row.reference:
            continue
        results = read_scores(run_dir, dataset, row.system)
        outputs = _outputs(run_dir, dataset, row.system)
        order = _worst_first(results, sort_metric.key, Direction(sort_metric.direction))[:limit]
        blocks = []
        for index in order:
            result = results[index]
            clean = texts.get(result.id, "")
            spun = ""
            if result.status == "ok":
                spun = outputs.get(result.id, "")
                if result.id not in outputs:
                    raise BenchError(
                        "the run scored this article but its paraphrase is not in the outputs file",
                        path=run_dir / "outputs" / dataset / f"{row.system}.jsonl",
                        article=result.id,
                    )
            diagnostics = result.diagnostics
            facts = [
                *diagnostics.get("entities", {}).get("facts", []),
                *diagnostics.get("quantities", {}).get("facts", []),
            ]
            score = result.scores.get(sort_metric.key, 0.0)
            failure = (
                f"<p><strong>failed:</strong> {escape(str(result.error))}</p>"
                if result.status == "failed"
                else ""
            )
            clean_html = _paint(clean, _clean_spans(clean, facts))
            spun_html = _paint(spun, _spun_spans(diagnostics))
            blocks.append(
                f'<article data-article="{escape(result.id)}"><h4>{escape(result.id)} '
                f'<span class="scorebox">{escape(sort_metric.key)} {score:.3f}</span></h4>'
                f'{failure}<div class="pair"><div class="clean">{clean_html}</div>'
                f'<div class="spun">{spun_html}</div></div></article>'
            )
        parts.append(
            f'<details data-system="{escape(row.system)}"><summary>{escape(row.system)}: '
            f"{len(order)} worst articles by {escape(sort_metric.key)}</summary>"
            + "".join(blocks)
            + "</details>"
        )
    return "".join(parts)


def build_report(run_dir: Path, *, articles: int = 10) -> str:
    """The whole report as one HTML string."""
    manifest = read_manifest(run_dir)
    board = rebuild_leaderboard(run_dir)
    config = RunConfig.from_json(manifest.config)
    texts: dict[str, dict[str, str]] = {}
    for spec in config.datasets:
        loaded = load_dataset(spec)
        texts[loaded.name] = {a.id: a.text for a in loaded.articles}
    sections = []
    for dataset in board.datasets():
        sections.append(
            f'<section id="dataset-{escape(dataset)}"><h2>{escape(dataset)}</h2>'
            + _leaderboard_table(board, dataset)
            + _interval_chart(board, dataset)
            + _scatter(board, dataset)
            + "<h3>Articles, worst first</h3>"
            + _articles(run_dir, board, dataset, texts.get(dataset, {}), articles)
            + "</section>"
        )
    signatures = "".join(
        f"<li><code>{escape(m.key)}: {escape(m.signature)}</code></li>" for m in board.metrics
    )
    if board.uncertainty:
        signatures += f"<li><code>uncertainty: {escape(board.uncertainty)}</code></li>"
    data = json.dumps({"run_id": manifest.run_id, "schema_version": manifest.schema_version})
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>spinbench report: run {escape(manifest.run_id)}</title>"
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style>'
        "</head><body><header><h1>spinbench report</h1>"
        f"<p>run <code>{escape(manifest.run_id)}</code>, started {escape(manifest.started)}, "
        f"spinbench {escape(manifest.spinbench_version)}; {REFERENCE_MARK} marks reference rows; "
        "click a column to sort.</p></header>"
        + "".join(sections)
        + f"<footer><h2>Signatures</h2><ul>{signatures}</ul></footer>"
        + f'<script type="application/json" id="run-data">{escape(data)}</script>'
        + f"<script>{_JS}</script></body></html>\n"
    )


def write_report(run_dir: Path, output: Path | None = None, *, articles: int = 10) -> Path:
    target = output or run_dir / "report.html"
    html = build_report(run_dir, articles=articles)
    if target.is_dir():
        raise BenchError("is a folder; give -o a file name (report.html)", path=target)
    write_atomic(target, html)
    return target
