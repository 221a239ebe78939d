"""Scoring judged items with the metric code of ``bench run``: same tasks, workers and cache.

Items are grouped by clean text; each distinct clean text is prepared once
per metric (``bench.execution.tasks.score_chunk``) and each distinct
(clean, paraphrase) pair is scored once. Results already in the score cache
(``$SPINBENCH_CACHE/scores.sqlite``, shared with ``bench run``) are not
computed again, and fresh ones are stored, so a rerun after a change to one
metric recomputes only that metric.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bench.config import MetricSpec
from bench.execution import Execution, Executor, open_executor
from bench.execution.tasks import ScoreItem, ScoreTask, score_chunk
from bench.meta_eval.items import JudgedItem
from bench.progress import Progress
from bench.score_cache import ScoreCache, entry_key, fingerprint, text_digest
from bench.scoring import ConfiguredMetric, MetricResult


@dataclass
class _Pending:
    """A chunk of distinct clean texts on its way through scoring, and their pairs."""

    references: tuple[str, ...]
    pairs: list[tuple[str, str]]
    found: dict[tuple[str, str], dict[str, MetricResult]]
    items: tuple[ScoreItem, ...]


def score_items(
    items: Sequence[JudgedItem],
    specs: Sequence[MetricSpec],
    metrics: Sequence[ConfiguredMetric],
    *,
    label: str,
    execution: Execution | None = None,
    executor: Executor | None = None,
    cache: ScoreCache | None = None,
) -> list[dict[str, MetricResult]]:
    """Per item, in order: ``{metric key: (statistics, score, diagnostics)}``."""
    by_clean: dict[str, dict[str, None]] = {}
    for item in items:
        by_clean.setdefault(item.clean, {})[item.paraphrase] = None
    cleans = list(by_clean)
    wanted = [m.key for m in metrics]
    prints = {m.key: fingerprint(m) for m in metrics} if cache is not None else {}
    execution = execution or Execution()
    progress = Progress(f"[{label}] scoring", sum(len(p) for p in by_clean.values()))
    flowing: list[_Pending] = []

    def look_up(part: Sequence[str]) -> _Pending:
        pairs = [(clean, hyp) for clean in part for hyp in by_clean[clean]]
        found: dict[tuple[str, str], dict[str, MetricResult]] = {pair: {} for pair in pairs}
        keys: dict[tuple[str, str, str], str] = {}
        if cache is not None:
            for clean, hyp in pairs:
                ref_digest, hyp_digest = text_digest(clean), text_digest(hyp)
                for key in wanted:
                    keys[clean, hyp, key] = entry_key(prints[key], ref_digest, hyp_digest)
            hits = cache.get_many(keys.values())
            for (clean, hyp, key), cache_key in keys.items():
                if cache_key in hits:
                    found[clean, hyp][key] = hits[cache_key]
        index = {clean: i for i, clean in enumerate(part)}
        # A score item's ``system`` is only a label carried back with its result: here, the
        # position of its (clean, paraphrase) pair in ``pairs``.
        todo = tuple(
            ScoreItem(index[clean], str(n), hyp, missing)
            for n, (clean, hyp) in enumerate(pairs)
            if (missing := tuple(k for k in wanted if k not in found[clean, hyp]))
        )
        references = tuple(part) if todo else ()
        return _Pending(references, pairs, found, todo)

    def shipped() -> Iterator[ScoreTask]:
        for low in range(0, len(cleans), execution.chunk):
            part = look_up(cleans[low : low + execution.chunk])
            flowing.append(part)
            yield ScoreTask(tuple(specs), part.references, part.items)

    results: dict[tuple[str, str], dict[str, MetricResult]] = {}
    owned = executor is None
    runner = executor if executor is not None else open_executor(execution)
    try:
        for computed in runner.map(score_chunk, shipped()):
            part = flowing.pop(0)
            fresh: dict[str, MetricResult] = {}
            for task_item, result in zip(part.items, computed, strict=True):
                clean, hyp = part.pairs[int(task_item.system)]
                part.found[clean, hyp] |= result
                if cache is not None:
                    for key, value in result.items():
                        fresh[entry_key(prints[key], text_digest(clean), text_digest(hyp))] = value
            if cache is not None and fresh:
                cache.put_many(fresh)
            for pair in part.pairs:
                results[pair] = part.found[pair]
                progress.advance()
    finally:
        progress.close()
        if owned:
            runner.close()
    return [results[item.clean, item.paraphrase] for item in items]
