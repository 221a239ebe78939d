"""Where the time of entity and quantity scoring goes: each stage of one paraphrase's analysis.

Usage: python benchmarks/entity_profile.py [--articles 300] [--words 600] [--repeat 5]

``benchmarks/entity_speed.py`` gives the total against sacrebleu; this gives the
parts. On the same synthetic corpus it parses the clean articles (with the
default extractor and its cache), analyses system 1's paraphrases as a run's
first system would (so the per-article memos are as warm as a second system
finds them), then times each stage of the analysis of system 2 on its own, with
its inputs worked out beforehand: the best of ``--repeat`` passes over every
article, in microseconds per paraphrase.

The stages are the analysis's own functions, private ones included: this is a
profile of the implementation, and it changes with it. The last two rows time
the whole analysis (uncached) and the three metrics' statistics as
entity_speed times them.
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


def best(setup: Callable[[], Any], work: Callable[[Any], Any], repeat: int, count: int) -> float:
    """Microseconds per article of the fastest of ``repeat`` runs of ``work`` on what
    ``setup`` (untimed) gives."""
    times = []
    for _ in range(repeat):
        inputs = setup()
        start = time.perf_counter()
        work(inputs)
        times.append(time.perf_counter() - start)
    return min(times) / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from metrics import Artefacts, Entities, Quantities
    from metrics.facts import match, paraphrase, quantities
    from metrics.facts.fidelity import default_extractor
    from metrics.facts.quantity_match import classify_quantities
    from metrics.facts.quantity_places import places

    refs = make_articles(args.articles, args.words)
    first, second = system(refs, 0), system(refs, 1)
    extractor = default_extractor()
    start = time.perf_counter()
    facts = extractor.extract(refs)
    parse = time.perf_counter() - start
    for ref, hyp in zip(facts, first, strict=True):
        match.analyse(ref, hyp)  # the first system: reference indexes and memos built
    index = [match._index(ref) for ref in facts]
    judged_by_system_1 = [dict(ix.judged) for ix in index]
    pairs = list(zip(facts, index, second, strict=True))
    metrics = [Entities(extractor=extractor), Quantities(extractor=extractor), Artefacts()]
    prepared = [m.prepare_references(refs) for m in metrics]

    def texts() -> list[str]:
        return second

    def read() -> list[paraphrase.Paraphrase]:
        """Fresh paraphrases (nothing cached yet) with their capitalised runs read."""
        found = [paraphrase.Paraphrase(h) for h in second]
        for p in found:
            p.runs  # noqa: B018
        return found

    def spans() -> list[list[paraphrase.Token]]:
        """System 2's name spans, with the names judged so far those of system 1 alone."""
        for ix, judged in zip(index, judged_by_system_1, strict=True):
            ix.judged.clear()
            ix.judged.update(judged)
        return [paraphrase.name_spans(h, paraphrase.capitalised_runs(h), r.vocabulary)
                for r, _, h in pairs]  # fmt: skip

    def found_quantities() -> list[tuple[list[quantities.Quantity], list[str]]]:
        found = [quantities.find_quantities(h) for h in second]
        return [(f, [q.key for q in f]) for f in found]

    def name_spans(ps: list[paraphrase.Paraphrase]) -> None:
        for (ref, _, _), p in zip(pairs, ps, strict=True):
            paraphrase.name_spans(p.text, p.runs, ref.vocabulary)

    def entities_found(ps: list[paraphrase.Paraphrase]) -> None:
        for (_, ix, _), p in zip(pairs, ps, strict=True):
            for entity in ix.entities:
                match._find_entity(entity, p)

    def entities(ps: list[paraphrase.Paraphrase]) -> None:
        for (_, ix, _), p in zip(pairs, ps, strict=True):
            match._classify_entities(ix.entities, p)

    def judged(found: list[list[paraphrase.Token]]) -> None:
        for (_, ix, _), names in zip(pairs, found, strict=True):
            ix.judge([name.text for name in names])

    def classified(found: list[tuple[list[quantities.Quantity], list[str]]]) -> None:
        for (_, ix, h), (qs, keys) in zip(pairs, found, strict=True):
            classify_quantities(ix.quantities, qs, keys, ix.quantity_keys, h)

    def artefacts(hs: list[str]) -> None:
        for i, h in enumerate(hs):
            metrics[2].statistics(h, prepared[2][i])

    def analysis(hs: list[str]) -> None:
        for (ref, _, _), h in zip(pairs, hs, strict=True):
            match._analyse.__wrapped__(ref, h)

    def statistics(hs: list[str]) -> None:
        match._analyse.cache_clear()
        score_articles(metrics, prepared, hs)

    stages: list[tuple[str, Callable[[], Any], Callable[[Any], Any]]] = [
        ("capitalised runs", texts, lambda hs: [paraphrase.capitalised_runs(h) for h in hs]),
        ("name spans", read, name_spans),
        ("entities: as written or in another form", read, entities_found),
        ("entities: all, with near misses", read, entities),
        ("names judged (those of system 1 known)", spans, judged),
        ("quantities: where matches can begin", texts, lambda hs: [*map(places, hs)]),
        ("quantities: the whole parser", texts, lambda hs: [*map(quantities.find_quantities, hs)]),
        ("quantities: classified", found_quantities, classified),
        ("artefacts", texts, artefacts),
        ("whole analysis (uncached)", texts, analysis),
        ("statistics of the three metrics", texts, statistics),
    ]  # fmt: skip
    print(f"{len(refs)} articles of ~{args.words} words; clean side read in {parse:.1f} s "
          f"(cached unless SPINBENCH_CACHE=off); system 2, best of {args.repeat}")  # fmt: skip
    print(f"{'stage':<42} {'µs/paraphrase':>14}")
    for label, setup, work in stages:
        print(f"{label:<42} {best(setup, work, args.repeat, len(refs)):>14.1f}")


if __name__ == "__main__":
    main()
