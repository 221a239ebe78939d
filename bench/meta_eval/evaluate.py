"""Every measure of one judged set, for every metric, with intervals and paired differences.

All measures of a set share one set of bootstrap resamples (of groups:
MQM segments, or items), so the difference between two metrics on a
resample is a paired difference.

The false-alarm rate of a metric is the share of the items people judged
faithful (label 1; for scores, the best score of the set: MQM 0, no error)
whose metric score is worse than the metric's ``perfect`` score (below it
for higher-is-better metrics, above it for lower-is-better ones). It is
defined for metrics that score a copy best: ``ranking`` gives a copy 0, its
worst score, and the neutral divergence metrics have no better side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from bench.meta_eval import measures
from bench.meta_eval.items import JudgedSet, Judgment
from bench.meta_eval.measures import FloatArray
from bench.scoring import ConfiguredMetric, MetricResult
from metrics import Direction, Metric

FACT_METRICS = ("entities", "quantities")


@dataclass(frozen=True)
class Estimate:
    """A measure's value on the data, with its 95% bootstrap interval."""

    value: float
    low: float | None = None
    high: float | None = None
    n: int | None = None
    """How many items (or pairs, or systems) it rests on, where that is not obvious."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": _number(self.value), "low": _number(self.low),
                               "high": _number(self.high)}  # fmt: skip
        if self.n is not None:
            out["n"] = self.n
        return out


@dataclass(frozen=True)
class Difference:
    """metric - baseline on the same resamples: value, 95% interval, two-sided p."""

    value: float
    low: float | None
    high: float | None
    p: float | None

    def to_json(self) -> dict[str, Any]:
        return {"value": _number(self.value), "low": _number(self.low),
                "high": _number(self.high), "p": self.p}  # fmt: skip


@dataclass
class MetricReport:
    """How one metric agreed with people on one judged set: each measure with its
    interval, its difference from the baseline metric, and its AUC per error type."""

    key: str
    name: str
    direction: str
    signature: str
    measures: dict[str, Estimate] = field(default_factory=dict)
    differences: dict[str, Difference] = field(default_factory=dict)
    """Measure name -> this metric minus the baseline metric."""
    by_type: dict[str, Estimate] = field(default_factory=dict)
    """Type -> AUC of faithful items against unfaithful items of that type."""

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "direction": self.direction,
            "signature": self.signature,
            "measures": {k: v.to_json() for k, v in self.measures.items()},
            "differences": {k: v.to_json() for k, v in self.differences.items()},
            "by_type": {k: v.to_json() for k, v in self.by_type.items()},
        }


@dataclass
class SetReport:
    """Everything measured on one judged set."""

    judged: JudgedSet
    against: str | None
    resamples: int
    seed: int
    groups: int
    metrics: list[MetricReport]
    combined_false_alarm: Estimate | None = None
    type_counts: dict[str, int] = field(default_factory=dict)
    """Type -> unfaithful items of that type (the negatives of its AUC)."""
    seconds: float = 0.0
    """Scoring and measuring, wall-clock."""
    scoring_seconds: float = 0.0

    @property
    def signature(self) -> str:
        """How the intervals and p-values were computed."""
        from bench import __version__

        unit = "group" if self.groups < len(self.judged.items) else "item"
        return (f"meta-eval|resamples:{self.resamples}|seed:{self.seed}|unit:{unit}"
                f"|ci:percentile-95|p:paired-bootstrap-shift|v:{__version__}")  # fmt: skip

    @property
    def primary(self) -> str:
        """The headline segment-level measure: tau-b for scores, AUC for labels."""
        return "tau_b" if self.judged.kind is Judgment.SCORE else "auc"

    def to_json(self) -> dict[str, Any]:
        judged = self.judged
        return {
            "name": judged.name,
            "format": judged.format,
            "sources": judged.sources,
            "judgment": judged.kind.value,
            "items": len(judged.items),
            "faithful": sum(judged.faithful()),
            "groups": self.groups,
            "systems": sorted({i.system for i in judged.items if i.system is not None}),
            "left_out": dict(judged.left_out),
            "notes": judged.notes,
            "type_counts": self.type_counts,
            "primary": self.primary,
            "against": self.against,
            "signature": self.signature,
            "bootstrap": {"resamples": self.resamples, "seed": self.seed,
                          "unit": "group" if self.groups < len(judged.items) else "item"},
            "metrics": [m.to_json() for m in self.metrics],
            "false_alarm_entities_or_quantities": (
                None if self.combined_false_alarm is None else self.combined_false_alarm.to_json()
            ),
            "seconds": {"total": round(self.seconds, 1), "scoring": round(self.scoring_seconds, 1)},
        }  # fmt: skip


def _number(value: float | None) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def oriented(metric: Metric[Any], scores: FloatArray) -> FloatArray:
    """Scores turned so that higher is better (lower-is-better metrics negated)."""
    return -scores if metric.direction is Direction.LOWER else scores


def has_false_alarm(metric: Metric[Any]) -> bool:
    """Does a copy score best on this metric (so that 'worse than perfect' means a doubt)?"""
    if metric.direction is Direction.LOWER:
        return True
    return metric.direction is Direction.HIGHER and metric.perfect > 0


def false_alarms(metric: Metric[Any], scores: FloatArray) -> FloatArray:
    """1.0 where the score is worse than the metric's perfect score."""
    worse = scores > metric.perfect if metric.direction is Direction.LOWER else (
        scores < metric.perfect)  # fmt: skip
    return worse.astype(np.float64)


