"""The ``bench`` command line: thin commands over the library.

Every command builds typed inputs and calls one library function. Bad input
or usage ends with one ``error:`` line naming the place, and exit code 2.
"""

from __future__ import annotations

import functools
import json
import os
import signal
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from bench.cli_checks import check_metrics_command, meta_eval
from bench.cli_options import (
    EXECUTION,
    INPUTS,
    OUTPUT,
    RUN_DEFAULTS,
    STATISTICS,
    Columns,
    SummaryFormat,
    bootstrap_option,
    columns_option,
    seed_option,
    version_option,
)
from bench.config import resolve_config
from bench.errors import BenchError, ProblemList
from bench.leaderboard import render
from bench.specs import DEFAULT_SEED, PairedTest

if TYPE_CHECKING:
    from bench.runner import RunResult

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="bench",
    help="spinbench: how faithfully does a paraphraser keep the facts of a news article?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _main(version: Annotated[bool, version_option()] = False) -> None:
    """spinbench: how faithfully does a paraphraser keep the facts of a news article?"""


class Executor(StrEnum):
    """Where ``bench run`` runs its tasks: processes on this machine, or a Ray cluster."""

    local = "local"
    ray = "ray"


class Format(StrEnum):
    """The leaderboard formats a command can print (a run writes all of them to its folder)."""

    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    latex = "latex"


class Terminated(BaseException):
    """SIGTERM, raised where the program is so that every ``finally`` and ``with`` block
    on the way out runs (temporary files removed, journals flushed, workers ended)."""


def _terminate(signum: int, _: object) -> None:
    """The SIGTERM handler: raise, so the program unwinds instead of dying on the spot."""
    raise Terminated(signal.Signals(signum).name)


