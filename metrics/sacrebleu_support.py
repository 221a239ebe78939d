"""What the BLEU, chrF and TER modules share: sacrebleu's configuration and signature.

Each of those modules keeps a configured sacrebleu metric object for three
public things only: its tokenizer, its signature and its score classes (whose
``format()`` gives sacrebleu's exact printed line). Statistics extraction is
ours, written against sacrebleu's published definitions and tested to match
sacrebleu's own ``corpus_score`` on every case in tests/test_sacrebleu_parity.py.
"""

from __future__ import annotations

from typing import Any


def signature_of(metric: Any) -> str:
    """sacrebleu's signature for one reference per segment (our only setting)."""
    # sacrebleu learns the number of references while caching them; we always
    # score one reference (the clean article) per hypothesis.
    metric.num_refs = 1
    return str(metric.get_signature().format())