def _share(part: FloatArray, whole: npt.NDArray[np.bool_], weights: FloatArray) -> FloatArray:
    """Weighted share of ``part`` in ``whole`` per resample (NaN where ``whole`` is empty)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray((part @ weights) / (whole @ weights), dtype=np.float64)


def _estimate(samples: FloatArray, n: int | None = None) -> Estimate:
    span = measures.interval(samples[1:]) if len(samples) > 1 else None
    low, high = span if span is not None else (None, None)
    return Estimate(float(samples[0]), low, high, n)


@dataclass
class _Frame:
    """What every metric of a set is measured against: judgments, groups, resamples."""

    judged: JudgedSet
    group: npt.NDArray[np.int64]
    """Each item's group index."""
    groups: int
    weights: FloatArray
    """(1 + resamples) x groups: the data itself, then each resample's group counts."""
    item_weights: FloatArray
    """items x (1 + resamples): the same, per item."""
    human: FloatArray
    faithful: npt.NDArray[np.bool_]
    has_type: dict[str, npt.NDArray[np.bool_]]
    """Type -> the unfaithful items of that type."""
    of_system: dict[str, npt.NDArray[np.bool_]]
    system_weights: dict[str, FloatArray]
    """System -> its items' rows of ``item_weights``."""
    people: FloatArray
    """(1 + resamples) x systems: each system's mean judgment."""

    @classmethod
    def of(cls, judged: JudgedSet, resamples: int, seed: int) -> _Frame:
        items = judged.items
        units = [i.group if i.group is not None else f"\0{i.id}" for i in items]
        index = {name: g for g, name in enumerate(dict.fromkeys(units))}
        group = np.array([index[u] for u in units], dtype=np.int64)
        weights = measures.resample_groups(len(index), resamples if items else 0, seed)
        faithful = np.array(judged.faithful(), dtype=bool)
        types = sorted({t for i in items for t in i.types})
        systems = sorted({i.system for i in items if i.system is not None})
        of_system = {s: np.array([i.system == s for i in items]) for s in systems}
        item_weights = weights.T[group]
        human = np.array([i.judgment for i in items], dtype=np.float64)
        system_weights = {s: item_weights[chosen] for s, chosen in of_system.items()}
        people = [human[of_system[s]] @ w / w.sum(axis=0) for s, w in system_weights.items()]
        return cls(
            judged=judged,
            group=group,
            groups=len(index),
            weights=weights,
            item_weights=item_weights,
            human=human,
            faithful=faithful,
            has_type={t: np.array([t in i.types for i in items]) & ~faithful for t in types},
            of_system=of_system,
            system_weights=system_weights,
            people=np.stack(people, axis=1) if people else np.zeros((len(weights), 0)),
        )