def _reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a BenchError into one 'error:' line on stderr and its exit code (2 for bad
    input or usage, 1 for a run that cannot finish); an OSError that escaped the library
    names its file; SIGTERM and Ctrl-C end the command cleanly, with exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        previous = signal.signal(signal.SIGTERM, _terminate)
        try:
            return command(*args, **kwargs)
        except BenchError as exc:
            typer.echo(f"error: {exc}", err=True)
            if isinstance(exc, ProblemList):
                for problem in exc.problems[1:20]:
                    typer.echo(f"error: {problem}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            place = f"{exc.filename}: " if exc.filename else ""
            typer.echo(f"error: {place}{exc.strerror or exc}", err=True)
            raise typer.Exit(1) from None
        except (Terminated, KeyboardInterrupt) as exc:
            name = str(exc) if isinstance(exc, Terminated) else "SIGINT"
            typer.echo(
                f"error: stopped by {name}; what was done is kept "
                "(`bench run --resume RUN_FOLDER` continues a run)",
                err=True,
            )
            raise typer.Exit(1) from None
        finally:
            signal.signal(signal.SIGTERM, previous)

    return wrapper


def _log(message: str) -> None:
    """Progress and notes go to stderr, so stdout holds only the table and can be piped."""
    typer.echo(message, err=True)


@app.command()
@_reports_errors
def run(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="bench.toml or pyproject.toml to read.",
            show_default="./bench.toml or ./pyproject.toml [tool.bench] when present",
            rich_help_panel=INPUTS,
        ),
    ] = None,
    dataset: Annotated[
        list[str] | None,
        typer.Option(
            "--dataset",
            "-d",
            help="Bundled dataset name, dataset folder or file.",
            show_default="news",
            rich_help_panel=INPUTS,
        ),
    ] = None,
    system: Annotated[
        list[str] | None,
        typer.Option(
            "--system",
            "-s",
            help="TYPE, NAME=TYPE or NAME=TYPE:ARG, e.g. 'mine=outputs:out.jsonl' "
            "or 'rev=command:rev'.",
            show_default="identity, plus the systems the dataset ships",
            rich_help_panel=INPUTS,
        ),
    ] = None,
    metric: Annotated[
        list[str] | None,
        typer.Option(
            "--metric",
            "-m",
            help="Metric name (bleu, chrf, ...); repeatable.",
            show_default=", ".join(m.key for m in RUN_DEFAULTS.metrics),
            rich_help_panel=INPUTS,
        ),
    ] = None,
    bundled_outputs: Annotated[
        bool | None,
        typer.Option(
            "--bundled-outputs/--no-bundled-outputs",
            help="Also run the precomputed systems a dataset ships.",
            show_default=str(RUN_DEFAULTS.bundled_outputs).lower(),
            rich_help_panel=INPUTS,
        ),
    ] = None,
    seed: Annotated[
        int | None, seed_option(show_default=str(DEFAULT_SEED), rich_help_panel=STATISTICS)
    ] = None,
    bootstrap: Annotated[
        int | None,
        bootstrap_option(show_default=str(RUN_DEFAULTS.bootstrap), rich_help_panel=STATISTICS),
    ] = None,
    test: Annotated[
        PairedTest | None,
        typer.Option(
            help="Paired test: bootstrap, or ar (approximate randomisation).",
            show_default=RUN_DEFAULTS.test,
            rich_help_panel=STATISTICS,
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="A stored run for the config's max_regression gates.",
            rich_help_panel=STATISTICS,
        ),
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            "-o",
            help="Where runs are written.",
            show_default=str(RUN_DEFAULTS.output_dir),
            rich_help_panel=OUTPUT,
        ),
    ] = None,
    run_id: Annotated[
        str | None,
        typer.Option(
            help="Name of the run folder.",
            show_default="date-time-random",
            rich_help_panel=OUTPUT,
        ),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="Table printed.", rich_help_panel=OUTPUT)
    ] = Format.text,
    columns: Annotated[Columns, columns_option(rich_help_panel=OUTPUT)] = Columns.compact,
    html: Annotated[
        bool,
        typer.Option(help="Also write report.html into the run folder.", rich_help_panel=OUTPUT),
    ] = False,
    resume: Annotated[
        Path | None,
        typer.Option(
            help="Continue an interrupted run from its folder.", rich_help_panel=EXECUTION
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            "-j",
            min=0,
            help="Worker processes (0: one per core); results are the same for any number.",
            rich_help_panel=EXECUTION,
        ),
    ] = 0,
    executor: Annotated[
        Executor,
        typer.Option(
            help="Where tasks run: local processes, or a Ray cluster (extra 'ray').",
            rich_help_panel=EXECUTION,
        ),
    ] = Executor.local,
    address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster to join (auto, ray://host:10001); default: start one.",
            rich_help_panel=EXECUTION,
        ),
    ] = None,
) -> None:
    """Run paraphrasers over datasets, score them and write a leaderboard to results/.

    Flags override the config file; the defaults shown apply when neither sets a value.
    """
    from bench.execution import Execution
    from bench.runner import resume_benchmark, run_benchmark

    execution = Execution(executor.value, workers, address)
    if resume is not None:
        result = resume_benchmark(resume, log=_log, execution=execution)
    else:
        overrides: dict[str, Any] = {
            key: value
            for key, value in {
                "datasets": dataset or None,
                "systems": system or None,
                "metrics": metric or None,
                "output_dir": str(output_dir) if output_dir else None,
                "seed": seed,
                "run_id": run_id,
                "bundled_outputs": bundled_outputs,
                "bootstrap": bootstrap,
                "test": test.value if test else None,
                "baseline": str(baseline) if baseline else None,
            }.items()
            if value is not None
        }
        result = run_benchmark(resolve_config(config, overrides), log=_log, execution=execution)
    typer.echo(render(result.leaderboard, fmt.value, columns.value), nl=False)
    _log(f"results written to {result.run_dir}")
    if html:
        from bench.report import write_report

        _log(f"report written to {write_report(result.run_dir)}")
    _finish(result)


