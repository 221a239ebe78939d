"""Options and choices that several ``bench`` commands share, each declared once.

A shared option is a function returning a fresh ``typer.Option``, so that every
command checks the same range and shows the same help, and can still add its
own settings (the help panel it sits in, the default shown).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import typer

from bench.config import RunConfig
from bench.specs import MAX_BOOTSTRAP


class SummaryFormat(StrEnum):
    """Formats of the summary commands (compare, check-metrics)."""

    text = "text"
    json = "json"
    markdown = "markdown"


class InputFormat(StrEnum):
    """Formats of ``bench meta-eval``'s inputs."""

    jsonl = "jsonl"
    summedits = "summedits"
    mqm = "mqm"


class Columns(StrEnum):
    """Columns of the text and Markdown leaderboards; CSV, JSON and LaTeX have them all."""

    compact = "compact"
    all = "all"


RUN_DEFAULTS = RunConfig()
"""Values ``bench run`` uses when neither a flag nor a config file sets them (shown in -h)."""
INPUTS, STATISTICS, OUTPUT, EXECUTION = "Inputs", "Statistics", "Output", "Execution"
"""Help panels of ``bench run``'s options."""


def seed_option(**extra: Any) -> Any:
    """``--seed``, shared by the commands that resample or corrupt; ``extra`` adds typer
    settings (a default shown in help, a help panel)."""
    return typer.Option("--seed", min=0, help="Seed of everything random.", **extra)


def bootstrap_option(**extra: Any) -> Any:
    """``--bootstrap``: how many resamples, from 0 (no intervals) to ``MAX_BOOTSTRAP``,
    checked by typer so a bad number fails before any work."""
    return typer.Option(
        "--bootstrap",
        min=0,
        max=MAX_BOOTSTRAP,
        help="Bootstrap resamples for intervals and paired tests (0: none).",
        **extra,
    )


def columns_option(**extra: Any) -> Any:
    """``--columns``: the compact table or every column (text and Markdown only)."""
    return typer.Option(
        "--columns",
        help="Table columns (text and markdown): compact, or all with every detail.",
        **extra,
    )


def _print_version(value: bool) -> None:
    if value:
        from bench.provenance import version_line

        typer.echo(version_line())
        raise typer.Exit()


def version_option() -> Any:
    """``--version``: print the versions that decide the scores, then exit."""
    return typer.Option(
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Print the versions of spinbench, sacrebleu, spaCy and the English model.",
    )
