"""Meta-evaluation reports as a text table (one screen a set), markdown, or JSON."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence

from bench.meta_eval.evaluate import Difference, Estimate, SetReport
from bench.meta_eval.items import Judgment
from bench.tables import format_table

FORMATS = ("text", "markdown", "json")

LABELS = {
    "tau_b": "tau-b",
    "pairwise_accuracy": "acc",
    "tau_b_within": "tau-b/group",
    "pairwise_accuracy_within": "acc/group",
    "auc": "AUC",
    "system_pearson": "sys r",
    "system_accuracy": "sys acc",
    "false_alarm": "false alarm %",
}


def render_reports(reports: Sequence[SetReport], fmt: str) -> str:
    if fmt == "json":
        payload = {"schema": "spinbench.meta-eval/1", "sets": [r.to_json() for r in reports]}
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    return "\n".join(_render_set(r, markdown=fmt == "markdown") for r in reports)


SEGMENT_MEASURES = ("tau_b", "pairwise_accuracy", "tau_b_within", "pairwise_accuracy_within",
                    "auc")  # fmt: skip
SYSTEM_MEASURES = ("system_pearson", "system_accuracy")


def _present(report: SetReport, names: Sequence[str]) -> list[str]:
    found = {name for m in report.metrics for name in m.measures}
    return [name for name in names if name in found]


def _value(estimate: Estimate | None, *, percent: bool = False, interval: bool = False) -> str:
    if estimate is None:
        return "-"
    scale = 100.0 if percent else 1.0
    digits = 1 if percent else 3
    text = _number(estimate.value, scale, digits)
    if interval and estimate.low is not None and estimate.high is not None:
        low, high = _number(estimate.low, scale, digits), _number(estimate.high, scale, digits)
        text += f" [{low}, {high}]"
    return text


def _number(value: float | None, scale: float = 1.0, digits: int = 3) -> str:
    if value is None or value != value:
        return "n/a"
    return f"{value * scale:.{digits}f}"


def _difference(found: Difference | None) -> tuple[str, str]:
    if found is None or found.value != found.value:
        return "-", "-"
    text = f"{found.value:+.3f}"
    if found.low is not None and found.high is not None:
        text += f" [{found.low:+.3f}, {found.high:+.3f}]"
    return text, "-" if found.p is None else f"{found.p:.3f}"


def _short(name: str, markdown: bool, width: int = 30) -> str:
    """A type's name, cut to ``width`` characters in text tables."""
    return name if markdown or len(name) <= width else name[: width - 1] + "~"


def _render_set(report: SetReport, *, markdown: bool) -> str:
    judged = report.judged
    systems = {i.system for i in judged.items if i.system is not None}
    faithful = sum(judged.faithful())
    what = "MQM score 0" if judged.format == "mqm" else (
        "label 1" if judged.kind is Judgment.LABEL else "best score")  # fmt: skip
    title = f"{judged.name} ({judged.format})"
    lines = [f"## {title}" if markdown else title, ""]
    grouped = report.groups < len(judged.items)
    counts = f"{len(judged.items)} items" + (f" in {report.groups} groups" if grouped else "")
    if systems:
        counts += f", {len(systems)} systems"
    left = ", ".join(f"{n} {why}" for why, n in judged.left_out.items()) or "none"
    unit = "groups" if grouped else "items"
    against = f"; delta = metric - {report.against}, same resamples" if report.against else ""
    about = [
        f"{counts}, {faithful} judged faithful ({what})",
        f"left out: {left}",
        f"95% intervals [low, high]: {report.resamples} bootstrap resamples of {unit} "
        f"(seed {report.seed}){against}",
    ]
    lines += [f"- {line}" for line in about] if markdown else about
    lines.append("")
    primary = report.primary
    columns = [c for c in _present(report, SEGMENT_MEASURES) if c != primary]
    header = ["metric", LABELS[primary]]
    if report.against:
        header += [f"delta vs {report.against}", "p"]
    header += [LABELS[c] for c in columns] + ["false alarm %"]
    rows = []
    for m in report.metrics:
        row = [m.key, _value(m.measures.get(primary), interval=True)]
        if report.against:
            row += list(_difference(m.differences.get(primary)))
        row += [_value(m.measures.get(c)) for c in columns]
        row.append(_value(m.measures.get("false_alarm"), percent=True, interval=True))
        rows.append(row)
    lines += format_table(header, rows, "markdown" if markdown else "text")
    system = _present(report, SYSTEM_MEASURES)
    if system:
        lines += ["", f"System level ({len(systems)} systems)", ""]
        header = ["metric"]
        for name in system:
            header += [LABELS[name]] + (
                [f"delta vs {report.against}", "p"] if report.against else []
            )
        rows = []
        for m in report.metrics:
            row = [m.key]
            for name in system:
                row.append(_value(m.measures.get(name), interval=True))
                if report.against:
                    row += list(_difference(m.differences.get(name)))
            rows.append(row)
        lines += format_table(header, rows, "markdown" if markdown else "text")
    if report.combined_false_alarm is not None:
        combined = _value(report.combined_false_alarm, percent=True, interval=True)
        lines += ["", f"false alarm, entities or quantities below 1: {combined} %"]
    if report.type_counts:
        lines += ["", "AUC by type: faithful items against the unfaithful items of each type", ""]
        header = ["type", "n", *(m.key for m in report.metrics)]
        rows = [
            [_short(t, markdown), str(n), *(_value(m.by_type.get(t)) for m in report.metrics)]
            for t, n in sorted(report.type_counts.items(), key=lambda kv: -kv[1])
        ]
        lines += format_table(header, rows, "markdown" if markdown else "text")
    if judged.notes:
        lines.append("")
        for note in judged.notes:
            lines += [f"- note: {note}"] if markdown else textwrap.wrap(
                f"note: {note}", 100, subsequent_indent="      ")  # fmt: skip
    return "\n".join(lines) + "\n"
