"""The meaning metric: propositions, verdicts, alignment, statistics, cache, and the CLI.

Every expected verdict and count below was worked out by hand from the sentences.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bench.cli import app
from metrics import CATALOGUE
from metrics.meaning.align import BAND, align
from metrics.meaning.lexicon import Lexicon
from metrics.meaning.metric import STATISTICS, Meaning
from metrics.meaning.parse import Parser
from metrics.meaning.reading import Reading
from metrics.wordnet import WordNetMissing, load, locate

CLEAN = "Russia has rejected the truce proposed by France."


@pytest.fixture(scope="module")
def meaning() -> Meaning:
    return Meaning(parser=Parser(None))


def _verdicts(metric: Meaning, clean: str, paraphrase: str) -> tuple[list[str], list[str]]:
    reference = metric.prepare_reference(clean)
    found = metric.diagnose(paraphrase, reference)
    return [c["verdict"] for c in found["clean"]], [p["verdict"] for p in found["paraphrase"]]


def _counts(metric: Meaning, clean: str, paraphrase: str) -> dict[str, int]:
    row = metric.statistics(paraphrase, metric.prepare_reference(clean))
    return dict(zip(STATISTICS, row, strict=True))


# Clean propositions of CLEAN: reject(agent Russia, patient truce), propose(agent France,
# patient truce). Each paraphrase changes the first or keeps both; a negated, reversed
# or role-swapped first claim taints the second, kept in the same sentence.
@pytest.mark.parametrize(
    ("paraphrase", "first", "second"),
    [
        ("Russia has not rejected the truce proposed by France.", "polarity", "tainted"),
        ("Russia never rejected the truce proposed by France.", "polarity", "tainted"),
        ("Russia has accepted the truce proposed by France.", "antonym", "tainted"),
        ("Russia did not accept the truce proposed by France.", "kept", "kept"),
        ("France has rejected the truce proposed by Russia.", "roles", "roles"),
        ("Russia may reject the truce proposed by France.", "certainty", "kept"),
        ("Russia has rejected the plan proposed by France.", "argument", "argument"),
        ("The truce proposed by France was rejected by Russia.", "kept", "kept"),
        ("The truce that France proposed was turned down by Russia.", "kept", "kept"),
        ("Russia has turned down the ceasefire that France proposed.", "kept", "kept"),
        ("Russia has the by proposed France truce rejected.", "dropped", "dropped"),
    ],
)
def test_verdict_of_each_change(meaning: Meaning, paraphrase: str, first: str, second: str) -> None:
    clean, _ = _verdicts(meaning, CLEAN, paraphrase)
    assert clean == [first, second]


def test_paraphrase_side_verdicts(meaning: Meaning) -> None:
    # One proposition negated, one kept in the same sentence: contradicting, tainted.
    _, para = _verdicts(meaning, CLEAN, "Russia has not rejected the truce proposed by France.")
    assert para == ["contradicting", "misleading"]
    # The same negation in a sentence of its own taints nothing else.
    _, para = _verdicts(
        meaning, CLEAN, "Russia has not rejected the truce. France proposed the truce."
    )
    assert para == ["contradicting", "supported"]
    # Nothing in the scrambled sentence corresponds: both of its readings are added.
    _, para = _verdicts(meaning, CLEAN, "Russia has the by proposed France truce rejected.")
    assert set(para) == {"added"}


@pytest.mark.parametrize(
    ("clean", "paraphrase", "verdict"),
    [
        ("The company increased its dividend.", "The company decreased its dividend.", "antonym"),
        ("The talks were productive.", "The talks were unproductive.", "antonym"),
        ("The minister reached an agreement.", "The minister failed to reach an agreement.",
         "polarity"),
        ("The minister signed the deal.", "No minister signed the deal.", "polarity"),
        ("The government will cut taxes.", "The government might cut taxes.", "certainty"),
        ("They chose an efficient method.", "They chose an inefficient method.", "antonym"),
        ("The plan suffers from funding problems.", "The plan suffers from a lack of funding.",
         "polarity"),
        ("The firm sold the city and the port.", "The firm sold the city but not the port.",
         "polarity"),
        ("Rescuers found no survivors.", "Rescuers did not find any survivors.", "kept"),
        ("The company will sell the building.", "The company would sell the building.", "kept"),
        ("Britain signed the treaty.", "The UK signed the treaty.", "kept"),
        ("The board approved the merger after a long debate.",
         "After a long debate, the board approved the merger.", "kept"),
    ],
)  # fmt: skip
def test_negation_antonyms_hedges_and_names(
    meaning: Meaning, clean: str, paraphrase: str, verdict: str
) -> None:
    assert _verdicts(meaning, clean, paraphrase)[0] == [verdict]


@pytest.mark.parametrize(
    ("clean", "paraphrase"),
    [
        # passive for active
        (CLEAN, "The truce proposed by France was rejected by Russia."),
        # a synonym (WordNet: turn down = reject)
        (CLEAN, "Russia has turned down the truce proposed by France."),
        # the same amount written another way
        ("The UK announced a missile deal worth £1.6 billion for Ukraine.",
         "A missile deal worth £1.6bn for Ukraine was announced by the UK."),
        # a sentence split in two
        ("Russia rejected the truce, and France proposed new talks.",
         "Russia rejected the truce. France proposed new talks."),
    ],
)  # fmt: skip
def test_honest_rewrites_are_kept(meaning: Meaning, clean: str, paraphrase: str) -> None:
    score = meaning.corpus_score([paraphrase], [clean])
    assert score.score == 1.0
    assert score.details["contradictions_per_article"] == 0


@pytest.mark.parametrize(
    "text",
    [
        "Not everyone was convinced.",  # an argument that is only a negation
        "Nobody came, and no survivors were found.",
        CLEAN,
    ],
)
def test_a_copy_is_the_ceiling(meaning: Meaning, text: str) -> None:
    counts = _counts(meaning, text, text)
    assert counts["kept"] == counts["clean"] and counts["supported"] == counts["paraphrase"]
    assert meaning.corpus_score([text], [text]).score == 1.0


def test_statistics_and_corpus_scores(meaning: Meaning) -> None:
    negated = _counts(meaning, CLEAN, "Russia has not rejected the truce proposed by France.")
    assert negated == {
        "clean": 2, "kept": 0, "polarity": 1, "antonym": 0, "roles": 0, "certainty": 0,
        "argument": 0, "tainted": 1, "dropped": 0, "paraphrase": 2, "supported": 0,
        "misleading": 1, "contradicting": 1, "added": 0, "articles": 1,
    }  # fmt: skip
    # Two articles: kept 0 + 2 of 2 + 2 clean; supported 0 + 2 of 2 + 2; one contradiction.
    score = meaning.corpus_score(
        ["Russia has not rejected the truce proposed by France.", CLEAN], [CLEAN, CLEAN]
    )
    assert score.details["recall"] == pytest.approx(2 / 4)
    assert score.details["precision"] == pytest.approx(2 / 4)
    assert score.score == pytest.approx(2 / 4)
    assert score.details["contradictions_per_article"] == pytest.approx(1 / 2)


def test_an_added_sentence_costs_precision_only(meaning: Meaning) -> None:
    counts = _counts(meaning, CLEAN, CLEAN + " Germany welcomed the decision.")
    assert (counts["kept"], counts["clean"]) == (2, 2)
    assert (counts["supported"], counts["added"], counts["paraphrase"]) == (2, 1, 3)
    score = meaning.score_from_statistics(list(counts.values()))
    # The added claim weighs a quarter of a contradicting one: P = 2 / (2 + 0.25).
    precision = 2 / 2.25
    assert score.score == pytest.approx(2 * precision / (1 + precision))
    weighed_fully = Meaning(dropped_weight=1.0, parser=meaning.parser)
    plain = weighed_fully.score_from_statistics(list(counts.values())).score
    assert plain == pytest.approx(2 * (2 / 3) / (1 + 2 / 3))


def test_dropped_claims_weigh_less_than_changed_ones(meaning: Meaning) -> None:
    # Hand counts: 2 clean claims; one kept and one dropped, or one kept and one changed.
    # clean, kept, polarity .. argument, tainted, dropped; paraphrase, supported, tainted,
    # contradicting, added; articles.
    dropped = [2, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1]
    changed = [2, 1, 1, 0, 0, 0, 0, 0, 0, 2, 1, 0, 1, 0, 1]
    recall_dropped = 1 / (1 + 0.25)
    assert meaning.score_from_statistics(dropped).score == pytest.approx(
        2 * recall_dropped / (1 + recall_dropped)
    )
    assert meaning.score_from_statistics(changed).score == pytest.approx(0.5)
    with pytest.raises(ValueError, match="dropped_weight"):
        Meaning(dropped_weight=0.0)


def test_alignment_moves() -> None:
    lexicon = Lexicon()
    clean = [["russia", "reject", "truce"], ["france", "propose", "talk"], ["oil", "price", "rise"]]
    # the first sentence split in two, the second dropped, one sentence added at the end
    paraphrase = [["russia", "reject"], ["truce"], ["oil", "price", "rise"], ["weather", "warm"]]
    pairs = align(clean, paraphrase, lexicon)
    assert [(p.clean, p.paraphrase) for p in pairs] == [
        ((0,), (0, 1)),
        ((1,), ()),
        ((2,), (2,)),
        ((), (3,)),
    ]


def test_a_long_article_is_aligned_within_a_band() -> None:
    """Past BAND sentences the table is a band around the diagonal: a long copy with one
    sentence dropped is still aligned sentence to sentence, and the 1-0 move is found."""
    lexicon = Lexicon()
    clean = [[f"@name{i}", f"#{i}"] for i in range(3 * BAND)]
    paraphrase = clean[:100] + clean[101:]
    pairs = align(clean, paraphrase, lexicon)
    expected = [((i,), (i,)) for i in range(100)] + [((100,), ())]
    expected += [((i,), (i - 1,)) for i in range(101, 3 * BAND)]
    assert [(p.clean, p.paraphrase) for p in pairs] == expected


def test_clean_side_is_parsed_once_and_cached_on_disk(tmp_path: Path) -> None:
    parser = Parser(tmp_path)
    calls: list[int] = []
    parse = parser.parse

    def counting(texts: Any) -> list[Reading]:
        calls.append(len(texts))
        return parse(texts)

    parser.parse = counting  # type: ignore[method-assign]
    first = parser.references([CLEAN, CLEAN, "France agreed."])
    again = parser.references([CLEAN])
    assert calls == [2]  # two distinct texts, one batch, none the second time
    assert again[0] == first[0]
    fresh = Parser(tmp_path)  # a new process: read back from disk, not parsed
    fresh.parse = counting  # type: ignore[method-assign]
    assert fresh.references([CLEAN]) == [first[0]]
    assert calls == [2]
    assert Reading.from_json(json.loads(json.dumps(first[0].to_json()))) == first[0]


def test_wordnet_opposites_and_spellings() -> None:
    wordnet = load(locate())
    assert "accept" in wordnet.antonyms("reject")
    assert "decrease" in wordnet.antonyms("increase")
    assert "decision" in wordnet.derived("decide")
    assert wordnet.synsets("ceasefire") == wordnet.synsets("cease-fire") != []
    lexicon = Lexicon()
    assert lexicon.opposite("agree", "disagree")
    assert lexicon.same("truce", "ceasefire")
    assert not lexicon.opposite("reject", "turn down")


def test_missing_wordnet_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WordNetMissing, match="apt-get install wordnet-base"):
        CATALOGUE["meaning"].build(wordnet_dir=str(tmp_path))


# --- bench score --details ------------------------------------------------------------------


def _details(tmp_path: Path, paraphrase: str) -> dict[str, Any]:
    ref = tmp_path / "clean.txt"
    hyp = tmp_path / "para.txt"
    ref.write_text(CLEAN + "\n", encoding="utf-8")
    hyp.write_text(paraphrase + "\n", encoding="utf-8")
    args = ["score", "-r", ref, "-p", f"p={hyp}", "-m", "meaning", "-f", "json", "--details"]
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.stderr
    (record,) = json.loads(result.stdout)["details"]["p"]
    found: dict[str, Any] = record["diagnostics"]["meaning"]
    return found


def test_cli_details_name_the_flipped_proposition(tmp_path: Path) -> None:
    found = _details(tmp_path, "Russia has not rejected the truce proposed by France.")
    assert found["alignment"] == [
        {
            "clean": [CLEAN],
            "paraphrase": ["Russia has not rejected the truce proposed by France."],
            "similarity": 1.0,
        }
    ]
    flipped = [c for c in found["clean"] if c["verdict"] not in ("kept", "tainted")]
    assert flipped == [
        {
            "sentence": 0,
            "proposition": "reject agent=[Russia] patient=[truce]",
            "words": "has rejected",
            "verdict": "polarity",
            "why": "negated",
            "paraphrase": "NOT reject agent=[Russia] patient=[truce]",
        }
    ]
    assert [p["words"] for p in found["paraphrase"] if p["verdict"] == "contradicting"] == [
        "has not rejected"
    ]
    # The proposal is still there, in a sentence that now says the opposite.
    assert [(c["proposition"], c["why"]) for c in found["clean"] if c["verdict"] == "tainted"] == [
        ("propose agent=[France] patient=[truce]", "its sentence changed: negated")
    ]


def test_cli_details_name_the_swapped_roles(tmp_path: Path) -> None:
    found = _details(tmp_path, "France has rejected the truce proposed by Russia.")
    rows = [(c["proposition"], c["verdict"], c["why"], c["paraphrase"]) for c in found["clean"]]
    assert rows == [
        ("reject agent=[Russia] patient=[truce]", "roles", "roles swapped: agent",
         "reject agent=[France] patient=[truce]"),
        ("propose agent=[France] patient=[truce]", "roles", "roles swapped: agent",
         "propose agent=[Russia] patient=[truce]"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "paraphrase",
    [
        "The truce proposed by France was rejected by Russia.",
        "Russia has turned down the truce proposed by France.",
        "Russia has rejected the truce. France proposed it.",
    ],
)
def test_cli_details_keep_honest_rewrites(tmp_path: Path, paraphrase: str) -> None:
    found = _details(tmp_path, paraphrase)
    assert {c["verdict"] for c in found["clean"]} == {"kept"}
    assert {p["verdict"] for p in found["paraphrase"]} == {"supported"}


def test_readings_of_awkward_sentences() -> None:
    parser = Parser(None)
    # A relative pronoun that belongs to no relative clause names itself (this once looped).
    (said,) = parser.parse(["Officials said that."])[0].propositions
    assert (said.predicate, said.describe()) == ("say", "say agent=[Officials] patient=[that]")
    # The adjective is the predicate, not also an argument.
    (talks,) = parser.parse(["The talks were productive."])[0].propositions
    assert talks.describe() == "productive theme=[talks]"
    # A light verb's noun is the predicate.
    (made,) = parser.parse(["The board made a decision."])[0].propositions
    assert made.describe() == "decision agent=[board]"


def test_meaning_outcomes_tool_reads_items_by_hand() -> None:
    """tools/meaning_outcomes.py: what the rules found in an item, from its statistics."""
    import importlib.util

    path = Path(__file__).parent.parent / "tools" / "meaning_outcomes.py"
    spec = importlib.util.spec_from_file_location("meaning_outcomes", path)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    # clean, kept, polarity, antonym, roles, certainty, argument, tainted, dropped;
    # paraphrase, supported, misleading, contradicting, added; articles
    assert tool.outcome([2, 2, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 1]) == "kept"
    assert tool.outcome([2, 1, 0, 0, 0, 0, 0, 0, 1, 2, 1, 0, 0, 1, 1]) == "lost"
    assert tool.outcome([2, 0, 1, 0, 0, 0, 0, 1, 0, 2, 0, 1, 1, 0, 1]) == "changed"
    assert tool.outcome([1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 1, 0, 1]) == "changed"
