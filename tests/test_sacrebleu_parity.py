"""Our BLEU, chrF and TER equal sacrebleu's own numbers, signatures and printed lines.

sacrebleu computes the expected values here, independently of our statistics
code: its ``corpus_score`` with each article as one segment, and its command
line on one-line-per-article files.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF
from sacrebleu.metrics.ter import TER

from metrics import CATALOGUE, Bleu, Chrf, Metric, Ter
from tests.conftest import DATASETS, SHARED_SEEDS

SHORT = [
    ("The cat sat on the mat.", "The cat is sitting on the mat."),
    ("", "A reference with words."),
    ("A hypothesis with words.", "x"),
    ("Keir Starmer met 18 leaders in London on Sunday.", "Kir Stmper met 18 leaders in London."),
    ("£1.6 billion missile deal", "£ 1.6bn missile deal"),
    ("Ünïcödé wörds — and 'quotes'", 'Unicode words -- and "quotes"'),
    ("repeated repeated repeated repeated", "repeated"),
]


def _news_corpus() -> tuple[list[str], list[str]]:
    refs = [json.loads(x)["text"] for x in (DATASETS / "news" / "articles.jsonl").open()]
    hyps = [
        json.loads(x)["text"]
        for x in (DATASETS / "news" / "outputs" / "careful-rewrite.jsonl").open()
    ]
    return hyps, refs


def _short_corpus() -> tuple[list[str], list[str]]:
    return [r for _, r in SHORT], [h for h, _ in SHORT]


BLEU_OPTIONS: list[dict[str, Any]] = [
    {},
    {"lowercase": True},
    {"tokenize": "intl"},
    {"tokenize": "char"},
    {"tokenize": "none"},
    {"smooth_method": "floor", "smooth_value": 0.1},
    {"smooth_method": "add-k"},
    {"smooth_method": "none"},
    {"effective_order": True},
    {"max_ngram_order": 2},
]
CHRF_OPTIONS: list[dict[str, Any]] = [
    {},
    {"word_order": 2},
    {"word_order": 1, "beta": 3},
    {"lowercase": True},
    {"whitespace": True},
    {"eps_smoothing": True},
    {"char_order": 4, "word_order": 2, "eps_smoothing": True},
]
TER_OPTIONS: list[dict[str, Any]] = [
    {},
    {"case_sensitive": True},
    {"normalized": True},
    {"no_punct": True},
]

CASES: list[tuple[type[Metric[Any]], Any, dict[str, Any], str]] = [
    *((Bleu, BLEU, o, corpus) for o in BLEU_OPTIONS for corpus in ("short", "news")),
    *((Chrf, CHRF, o, corpus) for o in CHRF_OPTIONS for corpus in ("short", "news")),
    *((Ter, TER, o, "short") for o in TER_OPTIONS),
]


@pytest.mark.parametrize(
    ("ours", "theirs", "options", "corpus"),
    CASES,
    ids=[f"{c[0].name}-{c[3]}-{c[2]}" for c in CASES],
)
def test_corpus_score_equals_sacrebleu(
    ours: type[Metric[Any]], theirs: Any, options: dict[str, Any], corpus: str
) -> None:
    hyps, refs = _news_corpus() if corpus == "news" else _short_corpus()
    expected = theirs(**options).corpus_score(hyps, [refs])
    expected_signature = theirs(**options)
    expected_signature.corpus_score(hyps[:1], [refs[:1]])

    metric = ours(**options)
    # The corpus score comes from the sum of per-article statistics.
    rows = [
        metric.statistics(h, metric.prepare_reference(r)) for h, r in zip(hyps, refs, strict=True)
    ]
    got = metric.score_from_statistics(metric.sum(reversed(rows)))

    assert got.score == expected.score
    assert got.formatted == expected.format()
    assert got.signature == expected_signature.get_signature().format()


def test_seed_pair_document_level(clean_text: str, spun_text: str) -> None:
    """The issue's figures: sacrebleu 2.6.0 gives BLEU 5.03 and chrF2 51.79 on the seed pair."""
    bleu = Bleu().corpus_score([spun_text], [clean_text])
    chrf = Chrf().corpus_score([spun_text], [clean_text])
    assert f"{bleu.score:.2f}" == "5.03"
    assert f"{chrf.score:.2f}" == "51.79"
    assert bleu.score == BLEU().corpus_score([spun_text], [[clean_text]]).score
    assert chrf.score == CHRF().corpus_score([spun_text], [[clean_text]]).score


