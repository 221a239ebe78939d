"""The WordNet spinner (naive and careful) and the synonym-spin corruption."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.config import SystemSpec
from bench.data.article import Article
from bench.errors import BenchError
from bench.systems import build_system
from bench.systems.wordnet import load, locate
from metrics.facts.quantities import find_quantities

TEXT = (
    "Turkey said on Tuesday that it would join the effort, and officials in Washington "
    "welcomed the big deal worth £1.6 billion. One official called it a good step for "
    "the government and its leaders."
)
ARTICLE = Article("a1", TEXT)


def _spin(mode: str, **options: object) -> str:
    spec = SystemSpec(mode, "spinner", {"mode": mode, **options})
    return build_system(spec).paraphrase(ARTICLE)


def test_wordnet_is_read_from_the_registry_package() -> None:
    wordnet = load(locate())
    assert "large" in wordnet.synonyms("big")
    assert "Republic of Turkey" in wordnet.synonyms("Turkey")
    assert wordnet.synonyms("no-such-lemma-xyz") == ()


def test_deterministic_for_a_seed() -> None:
    assert _spin("naive", seed=1) == _spin("naive", seed=1)
    assert _spin("naive", seed=1) != _spin("naive", seed=2)


def test_careful_keeps_names_and_quantities_naive_does_not() -> None:
    careful = _spin("careful", rate=1.0)
    assert careful != TEXT
    for name in ("Turkey", "Tuesday", "Washington"):
        assert name in careful
    assert [q.text for q in find_quantities(careful)] == [q.text for q in find_quantities(TEXT)]
    naive = _spin("naive", rate=1.0)
    assert not all(name in naive for name in ("Turkey", "Washington"))


def test_rate_zero_is_a_copy_and_options_are_checked(tmp_path: Path) -> None:
    assert _spin("naive", rate=0.0) == TEXT
    with pytest.raises(BenchError, match="mode must be naive or careful"):
        _spin("sloppy")
    with pytest.raises(BenchError, match="apt-get install wordnet-base"):
        build_system(SystemSpec("x", "spinner", {"wordnet_dir": str(tmp_path)}))


def test_synonym_spin_changes_common_words_only() -> None:
    spun = build_system(SystemSpec("s", "synonym-spin", {"rate": 1.0})).paraphrase(ARTICLE)
    assert spun != TEXT
    capitalised = re.findall(r"\b[A-Z]\w+", TEXT)
    assert capitalised == re.findall(r"\b[A-Z]\w+", spun)


@pytest.mark.slow
def test_careful_beats_naive_on_entity_f1_among_all_the_corruptions(tmp_path: Path) -> None:
    """The brief's run: news, identity, both spinners and the corruptions that damage
    names or wording, 1,000 resamples. (The three that keep every name, claim-flip,
    role-swap and word-salad, would add 30 pairs to Holm's correction and nothing to
    this comparison.)"""
    from bench.config import DatasetSpec, MetricSpec, RunConfig
    from bench.runner import run_benchmark
    from bench.systems.corruptions import CORRUPTIONS

    keeping_names = {"claim-flip", "role-swap", "word-salad"}
    corruptions = [c for c in CORRUPTIONS if c.type_name not in keeping_names]
    systems = (
        SystemSpec("identity", "identity"),
        SystemSpec("naive", "spinner", {"mode": "naive"}),
        SystemSpec("careful", "spinner", {"mode": "careful"}),
        *(SystemSpec(c.type_name, c.type_name) for c in corruptions),
    )
    config = RunConfig(
        datasets=(DatasetSpec("news"),),
        systems=systems,
        metrics=(MetricSpec("entities"), MetricSpec("bleu")),
        output_dir=tmp_path,
        bundled_outputs=False,
    )
    board = run_benchmark(config).leaderboard
    scores = {r.system: r.scores["entities"].score for r in board.rows}
    assert scores["careful"] > scores["naive"] + 0.2
    (test,) = [
        c for c in board.comparisons["news"]
        if c.metric == "entities" and {c.a, c.b} == {"naive", "careful"}
    ]  # fmt: skip
    # 36 pairs: Holm multiplies the smallest possible p (1/1001) by up to 36.
    assert test.significant and test.p_holm < 0.05
    clusters = {r.system: r.clusters["entities"] for r in board.rows if not r.reference}
    assert clusters["careful"] != clusters["naive"]
    assert len(clusters) == 2 + len(corruptions)
