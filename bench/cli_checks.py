"""The ``bench`` commands that check the metrics themselves.

``check-metrics`` runs the challenge suite (seeded corruptions that each metric
must notice); ``meta-eval`` measures each metric's agreement with human
judgments. Both are registered on the app in :mod:`bench.cli`, which turns their
errors into one ``error:`` line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bench.cli_options import InputFormat, SummaryFormat, bootstrap_option, seed_option
from bench.specs import DEFAULT_SEED


def _log(message: str) -> None:
    typer.echo(message, err=True)


def check_metrics_command(
    dataset: Annotated[str, typer.Option("--dataset", "-d", help="Dataset to corrupt.")] = "news",
    metric: Annotated[
        list[str] | None, typer.Option("--metric", "-m", help="Metric to check; repeatable.")
    ] = None,
    seed: Annotated[int, seed_option()] = DEFAULT_SEED,
    fmt: Annotated[SummaryFormat, typer.Option("--format", "-f")] = SummaryFormat.text,
) -> None:
    """How often each metric prefers the clean article to each kind of corrupted one."""
    from bench.check_metrics import DEFAULT_CHECKED, check_metrics, render_checks
    from bench.config import DatasetSpec, MetricSpec, parse_metric
    from bench.data.dataset import load_dataset

    specs = (
        [parse_metric(m, None) for m in metric]
        if metric
        else [MetricSpec(m) for m in DEFAULT_CHECKED]
    )
    metrics, checks = check_metrics(load_dataset(DatasetSpec(dataset)), specs, seed=seed)
    typer.echo(render_checks(metrics, checks, fmt.value), nl=False)


def meta_eval(
    files: Annotated[
        list[Path], typer.Argument(help="Judged items: our JSONL, SummEdits JSON or MQM TSV.")
    ],
    metric: Annotated[
        list[str] | None, typer.Option("--metric", "-m", help="Metric name; repeatable.")
    ] = None,
    fmt: Annotated[SummaryFormat, typer.Option("--format", "-f")] = SummaryFormat.text,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder for per-item scores (JSONL) and the JSON report."),
    ] = None,
    against: Annotated[
        str, typer.Option(help="Baseline metric for the paired differences.")
    ] = "chrf",
    format_in: Annotated[
        InputFormat | None, typer.Option("--format-in", help="Input format (default: detected).")
    ] = None,
    bootstrap: Annotated[int, bootstrap_option()] = 1000,
    seed: Annotated[int, seed_option()] = DEFAULT_SEED,
    limit: Annotated[
        int | None, typer.Option(help="Keep only the first N segments (or items) of each file.")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-j", help="Worker processes (0: one per core).")
    ] = 0,
) -> None:
    """How well each metric agrees with human judgments (docs/meta-eval.md)."""
    from bench.config import MetricSpec, parse_metric
    from bench.execution import Execution
    from bench.meta_eval.render import render_reports
    from bench.meta_eval.run import META_EVAL_METRICS, MetaEvalConfig, meta_evaluate

    specs = (
        tuple(parse_metric(m, None) for m in metric)
        if metric
        else tuple(MetricSpec(m) for m in META_EVAL_METRICS)
    )
    config = MetaEvalConfig(
        paths=tuple(files),
        metrics=specs,
        against=parse_metric(against, None).key,
        format_in=format_in.value if format_in else None,
        resamples=bootstrap,
        seed=seed,
        limit=limit,
        out=out,
        execution=Execution(workers=workers),
    )
    reports = meta_evaluate(config, log=_log)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "meta-eval.json").write_text(render_reports(reports, "json"), encoding="utf-8")
        _log(f"per-item scores and meta-eval.json written to {out}")
    typer.echo(render_reports(reports, fmt.value), nl=False)
