"""``bench report``: one self-contained HTML file per run, readable offline.

It holds the sortable leaderboard (scores with 95% intervals, rank clusters),
a chart of each system's score with its interval, a fidelity-vs-divergence
scatter with the Pareto front, per system its worst articles (clean and spun
text side by side with every entity and quantity coloured by status) and,
with the meaning metric, its articles with a changed claim
(``bench.report_meaning``). This module gathers the data; the page is
``templates/report.html.j2``, rendered by jinja2 with autoescape on, so every
piece of article and system text is HTML-escaped (an article containing
``<script>`` shows as text). No script, style or font is loaded from anywhere.
See docs/report.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from bench.config import RunConfig
from bench.data.dataset import load_dataset
from bench.errors import BenchError
from bench.leaderboard import REFERENCE_MARK, Leaderboard
from bench.report_meaning import changed_claims
from bench.report_paint import Span, paint
from bench.results.read import read_manifest, read_scores, rebuild_leaderboard
from bench.results.schema import ArticleResult, MetricInfo
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

_TEMPLATES = Environment(
    loader=PackageLoader("bench", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _clean_spans(text: str, facts: list[dict[str, Any]]) -> list[Span]:
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


def _spun_spans(diagnostics: dict[str, Any]) -> list[Span]:
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


def _cell(value: str, text: str, ci: str = "", best: bool = False) -> dict[str, Any]:
    """A table cell: ``value`` is what its column sorts by, ``ci`` its interval, if any."""
    return {"value": value, "text": text, "ci": ci, "best": best}


def _leaderboard_table(board: Leaderboard, dataset: str) -> dict[str, Any]:
    """The header (with each metric's signature as its title) and rows of the sortable table."""
    head = [{"text": "system", "title": ""}, {"text": "rank", "title": ""}]
    head += [{"text": board.header(m), "title": m.signature} for m in board.metrics]
    head += [{"text": "articles", "title": ""}, {"text": "failed", "title": ""}]
    best = {m.key: board.best(dataset, m.key) for m in board.metrics}
    first = board.metrics[0].key if board.metrics else ""
    rows = []
    for row in board.table(dataset):
        label = f"{row.system} {REFERENCE_MARK}" if row.reference else row.system
        cells = [
            _cell(row.system, label),
            _cell(row.clusters.get(first, "~"), row.clusters.get(first, "–")),
        ]
        for m in board.metrics:
            score = row.scores[m.key].score
            interval = row.intervals.get(m.key)
            ci = (
                ""
                if interval is None
                else (f"[{interval.low:.{m.decimals}f}, {interval.high:.{m.decimals}f}]")
            )
            cells.append(_cell(repr(score), f"{score:.{m.decimals}f}", ci,
                               row.system in best[m.key]))  # fmt: skip
        cells += [_cell(str(n), str(n)) for n in (row.articles, row.failed)]
        rows.append({"system": row.system, "reference": row.reference, "cells": cells})
    return {"head": head, "rows": rows}


def _interval_chart(board: Leaderboard, dataset: str) -> dict[str, Any] | None:
    """Where each system's headline score and its 95% interval go on a horizontal axis."""
    if not board.metrics:
        return None
    metric = board.metrics[0]
    rows = [r for r in board.table(dataset) if metric.key in r.intervals]
    if not rows:
        return None
    lo = min(r.intervals[metric.key].low for r in rows)
    hi = max(r.intervals[metric.key].high for r in rows)
    span = (hi - lo) or 1.0
    width, left, line = 640, 170, 26
    height = line * len(rows) + 40
    places = metric.decimals

    def x(value: float) -> str:
        return f"{left + (value - lo) / span * (width - left - 30):.1f}"

    points = []
    for i, row in enumerate(rows):
        interval = row.intervals[metric.key]
        score = row.scores[metric.key].score
        points.append({
            "system": row.system, "y": 20 + i * line, "x": x(score),
            "low": x(interval.low), "high": x(interval.high),
            "colour": "#99a" if row.reference else "#2456c9",
            "title": f"{row.system}: {score:.{places}f} "
                     f"[{interval.low:.{places}f}, {interval.high:.{places}f}]",
        })  # fmt: skip
    return {
        "label": board.header(metric), "width": width, "height": height, "left": left,
        "axis": height - 12, "lo": f"{lo:.{places}f}", "hi": f"{hi:.{places}f}",
        "points": points,
    }  # fmt: skip


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


def _scatter(board: Leaderboard, dataset: str) -> dict[str, Any] | None:
    """Each system placed by divergence (x) and fidelity (y), the Pareto front joined up."""
    ranking = next((m for m in board.metrics if m.name == "ranking"), None)
    if ranking is None:
        return None
    rows = board.table(dataset)
    found = {
        r.system: (
            float(r.scores[ranking.key].details["fidelity"]),
            float(r.scores[ranking.key].details["divergence"]),
        )
        for r in rows
    }
    front = pareto_front(found)
    size, pad = 420, 50

    def px(divergence: float) -> float:
        return pad + divergence * (size - 2 * pad)

    def py(fidelity: float) -> float:
        return size - pad - fidelity * (size - 2 * pad)

    ordered = sorted((found[n][1], found[n][0]) for n in front)
    path = " ".join(f"{px(d):.1f},{py(f):.1f}" for d, f in ordered) if len(ordered) > 1 else ""
    points = []
    for row in rows:
        fidelity, divergence = found[row.system]
        on_front = row.system in front
        points.append({
            "system": row.system, "on_front": on_front,
            "x": f"{px(divergence):.1f}", "y": f"{py(fidelity):.1f}",
            "label_x": f"{px(divergence) + 8:.1f}", "label_y": f"{py(fidelity) - 8:.1f}",
            "title": f"{row.system}: fidelity {fidelity:.3f}, divergence {divergence:.3f}"
                     + " (Pareto front)" * on_front,
        })  # fmt: skip
    return {"size": size, "pad": pad, "front": path, "points": points}


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


def _worst_articles(
    run_dir: Path,
    dataset: str,
    system: str,
    results: list[ArticleResult],
    texts: dict[str, str],
    limit: int,
    sort_metric: MetricInfo,
) -> dict[str, Any]:
    """A contestant's ``limit`` worst articles by ``sort_metric``: clean and spun text with
    every entity, quantity and artefact marked by status."""
    outputs = _outputs(run_dir, dataset, system)
    order = _worst_first(results, sort_metric.key, Direction(sort_metric.direction))[:limit]
    shown = []
    for index in order:
        result = results[index]
        clean = texts.get(result.id, "")
        spun = ""
        if result.status == "ok":
            if result.id not in outputs:
                raise BenchError(
                    "the run scored this article but its paraphrase is not in the outputs file",
                    path=run_dir / "outputs" / dataset / f"{system}.jsonl",
                    article=result.id,
                )
            spun = outputs[result.id]
        diagnostics = result.diagnostics
        facts = [
            *diagnostics.get("entities", {}).get("facts", []),
            *diagnostics.get("quantities", {}).get("facts", []),
        ]
        shown.append({
            "id": result.id,
            "score": f"{result.scores.get(sort_metric.key, 0.0):.3f}",
            "error": str(result.error) if result.status == "failed" else None,
            "clean": paint(clean, _clean_spans(clean, facts)),
            "spun": paint(spun, _spun_spans(diagnostics)),
        })  # fmt: skip
    return {"name": system, "sort_key": sort_metric.key, "articles": shown}


def build_report(run_dir: Path, *, articles: int = 10) -> str:
    """The whole report as one HTML string: ``articles`` is how many articles each
    contestant shows, worst first (and at most how many with a changed claim).

    The worst articles are those of the lowest entity F1 (else of the headline metric);
    a contestant's results are read one at a time, so a large run is not held whole."""
    manifest = read_manifest(run_dir)
    board = rebuild_leaderboard(run_dir)
    config = RunConfig.from_json(manifest.config)
    texts: dict[str, dict[str, str]] = {}
    for spec in config.datasets:
        loaded = load_dataset(spec)
        texts[loaded.name] = {a.id: a.text for a in loaded.articles}
    keys = {m.name: m for m in board.metrics}
    sort_metric = keys.get("entities") or (board.metrics[0] if board.metrics else None)
    meaning = keys.get("meaning")
    datasets = []
    for dataset in board.datasets():
        worst, changed = [], []
        for row in board.table(dataset):
            if row.reference or sort_metric is None:
                continue
            results = read_scores(run_dir, dataset, row.system)
            shown = texts.get(dataset, {})
            worst.append(_worst_articles(run_dir, dataset, row.system, results, shown, articles,
                                         sort_metric))  # fmt: skip
            if meaning is not None:
                changed.append(changed_claims(row.system, results, meaning.key, articles))
        datasets.append({
            "name": dataset,
            **_leaderboard_table(board, dataset),
            "chart": _interval_chart(board, dataset),
            "scatter": _scatter(board, dataset),
            "systems": worst,
            "meaning": changed,
        })  # fmt: skip
    signatures = [(m.key, m.signature) for m in board.metrics]
    if board.uncertainty:
        signatures.append(("uncertainty", board.uncertainty))
    return _TEMPLATES.get_template("report.html.j2").render(
        run_id=manifest.run_id,
        started=manifest.started,
        version=manifest.spinbench_version,
        reference_mark=REFERENCE_MARK,
        datasets=datasets,
        limit=articles,
        status_titles=list(STATUS_TITLES.items()),
        signatures=signatures,
        run_data={"run_id": manifest.run_id, "schema_version": manifest.schema_version},
    )


def write_report(run_dir: Path, output: Path | None = None, *, articles: int = 10) -> Path:
    target = output or run_dir / "report.html"
    html = build_report(run_dir, articles=articles)
    if target.is_dir():
        raise BenchError("is a folder; give -o a file name (report.html)", path=target)
    write_atomic(target, html)
    return target
