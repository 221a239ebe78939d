"""Where a warm run's time goes with the meaning metric: each stage, per paraphrase, on one core.

Usage: python benchmarks/meaning_profile.py [--articles 100] [--words 600]

On the same synthetic corpus as run_speed.py, the clean articles are read
first, untimed (as a warm run finds them in the cache); then each stage of
scoring system 1's paraphrases is timed on its own, in CPU seconds of this
process (steadier than wall time on a shared machine), with its inputs worked
out beforehand:

- the one-off costs of a process: loading the English model and WordNet;
- spaCy's pipeline on the paraphrases (tagger, parser, lemmatizer, entities),
  and each of its components run alone, one after another;
- turning each parse into a reading (``reading.read_doc``);
- the sentence alignment, and the verdicts (the rest of ``verdicts.analyse``);
- every other default metric's statistics (BLEU, chrF, entities, quantities,
  artefacts, PINC, edit distance);
- for scale, sacrebleu's BLEU and chrF of the same paraphrases (``corpus_score``;
  run_speed.py's sacrebleu contender runs its paired bootstrap on top).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_articles, score_articles, system


def cpu(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.process_time()
    found = work()
    return time.process_time() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--words", type=int, default=600)
    args = parser.parse_args()

    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF

    from metrics import CATALOGUE
    from metrics.facts.spacy_ner import CHUNK, chunks, english_model
    from metrics.meaning import align as alignment
    from metrics.meaning.lexicon import Lexicon
    from metrics.meaning.parse import Parser
    from metrics.meaning.reading import join, read_doc
    from metrics.meaning.verdicts import analyse
    from metrics.text import normalise

    refs = make_articles(args.articles, args.words)
    hyps = system(refs, 0)
    texts = [normalise(h).text for h in hyps]
    rows: list[tuple[str, float]] = []

    seconds, nlp = cpu(lambda: english_model().nlp)
    rows.append(("load the English model (once a process)", seconds))
    lexicon = Lexicon()
    seconds, _ = cpu(lambda: lexicon.wordnet)
    rows.append(("load WordNet (once a process)", seconds))

    reader = Parser(None)
    clean = reader.references([normalise(r).text for r in refs])  # untimed: the warm cache
    pieces = [[piece for _, piece in chunks(text, CHUNK)] for text in texts]
    seconds, docs = cpu(lambda: [list(nlp.pipe(p, batch_size=1)) for p in pieces])
    rows.append(("spaCy pipeline on the paraphrases", seconds))
    each = [nlp.make_doc(piece) for text_pieces in pieces for piece in text_pieces]
    for name, component in nlp.pipeline:
        seconds, each = cpu(lambda c=component, d=each: list(c.pipe(d, batch_size=1)))
        rows.append((f"  of which {name}", seconds))

    def readings() -> list[Any]:
        found = []
        for text, text_docs in zip(texts, docs, strict=True):
            parts, first = [], 0
            for piece, doc in zip(chunks(text, CHUNK), text_docs, strict=True):
                parts.append(read_doc(doc, piece[1], "", first))
                first += len(parts[-1].sentences)
            found.append(join("", parts))
        return found

    seconds, read = cpu(readings)
    rows.append(("readings from the parses", seconds))
    # The lexicon's memo warms up as a run goes: time the alignment after one pass.
    for c, p in zip(clean, read, strict=True):
        analyse(c, p, lexicon)
    sentences = [([s.items for s in c.sentences], [s.items for s in p.sentences])
                 for c, p in zip(clean, read, strict=True)]  # fmt: skip
    aligned, _ = cpu(lambda: [alignment.align(c, p, lexicon) for c, p in sentences])
    rows.append(("sentence alignment", aligned))
    analysed, _ = cpu(lambda: [analyse(c, p, lexicon) for c, p in zip(clean, read, strict=True)])
    rows.append(("verdicts (the analysis less its alignment)", analysed - aligned))

    names = ("bleu", "chrf", "entities", "quantities", "artefacts", "pinc", "edit_distance")
    others = [CATALOGUE[name].build() for name in names]
    prepared = [m.prepare_references(refs) for m in others]
    seconds, _ = cpu(lambda: score_articles(others, prepared, hyps))
    rows.append(("the other default metrics' statistics", seconds))
    seconds, _ = cpu(lambda: (BLEU().corpus_score(hyps, [refs]), CHRF().corpus_score(hyps, [refs])))
    rows.append(("for scale: sacrebleu BLEU + chrF corpus_score", seconds))

    print(f"{args.articles} paraphrases of ~{args.words}-word articles, CPU seconds, one core")
    print(f"{'stage':<48} {'seconds':>8} {'ms/paraphrase':>14}")
    for label, seconds in rows:
        per = "" if "once" in label else f"{seconds / len(hyps) * 1000:>14.1f}"
        print(f"{label:<48} {seconds:>8.2f} {per:>14}")


if __name__ == "__main__":
    main()
