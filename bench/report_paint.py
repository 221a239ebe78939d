"""Text cut into plain and marked pieces, for the HTML report's template to escape and mark."""

from __future__ import annotations

from collections.abc import Sequence

Span = tuple[int, int, str, str]
"""(start, end, CSS class, title) of a stretch of text to mark."""
Segment = tuple[str, str, str]
"""(text, CSS class, title): a piece of painted text; the class is empty for plain text."""


def paint(text: str, spans: Sequence[Span]) -> list[Segment]:
    """``text`` cut into plain and marked pieces; of overlapping spans the first (and at one
    start, the longest) wins. The template escapes every piece, so no text here is HTML."""
    out: list[Segment] = []
    position = 0
    for start, end, css, title in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start < position or end > len(text) or start >= end:
            continue
        if start > position:
            out.append((text[position:start], "", ""))
        out.append((text[start:end], css, title))
        position = end
    if position < len(text):
        out.append((text[position:], "", ""))
    return out