def _finish(result: RunResult) -> None:
    """Gates (exit 1 when one fails) and the GitHub Actions step summary."""
    from bench.config import RunConfig
    from bench.gates import evaluate_gates

    config = RunConfig.from_json(result.manifest.config)
    outcomes = []
    if config.gates:
        outcomes = evaluate_gates(
            result.leaderboard, config.gates, result.run_dir, config.baseline,
            seed=config.seed, resamples=config.bootstrap, alpha=config.alpha,
        )  # fmt: skip
        for outcome in outcomes:
            _log(outcome.line())
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        lines = [render(result.leaderboard, "markdown")]
        if outcomes:
            lines += ["### Gates", ""]
            lines += [f"- {'✅' if o.passed else '❌'} {o.line()}" for o in outcomes]
        with Path(summary).open("a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    failed = [o for o in outcomes if not o.passed]
    if failed:
        raise typer.Exit(1)


@app.command()
@_reports_errors
def score(
    ref: Annotated[Path, typer.Option("--ref", "-r", help="Clean article(s): .txt, .jsonl, .csv.")],
    hyp: Annotated[
        list[str], typer.Option("--hyp", "-p", help="Paraphrase(s): PATH or NAME=PATH; repeatable.")
    ],
    metric: Annotated[
        list[str] | None, typer.Option("--metric", "-m", help="Metric name; repeatable.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
    columns: Annotated[Columns, columns_option()] = Columns.compact,
    details: Annotated[
        bool, typer.Option(help="Add per-article statistics and scores (json format).")
    ] = False,
    bootstrap: Annotated[int, bootstrap_option()] = 0,
    seed: Annotated[int, seed_option()] = DEFAULT_SEED,
) -> None:
    """Score paraphrases you already have against clean articles (document level)."""
    from bench.config import DEFAULT_METRICS, MetricSpec, parse_metric
    from bench.leaderboard import to_json
    from bench.score_files import parse_hypothesis, score_files

    specs = (
        [parse_metric(m, None) for m in metric]
        if metric
        else [MetricSpec(m) for m in DEFAULT_METRICS]
    )
    scored = score_files(
        ref, [parse_hypothesis(h) for h in hyp], specs, bootstrap=bootstrap, seed=seed
    )
    if fmt is Format.json:
        payload = to_json(scored.leaderboard)
        payload["reference"] = str(ref)
        payload["systems"] = {
            row["system"]: {key: value for key, value in row["scores"].items()}
            for row in payload["rows"]
        }
        if details:
            payload["details"] = {
                name: [r.to_json() for r in results] for name, results in scored.details.items()
            }
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        typer.echo(render(scored.leaderboard, fmt.value, columns.value), nl=False)


@app.command()
@_reports_errors
def leaderboard(
    results_dir: Annotated[Path, typer.Argument(help="A run folder under results/.")],
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
    columns: Annotated[Columns, columns_option()] = Columns.compact,
) -> None:
    """Re-render a stored run's leaderboard from its per-article statistics."""
    from bench.results.read import rebuild_leaderboard

    typer.echo(render(rebuild_leaderboard(results_dir), fmt.value, columns.value), nl=False)


@app.command()
@_reports_errors
def compare(
    baseline: Annotated[Path, typer.Argument(help="The earlier run folder.")],
    new: Annotated[Path, typer.Argument(help="The later run folder.")],
    fmt: Annotated[SummaryFormat, typer.Option("--format", "-f")] = SummaryFormat.text,
    bootstrap: Annotated[int, bootstrap_option()] = RUN_DEFAULTS.bootstrap,
    seed: Annotated[int, seed_option()] = DEFAULT_SEED,
) -> None:
    """What changed between two runs, per dataset, system and metric, with significance."""
    from bench.compare import compare_runs, render_comparison

    comparison = compare_runs(baseline, new, resamples=bootstrap, seed=seed)
    typer.echo(render_comparison(comparison, fmt.value), nl=False)


@app.command()
@_reports_errors
def report(
    results_dir: Annotated[Path, typer.Argument(help="A run folder under results/.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write (default: report.html).")
    ] = None,
    articles: Annotated[
        int,
        typer.Option(min=0, help="Articles per system in each list (worst first; changed claims)."),
    ] = 10,
) -> None:
    """Write one self-contained HTML report of a stored run."""
    from bench.report import write_report

    typer.echo(str(write_report(results_dir, output, articles=articles)))


@app.command("list")
@_reports_errors
def list_() -> None:
    """Show the datasets, system types and metrics available."""
    from bench.data.dataset import bundled_datasets, load_manifest_dataset
    from bench.systems import system_types
    from metrics import CATALOGUE

    typer.echo("Datasets:")
    for name, folder in bundled_datasets().items():
        d = load_manifest_dataset(folder, verify=False)
        bundled = f"; systems: {', '.join(d.systems)}" if d.systems else ""
        typer.echo(f"  {name:<12} v{d.version}, {len(d.articles)} articles, {d.licence}{bundled}")
    typer.echo("System types:")
    for type_name, cls in system_types().items():
        typer.echo(f"  {type_name:<12} {cls.summary}")
    typer.echo("Metrics:")
    for name, entry in CATALOGUE.items():
        typer.echo(f"  {name:<12} {entry.factory.direction.arrow} {entry.summary}")


@app.command()
@_reports_errors
def validate(
    path: Annotated[Path, typer.Argument(help="Dataset folder, articles file or outputs file.")],
    dataset: Annotated[
        str | None, typer.Option("--dataset", "-d", help="Check an outputs file against this.")
    ] = None,
) -> None:
    """Check a dataset or outputs file and report every problem found (exit 2 if any)."""
    from bench.validate import validate_path

    report = validate_path(path, against=dataset)
    for line in report.summary:
        typer.echo(line)
    for problem in report.problems:
        typer.echo(f"error: {problem}", err=True)
    if not report.ok:
        typer.echo(f"{len(report.problems)} problem(s) found in {path}", err=True)
        raise typer.Exit(2)
    typer.echo(f"OK: {path}")


app.command("check-metrics")(_reports_errors(check_metrics_command))
app.command("meta-eval")(_reports_errors(meta_eval))


def main() -> None:
    """The ``bench`` console script (see ``[project.scripts]`` in pyproject.toml)."""
    app(prog_name="bench")


if __name__ == "__main__":
    main()
