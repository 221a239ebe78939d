"""Precision and recall of the reference-side extractor against the news set's gold annotations.

Usage: python tools/extractor_accuracy.py [--dataset datasets/news]

Three views, all micro-averaged over the 32 articles:

- entity mentions: a predicted name span counts when its offsets and its type
  group (GPE and LOC together) equal a gold span's;
- entity facts: what the entity metric actually uses, one fact per distinct
  canonical name per article (type ignored), predicted vs gold;
- quantity mentions: offsets and kind equal; and, for comparison, spaCy's own
  numeric labels scored the same way, which is why we parse quantities ourselves.

The metric cards quote this script's output.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from metrics.facts.extract import NAME_LABELS, _clean_spans
from metrics.facts.fidelity import default_extractor
from metrics.facts.names import canonical
from metrics.facts.quantities import KINDS, find_quantities

GROUP = {label: label for label in NAME_LABELS} | {"LOC": "GPE"}


def prf(tp: int, predicted: int, gold: int) -> str:
    p = tp / predicted if predicted else 1.0
    r = tp / gold if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {tp}, predicted {predicted}, gold {gold})"


def main(folder: Path) -> None:
    articles = [json.loads(x) for x in (folder / "articles.jsonl").open(encoding="utf-8")]
    gold = {g["id"]: g["mentions"] for g in map(json.loads, (folder / "gold.jsonl").open())}
    extractor = default_extractor()
    texts = [a["text"] for a in articles]
    raw_spans = extractor.ner.spans(texts)
    facts = extractor.extract(texts)

    counts: Counter[str] = Counter()
    per_label: Counter[tuple[str, str]] = Counter()
    for article, spans, found in zip(articles, raw_spans, facts, strict=True):
        text = article["text"]
        mentions = gold[article["id"]]
        gold_names = {
            (m["start"], m["end"], GROUP[m["label"]]) for m in mentions if m["label"] in GROUP
        }
        ours = {(s, e, GROUP[label]) for s, e, label in _clean_spans(text, spans)}
        counts["name_tp"] += len(gold_names & ours)
        counts["name_pred"] += len(ours)
        counts["name_gold"] += len(gold_names)
        for _, _, group in gold_names:
            per_label[(group, "gold")] += 1
        for _, _, group in gold_names & ours:
            per_label[(group, "tp")] += 1

        gold_keys = {canonical(m["text"]) for m in mentions if m["label"] in GROUP}
        fact_keys = [{canonical(s) for s in f.surfaces} for f in found.entities]
        counts["fact_tp_pred"] += sum(1 for keys in fact_keys if keys & gold_keys)
        counts["fact_tp_gold"] += sum(1 for k in gold_keys if any(k in keys for keys in fact_keys))
        counts["fact_pred"] += len(fact_keys)
        counts["fact_gold"] += len(gold_keys)

        gold_q = {(m["start"], m["end"], m["label"]) for m in mentions if m["label"] in KINDS}
        ours_q = {(q.start, q.end, q.kind) for q in find_quantities(text)}
        spacy_q = {(s, e, label) for s, e, label in spans if label in KINDS}
        counts["q_tp"] += len(gold_q & ours_q)
        counts["q_pred"] += len(ours_q)
        counts["q_gold"] += len(gold_q)
        counts["sq_tp"] += len(gold_q & spacy_q)
        counts["sq_pred"] += len(spacy_q)
        for kind in KINDS:
            g = {x for x in gold_q if x[2] == kind}
            counts[f"{kind}_gold"] += len(g)
            counts[f"{kind}_ours"] += len(g & ours_q)
            counts[f"{kind}_spacy"] += len(g & spacy_q)

    print(f"extractor: {extractor.signature}")
    print(
        "entity mentions (span + type group): "
        + prf(counts["name_tp"], counts["name_pred"], counts["name_gold"])
    )
    for group in sorted({g for g, _ in per_label}):
        gold_n = per_label[(group, "gold")]
        print(f"  recall {group:<12} {per_label[(group, 'tp')] / gold_n:.3f} of {gold_n}")
    p = counts["fact_tp_pred"] / counts["fact_pred"]
    r = counts["fact_tp_gold"] / counts["fact_gold"]
    print(
        f"entity facts (distinct names per article): P {p:.3f}  R {r:.3f}  "
        f"F1 {2 * p * r / (p + r):.3f}  (predicted {counts['fact_pred']}, "
        f"gold {counts['fact_gold']})"
    )
    print(
        "quantity mentions, our parser (span + kind): "
        + prf(counts["q_tp"], counts["q_pred"], counts["q_gold"])
    )
    print(
        "quantity mentions, spaCy's labels (span + kind): "
        + prf(counts["sq_tp"], counts["sq_pred"], counts["q_gold"])
    )
    for kind in KINDS:
        gold_n = counts[f"{kind}_gold"]
        print(
            f"  recall {kind:<8} ours {counts[f'{kind}_ours'] / gold_n:.3f}, "
            f"spaCy {counts[f'{kind}_spacy'] / gold_n:.3f} (of {gold_n})"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=Path("datasets/news"))
    main(parser.parse_args().dataset)
