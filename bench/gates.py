"""CI gates: floors per metric and system, and regressions against a baseline run.

A regression gate fails only when the drop is larger than allowed *and* the
paired bootstrap says it is significant, so noise on a small dataset does not
break a build. ``bench run`` exits 1 when a gate fails and names it on one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.compare import compare_runs
from bench.config import GateSpec
from bench.errors import BenchError
from bench.leaderboard import Leaderboard
from metrics import Direction


@dataclass(frozen=True)
class GateResult:
    """One gate checked on one system and dataset: whether it passed, and the numbers why."""

    gate: GateSpec
    dataset: str
    system: str
    passed: bool
    detail: str

    def line(self) -> str:
        """The result as one line for stderr and the GitHub step summary."""
        state = "passed" if self.passed else "FAILED"
        return (f"gate {state}: {self.gate.describe()} for {self.system} on {self.dataset}: "
                f"{self.detail}")  # fmt: skip


def check_gates(gates: tuple[GateSpec, ...], metric_keys: set[str], baseline: Path | None) -> None:
    """Reject gates that cannot be evaluated, before a run spends any time."""
    for gate in gates:
        if gate.metric not in metric_keys:
            raise BenchError(f"gate on {gate.metric!r}: the run has no such metric "
                             f"(it has {', '.join(sorted(metric_keys))})")  # fmt: skip
    if any(g.max_regression is not None for g in gates):
        if baseline is None:
            raise BenchError("a max_regression gate needs a baseline run (--baseline or "
                             "'baseline' in the config)")  # fmt: skip
        if not (baseline / "manifest.json").is_file():
            raise BenchError("the baseline is not a run folder (no manifest.json)", path=baseline)


def evaluate_gates(
    board: Leaderboard, gates: tuple[GateSpec, ...], run_dir: Path, baseline: Path | None,
    *, seed: int, resamples: int, alpha: float,
) -> list[GateResult]:  # fmt: skip
    """Check every gate of the configuration on every contestant it names (reference rows
    never count): ``min`` and ``max`` against the finished run's scores, and
    ``max_regression`` against the baseline run, as ``bench compare`` measures it."""
    keys = {m.key for m in board.metrics}
    directions = {m.key: Direction(m.direction) for m in board.metrics}
    regression = None
    if any(g.max_regression is not None for g in gates):
        if baseline is None:
            raise BenchError("a max_regression gate needs a baseline run (--baseline or "
                             "'baseline' in the config)")  # fmt: skip
        changes = compare_runs(baseline, run_dir, resamples=max(resamples, 1000), seed=seed,
                               alpha=alpha).changes  # fmt: skip
        regression = {(c.dataset, c.system, c.metric): c for c in changes}
    results = []
    for gate in gates:
        if gate.metric not in keys:
            raise BenchError(f"gate on {gate.metric!r}: the run has no such metric "
                             f"(it has {', '.join(sorted(keys))})")  # fmt: skip
        rows = [r for r in board.rows if not r.reference
                and (gate.system is None or r.system == gate.system)
                and (gate.dataset is None or r.dataset == gate.dataset)]  # fmt: skip
        if not rows:
            raise BenchError(f"gate {gate.describe()!r} matches no system of this run")
        for row in rows:
            score = row.scores[gate.metric].score
            problems = []
            if gate.min is not None and score < gate.min:
                problems.append(f"{score:.4g} < {gate.min:g}")
            if gate.max is not None and score > gate.max:
                problems.append(f"{score:.4g} > {gate.max:g}")
            detail = f"{score:.4g}"
            if gate.max_regression is not None and regression is not None:
                change = regression.get((row.dataset, row.system, gate.metric))
                if change is None:
                    detail += " (not in the baseline)"
                else:
                    sign = 1 if directions[gate.metric] is not Direction.LOWER else -1
                    drop = -sign * change.difference
                    detail += f", baseline {change.baseline:.4g}, p = {change.p:.3g}"
                    if drop > gate.max_regression and change.significant:
                        problems.append(f"dropped {drop:.4g} (significant, p = {change.p:.3g})")
            results.append(GateResult(gate, row.dataset, row.system, not problems,
                                      "; ".join(problems) or detail))  # fmt: skip
    return results
