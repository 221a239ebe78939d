"""Plain tables for the summary commands (``compare``, ``check-metrics``): text or Markdown."""

from __future__ import annotations

from collections.abc import Sequence


def format_table(head: Sequence[str], rows: Sequence[Sequence[str]], fmt: str) -> list[str]:
    """Lines of a table: the first column left-aligned, the others right-aligned."""
    if fmt == "markdown":
        rule = "|" + "|".join([":---"] + ["---:"] * (len(head) - 1)) + "|"
        return ["| " + " | ".join(head) + " |", rule, *("| " + " | ".join(r) + " |" for r in rows)]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in [head, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines
