"""BLEU and chrF statistics, ours (numpy-packed n-grams) against sacrebleu's, side by side.

Usage: python benchmarks/ngram_speed.py [--articles 2000] [--words 600] [--systems 3]

On one core, for ``--systems`` damaged copies of a synthetic corpus, times:

- sacrebleu: ``BLEU().corpus_score`` and ``CHRF().corpus_score`` per system
  (each article one segment), which count the references again every time;
- ours, cold: prepare the references once, then the statistics of every
  system and the corpus scores from their sums;
- ours, hypotheses only: the same without preparing the references, as in a
  run whose reference side is already done (the per-system cost).

Every score is checked to be the same float as sacrebleu's before the table
is printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_articles, system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--systems", type=int, default=3)
    args = parser.parse_args()

    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF

    from metrics import Bleu, Chrf

    refs = make_articles(args.articles, args.words)
    systems = [system(refs, s) for s in range(args.systems)]

    start = time.perf_counter()
    theirs = [(BLEU().corpus_score(h, [refs]).score, CHRF().corpus_score(h, [refs]).score)
              for h in systems]  # fmt: skip
    sacre = time.perf_counter() - start

    start = time.perf_counter()
    bleu, chrf = Bleu(), Chrf()
    bleu_refs, chrf_refs = bleu.prepare_references(refs), chrf.prepare_references(refs)
    prepared = time.perf_counter() - start
    ours = []
    for hyps in systems:
        b = bleu.sum(bleu.statistics(h, r) for h, r in zip(hyps, bleu_refs, strict=True))
        c = chrf.sum(chrf.statistics(h, r) for h, r in zip(hyps, chrf_refs, strict=True))
        ours.append((bleu.score_from_statistics(b).score, chrf.score_from_statistics(c).score))
    total = time.perf_counter() - start
    if ours != theirs:
        raise SystemExit(f"scores differ: ours {ours}, sacrebleu {theirs}")

    units = args.articles * args.systems
    print(f"{args.articles} articles of ~{args.words} words x {args.systems} systems, one core "
          f"(of {os.cpu_count()}); scores equal to sacrebleu's, float for float")  # fmt: skip
    print(f"{'BLEU + chrF':<46} {'seconds':>8} {'articles/s':>10} {'vs sacrebleu':>13}")
    for label, seconds in (
        ("sacrebleu corpus_score", sacre),
        ("ours, references prepared once", total),
        ("ours, hypotheses only (references ready)", total - prepared),
    ):
        print(f"{label:<46} {seconds:>8.2f} {units / seconds:>10.0f} {seconds / sacre:>12.0%}")


if __name__ == "__main__":
    main()
