"""The meaning metric's shortcuts give what the plain computation gives.

- Sentence alignment works out the similarity of a group of sentences from parts
  computed once per pair of sentences: it must equal ``similarity`` on the group's items.
- One pass of the English model over a clean article serves both the fact extractor and
  the meaning metric: each must get what a pass of its own gave it (the entity recognizer
  alone for the facts, the whole pipeline in the model's own order for meaning).
- The ranking's own Meaning finds the meaning metric's analysis instead of making another.
"""

from __future__ import annotations

import importlib
import random
from typing import Any

import pytest

from metrics.facts.extract import FactExtractor
from metrics.facts.spacy_ner import (
    SpacyNER,
    english_model,
    expect_parses,
    load_english_model,
    rule_ner,
)
from metrics.meaning import metric as meaning_metric
from metrics.meaning.align import _Similarities, _weight
from metrics.meaning.lexicon import Lexicon
from metrics.meaning.metric import Meaning
from metrics.meaning.parse import Parser
from metrics.ranking.metric import Ranking

WORDS = ["reject", "turn", "truce", "ceasefire", "decide", "decision", "rise", "increase",
         "@russia", "@france", "#MONEY|1600000000|GBP", "#PERCENT|3|", "talk", "say"]  # fmt: skip


def similarity(a: list[str], b: list[str], lexicon: Lexicon) -> float:
    """The plain soft Dice of two item lists: the weight of the items of each side that
    the other side has (or a synonym of), over the weight of both."""
    if not a or not b:
        return 0.0
    keys_a = set().union(*(lexicon.keys(i) for i in a))
    keys_b = set().union(*(lexicon.keys(i) for i in b))
    shared = sum(_weight(i) for i in a if lexicon.keys(i) & keys_b)
    shared += sum(_weight(i) for i in b if lexicon.keys(i) & keys_a)
    total = sum(_weight(i) for i in a) + sum(_weight(i) for i in b)
    return shared / total


def test_group_similarity_is_similarity_of_the_groups_items() -> None:
    """Every group of one or two sentences a side, on random sentences with repeated
    words, synonyms, derived forms, names, amounts and empty sentences."""
    lexicon = Lexicon()
    rng = random.Random(3)
    for _ in range(40):
        clean = [rng.sample(WORDS, rng.randrange(0, 6)) for _ in range(rng.randrange(1, 7))]
        para = [rng.sample(WORDS, rng.randrange(0, 6)) for _ in range(rng.randrange(1, 7))]
        table = _Similarities(clean, para, lexicon)
        for i in range(len(clean)):
            for j in range(len(para)):
                for di in (1, 2):
                    for dj in (1, 2):
                        if i + di > len(clean) or j + dj > len(para):
                            continue
                        a = [w for s in clean[i : i + di] for w in s]
                        b = [w for s in para[j : j + dj] for w in s]
                        found = table(range(i, i + di), range(j, j + dj))
                        assert found == similarity(a, b, lexicon)


def test_amounts_are_items_of_their_words() -> None:
    """Each amount is one item, on its first word (the pound sign), whatever its spelling."""
    (reading,) = Parser(None).parse(["The deal was worth £1.6bn, up from £1.2 billion in 2023."])
    assert [s.items for s in reading.sentences] == [
        ("deal", "worth", "#MONEY|1600000000|GBP", "#MONEY|1200000000|GBP", "#DATE|2023|")
    ]


# The entity recognizer alone reads "Data Analysis and Visualization: Uncover" as one name;
# in the model's own order the parser has started a sentence at "Uncover", and the
# recognizer stops the name before it. Each reader must get its own reading of it.
CROSSING = (
    "The plan costs $500/month.\n\n2. Data Analysis and Visualization: Uncover the valuable "
    "insights hidden in your data with {}."
)


@pytest.fixture(scope="module")
def pipelines() -> tuple[Any, Any]:
    """Two copies of the model loaded the way the readers loaded their own before: the
    entity recognizer alone, and every component."""
    package = importlib.import_module(english_model().package)
    alone = package.load(exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    return alone, package.load()


@pytest.mark.slow
@pytest.mark.parametrize("facts_first", [True, False])
def test_one_pass_serves_the_facts_and_meaning(
    pipelines: tuple[Any, Any], facts_first: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, whole = pipelines
    text = CROSSING.format("our tools" if facts_first else "our new tools")
    assert "Data Analysis and Visualization: Uncover" in [e.text for e in alone(text).ents]
    assert "Data Analysis and Visualization:" in [e.text for e in whole(text).ents]

    english = english_model()
    passes: list[list[str]] = []
    both = english._both

    def counting(pieces: list[str], batch: int) -> Any:
        passes.append(list(pieces))
        return both(pieces, batch)

    monkeypatch.setattr(english, "_both", counting)
    expect_parses()
    parser, extractor = Parser(None), FactExtractor(load_english_model(), None)
    if facts_first:
        facts, reading = extractor.extract([text])[0], parser.references([text])[0]
    else:
        reading, facts = parser.references([text])[0], extractor.extract([text])[0]
    assert passes == [[text]]
    assert facts == FactExtractor(SpacyNER(alone, "alone"), None).extract([text])[0]
    assert reading == Parser(None, nlp=whole).parse([text])[0]


def test_one_model_a_process() -> None:
    assert load_english_model().nlp is Parser(None).nlp is english_model().nlp


def test_the_ranking_finds_the_meaning_metrics_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = Parser(None)
    meaning = Meaning(parser=parser)
    ranking = Ranking(
        meaning=Meaning(parser=parser),
        extractor=FactExtractor(rule_ner({"GPE": ["Russia", "France"]}), None),
    )
    analyses: list[int] = []
    analyse = meaning_metric.analyse

    def counting(*args: Any) -> Any:
        analyses.append(1)
        return analyse(*args)

    monkeypatch.setattr(meaning_metric, "analyse", counting)
    clean = "Russia has rejected the truce proposed by France on Friday."
    paraphrase = "On Friday, Russia turned down the ceasefire that France had proposed."
    reference = meaning.prepare_reference(clean)
    stats = meaning.statistics(paraphrase, reference)
    meaning.diagnose(paraphrase, reference)
    ranked = ranking.statistics(paraphrase, ranking.prepare_reference(clean))
    assert analyses == [1]
    width = len(ranking.parts[0].statistic_names) + len(ranking.parts[1].statistic_names)
    assert ranked[width : width + len(stats)] == stats
