"""Entity and quantity scoring against sacrebleu's BLEU + chrF, in CPU instructions, side by side.

Usage: python benchmarks/entity_instructions.py [--articles 200] [--words 600]

``benchmarks/entity_speed.py`` times the two in seconds. On a shared machine
seconds drift: the same code has timed 15% apart within half an hour, more
than most changes to the scoring are worth. This counts instructions instead,
with valgrind's callgrind (Debian's ``valgrind`` package), which gives the same
count for the same code and input whatever else the machine is doing. It is a
complement, not a substitute: the target is stated in time, and an instruction
of the scoring and one of sacrebleu need not take the same time.

On the same synthetic corpus as entity_speed, each side runs in its own process
under callgrind, twice: once set up only, once set up and then measured. The
difference is the measured work:

- sacrebleu: ``BLEU().corpus_score`` + ``CHRF().corpus_score`` of system 2;
- spinbench: the statistics of ``entities``, ``quantities`` and ``artefacts``
  for every article of system 2, after system 1 has been scored (the clean
  articles are parsed before, outside callgrind, into a cache the processes
  read), as a run scores every system after the first.

Callgrind runs code some 50 times slower than it runs alone, so the default is
200 articles, not entity_speed's 1,000.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_articles, score_articles, system


def child(side: str, measured: bool, refs: list[str]) -> None:
    """One process under callgrind: set up a side, then (if ``measured``) do its work."""
    first, second = system(refs, 0), system(refs, 1)  # systems 1 and 2
    if side == "sacrebleu":
        from sacrebleu.metrics.bleu import BLEU
        from sacrebleu.metrics.chrf import CHRF

        if measured:
            BLEU().corpus_score(second, [refs])
            CHRF().corpus_score(second, [refs])
        return
    from metrics import Artefacts, Entities, Quantities
    from metrics.base import Metric
    from metrics.facts.extract import FactExtractor, Span, default_cache_dir
    from metrics.facts.spacy_ner import load_english_model

    class CachedOnly:
        """The model's signature, to find the parent's cache, and no parsing: a clean
        article missing from the cache (code changed since the parent parsed) stops
        the run instead of being parsed by spaCy under callgrind, for hours."""

        signature = load_english_model().signature

        def spans(self, texts: Sequence[str]) -> list[list[Span]]:
            raise SystemExit(f"{len(texts)} clean articles not in the cache")

    extractor = FactExtractor(CachedOnly(), default_cache_dir())
    metrics: list[Metric[Any]] = [
        Entities(extractor=extractor), Quantities(extractor=extractor), Artefacts()
    ]  # fmt: skip

    def score(hyps: list[str]) -> None:
        score_articles(metrics, [metric.prepare_references(refs) for metric in metrics], hyps)

    score(first)  # the first system: facts read from the cache, memos filled
    if measured:
        score(second)


def instructions(args: argparse.Namespace, side: str, measured: bool, folder: Path) -> int:
    """The instructions callgrind counts in a child process."""
    out = folder / f"{side}-{int(measured)}.callgrind"
    command = [
        "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
        sys.executable, __file__, "--articles", str(args.articles), "--words", str(args.words),
        "--child", side, *(["--measured"] if measured else []),
    ]  # fmt: skip
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        raise SystemExit(f"{side} under callgrind failed:\n{done.stderr[-2000:]}")
    for line in out.read_text(encoding="utf-8").splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise SystemExit(f"{out}: callgrind wrote no instruction total")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--child", choices=("sacrebleu", "spinbench"), help=argparse.SUPPRESS)
    parser.add_argument("--measured", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    refs = make_articles(args.articles, args.words)
    if args.child:
        child(args.child, args.measured, refs)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind's callgrind: apt-get install valgrind")

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        # The clean articles parsed here, natively, into a cache the children read.
        os.environ["SPINBENCH_CACHE"] = str(folder / "facts")
        from metrics.facts.fidelity import default_extractor

        default_extractor().extract(refs)
        runs = [(side, measured) for side in ("sacrebleu", "spinbench") for measured in (0, 1)]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            found = pool.map(lambda run: instructions(args, run[0], bool(run[1]), folder), runs)
            counts = dict(zip(runs, found, strict=True))
    per_article = {
        side: (counts[side, 1] - counts[side, 0]) / args.articles
        for side in ("sacrebleu", "spinbench")
    }
    print(f"{args.articles} articles of ~{args.words} words; system 2; "
          f"instructions per article (callgrind)")  # fmt: skip
    print(f"{'BLEU+chrF':>14} {'ours':>14} {'ours/sacrebleu':>15}")
    sacre, ours = per_article["sacrebleu"], per_article["spinbench"]
    print(f"{sacre:>14,.0f} {ours:>14,.0f} {ours / sacre:>14.1%}")


if __name__ == "__main__":
    main()