def _segment_level(frame: _Frame, x: FloatArray) -> dict[str, FloatArray]:
    """tau-b and pairwise accuracy over all pairs and within groups (scores only), and AUC."""
    found: dict[str, FloatArray] = {}
    items = len(frame.human)
    if frame.judged.kind is Judgment.SCORE and items:
        pairs = measures.GroupedPairs(x, frame.human, frame.group, frame.groups)
        counts = pairs.counts(frame.weights)
        found["tau_b"] = measures.tau_b(*counts)
        found["pairwise_accuracy"] = measures.pairwise_accuracy(*counts)
        if frame.groups < items:
            within = pairs.within(frame.weights)
            found["tau_b_within"] = measures.tau_b(*within)
            found["pairwise_accuracy_within"] = measures.pairwise_accuracy(*within)
    if frame.faithful.any() and not frame.faithful.all():
        found["auc"] = measures.roc_auc(x, frame.faithful, frame.item_weights)
    return found


def _system_level(
    frame: _Frame, metric: Metric[Any], statistics: FloatArray
) -> dict[str, FloatArray]:
    """Pearson and pairwise accuracy over systems: corpus scores against mean judgments."""
    if len(frame.of_system) < 2:
        return {}
    machine = [
        oriented(metric, metric.scores(weights.T @ statistics[frame.of_system[system]]))
        for system, weights in frame.system_weights.items()
    ]
    x, y = np.stack(machine, axis=1), frame.people
    found = {"system_accuracy": measures.system_accuracy(x, y)}
    if len(frame.of_system) >= 3:
        found["system_pearson"] = measures.pearson(x, y)
    return found


def _difference(delta: FloatArray) -> Difference:
    """A paired difference: its value on the data, interval and p from the resamples."""
    span = measures.interval(delta[1:]) if len(delta) > 1 else None
    low, high = span if span is not None else (None, None)
    p = measures.paired_p(float(delta[0]), delta[1:]) if len(delta) > 1 else None
    return Difference(float(delta[0]), low, high, p)


def evaluate_set(
    judged: JudgedSet,
    metrics: Sequence[ConfiguredMetric],
    results: Sequence[dict[str, MetricResult]],
    *,
    against: str | None,
    resamples: int,
    seed: int,
) -> SetReport:
    """Every measure for every metric on ``judged``, whose item ``i`` scored ``results[i]``."""
    frame = _Frame.of(judged, resamples, seed)
    faithful = frame.faithful
    samples: dict[str, dict[str, FloatArray]] = {}
    reports: list[MetricReport] = []
    alarms: dict[str, FloatArray] = {}
    for m in metrics:
        metric = m.metric
        raw = np.array([r[m.key][1] for r in results], dtype=np.float64)
        x = oriented(metric, raw)
        statistics = np.array([r[m.key][0] for r in results], dtype=np.float64)
        found = _segment_level(frame, x) | _system_level(frame, metric, statistics)
        counts = dict.fromkeys(("system_pearson", "system_accuracy"), len(frame.of_system))
        if has_false_alarm(metric) and faithful.any():
            alarms[metric.name] = false_alarms(metric, raw)
            found["false_alarm"] = _share(alarms[metric.name] * faithful, faithful,
                                          frame.item_weights)  # fmt: skip
            counts["false_alarm"] = int(faithful.sum())
        report = MetricReport(m.key, metric.name, metric.direction.value, metric.signature)
        report.measures = {k: _estimate(v, counts.get(k)) for k, v in found.items()}
        if faithful.any():
            typed = [t for t, mask in frame.has_type.items() if mask.any()]
            aucs = measures.roc_aucs(x, faithful, [frame.has_type[t] for t in typed],
                                     frame.item_weights)  # fmt: skip
            report.by_type = {t: _estimate(auc, int(frame.has_type[t].sum()))
                              for t, auc in zip(typed, aucs, strict=True)}  # fmt: skip
        samples[m.key] = found
        reports.append(report)

    if against is not None and against in samples:
        baseline = samples[against]
        for report in reports:
            if report.key != against:
                report.differences = {
                    name: _difference(values - baseline[name])
                    for name, values in samples[report.key].items()
                    if name in baseline and name != "false_alarm"
                }

    combined = None
    if all(name in alarms for name in FACT_METRICS):
        either = np.maximum(alarms["entities"], alarms["quantities"])
        combined = _estimate(_share(either * faithful, faithful, frame.item_weights),
                             int(faithful.sum()))  # fmt: skip
    return SetReport(
        judged=judged,
        against=against if against in samples else None,
        resamples=resamples,
        seed=seed,
        groups=frame.groups,
        metrics=reports,
        combined_false_alarm=combined,
        type_counts={t: int(mask.sum()) for t, mask in frame.has_type.items()},
    )