def test_bundled_seed_pair_is_the_shared_one(clean_text: str, spun_text: str) -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    assert (SHARED_SEEDS / "clean_coalition.txt").read_text(encoding="utf-8") == clean_text
    assert (SHARED_SEEDS / "spun_coalition.txt").read_text(encoding="utf-8") == spun_text


def test_bench_score_matches_sacrebleu_cli(tmp_path: Path) -> None:
    """Same files through sacrebleu's CLI and `bench score`: same digits, same signatures.

    sacrebleu's CLI reads one segment per line, so each article is put on one line.
    """
    hyps, refs = _news_corpus()
    hyps = [" ".join(h.split()) for h in hyps]
    refs = [" ".join(r.split()) for r in refs]
    (tmp_path / "ref.txt").write_text("\n".join(refs) + "\n", encoding="utf-8")
    (tmp_path / "hyp.txt").write_text("\n".join(hyps) + "\n", encoding="utf-8")
    for name, rows in (("ref.jsonl", refs), ("hyp.jsonl", hyps)):
        (tmp_path / name).write_text(
            "".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(rows)),
            encoding="utf-8",
        )
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "sacrebleu",
            str(tmp_path / "ref.txt"),
            "-i",
            str(tmp_path / "hyp.txt"),
            "-m",
            "bleu",
            "chrf",
            "-w",
            "4",
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = {entry["name"]: entry for entry in json.loads(cli.stdout)}
    ours = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "score",
            "--ref",
            str(tmp_path / "ref.jsonl"),
            "--hyp",
            f"sys={tmp_path / 'hyp.jsonl'}",
            "-m",
            "bleu",
            "-m",
            "chrf",
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    scores = json.loads(ours.stdout)["systems"]["sys"]
    for key, name in (("bleu", "BLEU"), ("chrf", "chrF2")):
        assert round(scores[key]["score"], 4) == theirs[name]["score"]
        assert scores[key]["signature"] == theirs[name]["signature"]


def test_catalogue_names_build() -> None:
    assert CATALOGUE["chrf++"].build().signature.count("nw:2") == 1


def _many_scripts(seed: int, symbols: int) -> str:
    """Text over ``symbols`` distinct characters (CJK and more): too many to pack into 6-grams."""
    import random

    rng = random.Random(seed)
    alphabet = [chr(0x4E00 + i) for i in range(symbols)]
    return " ".join("".join(rng.choices(alphabet, k=rng.randint(1, 6))) for _ in range(800))


@pytest.mark.parametrize("options", [{}, {"word_order": 2}, {"whitespace": True}])
def test_chrf_of_references_too_large_to_pack_equals_sacrebleu(options: dict[str, Any]) -> None:
    """Over 1,023 distinct characters: chrF counts with Counters, still sacrebleu's numbers."""
    ref, hyp = _many_scripts(1, 2000), _many_scripts(2, 2000)
    metric = Chrf(**options)
    prepared = metric.prepare_reference(ref)
    assert prepared.tables is None  # the fallback path is the one under test
    expected = CHRF(**options)._extract_corpus_statistics([hyp], [[ref]])[0]
    assert metric.statistics(hyp, prepared) == expected
    assert (
        metric.corpus_score([hyp], [ref]).score
        == CHRF(**options).corpus_score([hyp], [[ref]]).score
    )


def test_bleu_of_references_too_large_to_pack_equals_sacrebleu() -> None:
    """Over 32,767 distinct words: BLEU counts with Counters, still sacrebleu's numbers."""
    ref = " ".join(f"w{i}" for i in range(40_000))
    hyp = " ".join(f"w{i}" for i in range(0, 40_000, 3)) + " w5 w6 w7 w8"
    metric = Bleu()
    prepared = metric.prepare_reference(ref)
    assert prepared.table is None
    assert metric.statistics(hyp, prepared) == BLEU()._extract_corpus_statistics([hyp], [[ref]])[0]
