"""Speed of the meaning metric's model judge: aligned pairs against every sentence pair.

On the bundled news set (clean articles against the bundled careful-rewrite
paraphrases), the judge runs an untrained model of a real checkpoint's size on

- the aligned pairs, both directions (what ``meaning`` with ``model=`` runs):
  each paraphrase sentence against its aligned clean sentences, and back;
- every clean sentence with every paraphrase sentence (one direction), the
  full matrix a judge without alignment would run;

with the same model, batch size and sorting, one call per article as the
metric makes, in one process, and prints pairs per second and the ratio of
the two times and of the token positions run (the work, whatever the load
of the machine). A second pass over the aligned pairs shows the cache (no
model call). Parsing and alignment are done
before the clock starts. Weights are random (no NLI weights can be had on this
machine), so only the speed means anything; the tokenizer is a WordPiece
vocabulary trained on the articles, so the token counts are realistic.

    PYTHONPATH=. python benchmarks/nli_speed.py --size deberta-v3-base --articles 2
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT / "datasets" / "news"


def build_model(size: str, texts: list[str], folder: Path) -> int:
    """Save an untrained classifier of ``size`` and a WordPiece tokenizer; its parameters."""
    import torch
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from tokenizers.trainers import WordPieceTrainer
    from transformers import (
        AutoModelForSequenceClassification,
        BertConfig,
        DebertaV2Config,
        PreTrainedTokenizerFast,
    )

    core = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    core.normalizer = normalizers.BertNormalizer(lowercase=False)
    core.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    core.decoder = decoders.WordPiece()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
    core.train_from_iterator(texts, WordPieceTrainer(vocab_size=8000, special_tokens=specials))
    core.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", 2), ("[SEP]", 3)],
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, pad_token="[PAD]", unk_token="[UNK]", cls_token="[CLS]",
        sep_token="[SEP]", model_max_length=512,
    )  # fmt: skip
    labels = {"id2label": {0: "entailment", 1: "neutral", 2: "contradiction"}}
    config: Any
    if size == "deberta-v3-base":  # microsoft/deberta-v3-base's shape
        config = DebertaV2Config(
            vocab_size=128100, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
            intermediate_size=3072, relative_attention=True, position_buckets=256,
            max_relative_positions=-1, pos_att_type=["p2c", "c2p"], norm_rel_ebd="layer_norm",
            share_att_key=True, position_biased_input=False, type_vocab_size=0, **labels,
        )  # fmt: skip
    else:  # cross-encoder/nli-MiniLM2-L6-H768's shape (6 layers of 768)
        config = BertConfig(
            vocab_size=30522, hidden_size=768, num_hidden_layers=6, num_attention_heads=12,
            intermediate_size=3072, **labels,
        )  # fmt: skip
    from transformers.utils import logging

    logging.disable_progress_bar()
    torch.manual_seed(0)
    model = AutoModelForSequenceClassification.from_config(config)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return sum(p.numel() for p in model.parameters())


Pairs = list[tuple[str, str]]


def timed(judge: Any, articles: list[Pairs]) -> tuple[float, int, int]:
    """Seconds, model calls and token positions (padding included) of judging the pairs
    of each article in one call, as the metric does."""
    batches, tokens = judge.batches, judge.tokens
    start = time.perf_counter()
    for pairs in articles:
        judge.judge(pairs)
    return time.perf_counter() - start, judge.batches - batches, judge.tokens - tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["minilm-l6-h768", "deberta-v3-base"],
                        default="minilm-l6-h768")  # fmt: skip
    parser.add_argument("--articles", type=int, default=8, help="news articles (of 32)")
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()

    import torch

    from metrics.meaning.lexicon import Lexicon
    from metrics.meaning.nli import Judge, window_pairs
    from metrics.meaning.parse import Parser
    from metrics.meaning.verdicts import analyse

    def read(path: Path) -> dict[str, str]:
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        return {row["id"]: row["text"] for row in rows}

    clean = read(NEWS / "articles.jsonl")
    para = read(NEWS / "outputs" / "careful-rewrite.jsonl")
    ids = sorted(clean)[: args.articles]
    reader, lexicon = Parser(None), Lexicon()
    aligned: list[Pairs] = []
    every: list[Pairs] = []
    sentences = 0
    for key in ids:
        c, p = reader.parse([clean[key], para[key]])
        analysis = analyse(c, p, lexicon)
        aligned.append([(prem, hyp) for _, _, prem, hyp in window_pairs(c, p, analysis)])
        every.append([(a.text, b.text) for a in c.sentences for b in p.sentences])
        sentences += len(c.sentences) + len(p.sentences)

    with tempfile.TemporaryDirectory() as tmp:
        params = build_model(args.size, [*clean.values(), *para.values()], Path(tmp))
        rows = []
        for what, articles in (("aligned, both directions", aligned), ("every pair", every)):
            judge = Judge(tmp, batch_size=args.batch_size)  # a fresh judge: nothing cached
            judge.judge([("Warm up.", "Warm up.")])  # load and run once before the clock starts
            seconds, _, tokens = timed(judge, articles)
            count = sum(len(set(pairs)) for pairs in articles)
            rows.append((what, count, seconds, tokens))
            if what.startswith("aligned"):
                cached, calls, _ = timed(judge, articles)
    print(f"model: untrained {args.size} ({params / 1e6:.0f} M parameters), "
          f"batch {args.batch_size}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads")  # fmt: skip
    print(f"{len(ids)} articles, {sentences} sentences (clean + careful-rewrite)")
    print(f"{'pairs judged':<26} {'pairs':>7} {'tokens':>8} {'seconds':>8} {'pairs/s':>8}")
    for what, count, seconds, tokens in rows:
        print(f"{what:<26} {count:>7} {tokens:>8} {seconds:>8.1f} {count / seconds:>8.1f}")
    (_, pairs_a, seconds_a, tokens_a), (_, pairs_e, seconds_e, tokens_e) = rows
    print(
        f"aligned / every pair: {seconds_a / seconds_e:.1%} of the time, "
        f"{pairs_a / pairs_e:.1%} of the pairs, {tokens_a / tokens_e:.1%} of the tokens"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"aligned again (cached): {cached:.3f} s, {calls} model calls")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
