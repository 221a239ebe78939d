"""The one table renderer of the text commands: plain text for a terminal, or Markdown.

The leaderboard, ``compare``, ``check-metrics`` and ``meta-eval`` all print
their tables through :func:`format_table`, so every table reads the same way:
the first column (a name) left-aligned, the others (numbers) right-aligned, a
rule under the header, two spaces between columns.
"""

from __future__ import annotations

from collections.abc import Sequence

TABLE_FORMATS = ("text", "markdown")


def format_table(head: Sequence[str], rows: Sequence[Sequence[str]], fmt: str) -> list[str]:
    """The lines of a table in ``fmt`` ("text" or "markdown"), without a trailing newline.

    Text pads each column to its widest cell and drops trailing spaces; Markdown
    says the same alignment in its rule line (``:---`` left, ``---:`` right).
    """
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"table format must be one of {', '.join(TABLE_FORMATS)}, not {fmt!r}")
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
