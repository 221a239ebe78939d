"""Per-article metric results, cached by content across runs.

A metric's result on one article depends only on the metric (its signature,
options and code) and the two texts, so it is stored under
``sha256(metric fingerprint, clean text digest, paraphrase digest)``. A rerun
with nothing changed, or a resumed run, finds every result here and scores
nothing; a run that adds one metric or one system computes only what is new.

The cache is one SQLite file, ``$SPINBENCH_CACHE/scores.sqlite``
(``~/.cache/spinbench`` by default, ``SPINBENCH_CACHE=off`` disables it),
safe for runs that share it at once. The metric fingerprint includes a digest
of the ``metrics`` package's source, so changed metric code never reads
results computed by older code. A cache that cannot be opened or written only
costs time: the run goes on without it.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import metrics
from bench.cache_folder import cache_folder
from bench.scoring import ConfiguredMetric, MetricResult

BATCH = 500
"""Keys per SQL query (SQLite allows 32,766 parameters; smaller batches keep locks short)."""


@cache
def metrics_code_digest() -> str:
    """sha256 of every source file of the ``metrics`` package."""
    digest = hashlib.sha256()
    root = Path(metrics.__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(metric: ConfiguredMetric) -> str:
    """What a metric's result depends on besides the two texts."""
    m = metric.metric
    payload = json.dumps(
        [m.name, m.signature, m.options, metrics_code_digest()], sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def text_digest(text: str) -> str:
    """sha256 of a text, the form in which a clean article or paraphrase enters a key
    (a lone surrogate, which some inputs carry, is hashed rather than refused)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def entry_key(fingerprint: str, reference_digest: str, hypothesis_digest: str) -> str:
    """The cache key of one metric's result on one (clean article, paraphrase) pair."""
    return hashlib.sha256(
        f"{fingerprint}|{reference_digest}|{hypothesis_digest}".encode()
    ).hexdigest()


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _row(value: Any) -> MetricResult | None:
    """A stored row as a metric result, or None when it is not one: a JSON list of the
    statistics (finite numbers), the score (a number) and the diagnostics."""
    try:
        data: Any = json.loads(value) if isinstance(value, str | bytes) else None
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, list) or len(data) != 3:
        return None
    statistics, score, diagnostics = data
    if not isinstance(statistics, list) or not _is_number(score):
        return None
    if not all(_is_number(x) and math.isfinite(x) for x in statistics):
        return None
    return statistics, score, diagnostics


class ScoreCache:
    """The SQLite file of per-article metric results, keyed by ``entry_key``.

    Every read and write goes by batches, and an SQLite error on either is a miss or a
    write skipped, never a failed run.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bad_rows = 0
        """Rows read that did not fit a metric result (damaged, or written by another tool):
        each was a miss, and its result computed again."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT)")

    @classmethod
    def default(cls) -> ScoreCache | None:
        """The cache in ``$SPINBENCH_CACHE`` (or ~/.cache/spinbench); None when it is
        turned off or cannot be opened, and the run scores everything."""
        root = cache_folder()
        if root is None:
            return None
        try:
            return cls(root / "scores.sqlite")
        except (OSError, sqlite3.Error):
            return None

    def get_many(self, keys: Iterable[str]) -> dict[str, MetricResult]:
        """The results stored under ``keys``; a key missing from the answer is computed.
        A row that is not a metric result is counted in ``bad_rows`` and left out."""
        wanted = list(keys)
        found: dict[str, MetricResult] = {}
        try:
            for start in range(0, len(wanted), BATCH):
                batch = wanted[start : start + BATCH]
                marks = ",".join("?" * len(batch))
                query = f"SELECT key, value FROM results WHERE key IN ({marks})"
                for key, value in self._db.execute(query, batch):
                    result = _row(value)
                    if result is None:
                        self.bad_rows += 1
                    else:
                        found[key] = result
        except sqlite3.Error:
            return found
        return found

    def put_many(self, entries: Mapping[str, MetricResult]) -> None:
        """Store results in one transaction, replacing any row under the same key."""
        rows = [(k, json.dumps(list(v), ensure_ascii=False)) for k, v in entries.items()]
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", rows)
        except sqlite3.Error:
            return

    def close(self) -> None:
        """Close the database file (the run's writes are already committed)."""
        self._db.close()
