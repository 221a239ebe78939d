"""Resampling speed: intervals, all-pairs tests and clusters from statistics, beside sacrebleu.

Usage: python benchmarks/stats_speed.py [--articles 2000] [--systems 10] [--resamples 1000]

Builds the per-article statistics of every default metric for ``--systems``
damaged copies of a synthetic corpus (untimed set-up: this is what a run has
already computed), then times, in one process:

- ours: ``bench.stats.analyse`` over all metrics and all systems: 95%
  intervals, every pairwise paired-bootstrap test, Holm, rank clusters;
- sacrebleu: ``PairedTest(test_type="bs", n_samples=N)`` for BLEU and chrF on
  the first 3 systems (which re-extracts its statistics from text, as it must).

Peak memory of the whole process is printed too (ru_maxrss).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_articles, system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--systems", type=int, default=10)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--skip-sacrebleu", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("SPINBENCH_CACHE", "off")

    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.significance import PairedTest

    from bench.config import DEFAULT_METRICS, MetricSpec
    from bench.scoring import build_metrics
    from bench.specs import DEFAULT_SEED
    from bench.stats import analyse

    refs = make_articles(args.articles)
    systems = {f"sys{s}": system(refs, s) for s in range(args.systems)}
    metrics = build_metrics([MetricSpec(name) for name in DEFAULT_METRICS])
    start = time.perf_counter()
    statistics: dict[str, dict[str, np.ndarray]] = {m.key: {} for m in metrics}
    prepared = {m.key: m.metric.prepare_references(refs) for m in metrics}
    for name, hyps in systems.items():
        rows: dict[str, list[list[float]]] = {m.key: [] for m in metrics}
        for i, hyp in enumerate(hyps):
            for m in metrics:
                rows[m.key].append(m.metric.statistics(hyp, prepared[m.key][i]))
        for m in metrics:
            statistics[m.key][name] = np.array(rows[m.key], dtype=np.float64)
    setup = time.perf_counter() - start
    width = sum(next(iter(v.values())).shape[1] for v in statistics.values())
    print(
        f"{args.articles} articles x {args.systems} systems, {len(metrics)} metrics "
        f"({width} statistics columns), {args.resamples} resamples; set-up {setup:.0f} s"
    )

    start = time.perf_counter()
    found = analyse([(m.key, m.metric) for m in metrics], statistics,
                    resamples=args.resamples, seed=DEFAULT_SEED)  # fmt: skip
    ours = time.perf_counter() - start
    pairs = len(found.comparisons)
    print(f"ours: {ours:.2f} s for intervals of {len(metrics)} x {args.systems} scores, "
          f"{pairs} paired tests with Holm, clusters")  # fmt: skip

    if not args.skip_sacrebleu:
        three = list(systems.items())[:3]
        start = time.perf_counter()
        PairedTest(three, {"BLEU": BLEU(), "chrF": CHRF()}, [refs], test_type="bs",
                   n_samples=args.resamples)()  # fmt: skip
        theirs = time.perf_counter() - start
        print(f"sacrebleu PairedTest, BLEU + chrF, 3 systems: {theirs:.2f} s")
        print(f"ratio (ours / sacrebleu): {ours / theirs:.1%}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (whole process): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
