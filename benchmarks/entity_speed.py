"""A speed guard: entity and quantity scoring time against sacrebleu's BLEU + chrF.

Usage: python benchmarks/entity_speed.py [--articles 1000] [--words 600] [--systems 3]
       [--limit 0.20]

For each system (a seeded damaged copy of the corpus) it times:

- sacrebleu: ``BLEU().corpus_score`` + ``CHRF().corpus_score``, each article one segment;
- sacrebleu with its reference cache: ``BLEU(references=...)`` and ``CHRF(references=...)``
  built once before the first system (the build is timed on its own), then
  ``corpus_score(hyps, None)`` per system: sacrebleu's own way of not reading the
  references again for every system, as spinbench does not parse them again;
- spinbench: the statistics of ``entities``, ``quantities`` and ``artefacts``
  for every article. The first system pays for parsing the clean articles with
  spaCy (the reference cache is cold, and the on-disk cache is off); later
  systems find them in the cache, as every system after the first does in a run.

The guard: for the systems after the first, entity scoring costs at most ``--limit``
(20%) of sacrebleu's plain BLEU + chrF on the same corpus, both summed over those
systems. It prints the figure and PASS or FAIL, and exits 1 on FAIL. The ratio against
sacrebleu with its reference cache is printed too, for information.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_articles, score_articles, system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--systems", type=int, default=3)
    parser.add_argument("--limit", type=float, default=0.20)
    args = parser.parse_args()
    if args.systems < 2:
        parser.error("--systems must be at least 2: the guard times the systems after the first")
    os.environ["SPINBENCH_CACHE"] = "off"  # time the parse itself, not a previous run's cache

    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF

    from metrics import Artefacts, Entities, Quantities
    from metrics.facts.fidelity import default_extractor

    refs = make_articles(args.articles, args.words)
    systems = [system(refs, s) for s in range(args.systems)]
    start = time.perf_counter()
    extractor = default_extractor()
    load = time.perf_counter() - start
    metrics = [Entities(extractor=extractor), Quantities(extractor=extractor), Artefacts()]

    start = time.perf_counter()
    cached = (BLEU(references=[refs]), CHRF(references=[refs]))
    build = time.perf_counter() - start

    print(f"{args.articles} articles of ~{args.words} words, {args.systems} systems; "
          f"{os.cpu_count()} cores, one used; model load {load:.1f} s; "
          f"sacrebleu's reference cache built in {build:.1f} s")  # fmt: skip
    print(f"{'system':<8} {'BLEU+chrF (s)':>14} {'refs cached (s)':>16} {'ours (s)':>10} "
          f"{'ours/sacrebleu':>15} {'ours/cached':>12}")  # fmt: skip
    later_ours = later_sacre = 0.0
    for number, hyps in enumerate(systems, start=1):
        start = time.perf_counter()
        plain = [BLEU().corpus_score(hyps, [refs]), CHRF().corpus_score(hyps, [refs])]
        sacre = time.perf_counter() - start

        start = time.perf_counter()
        from_cache = [metric.corpus_score(hyps, None) for metric in cached]
        warm = time.perf_counter() - start
        if [s.score for s in plain] != [s.score for s in from_cache]:
            raise SystemExit(f"system {number}: sacrebleu's cached references scored differently")

        start = time.perf_counter()
        score_articles(metrics, [metric.prepare_references(refs) for metric in metrics], hyps)
        ours = time.perf_counter() - start
        note = " (parses the clean articles)" if number == 1 else ""
        if number > 1:
            later_ours += ours
            later_sacre += sacre
        print(f"{number:<8} {sacre:>14.2f} {warm:>16.2f} {ours:>10.2f} "
              f"{ours / sacre:>14.1%} {ours / warm:>11.1%}{note}")  # fmt: skip
    ratio = later_ours / later_sacre
    verdict = "PASS" if ratio <= args.limit else "FAIL"
    print(f"systems 2-{args.systems}: entity scoring {ratio:.1%} of sacrebleu's plain "
          f"BLEU+chrF (limit {args.limit:.0%}): {verdict}")  # fmt: skip
    if verdict == "FAIL":
        raise SystemExit(1)


if __name__ == "__main__":
    main()
