"""The meaning metric's model judge, on tiny randomly initialised models saved in tmp_path.

Nothing here downloads: each model is a BERT of about two thousand parameters
with a word-level tokenizer built from a few words, saved with
``save_pretrained`` and loaded back through the judge's real code path. Where a
test needs to know what the model says, the classifier's weights are zeroed
and its bias set, so the model gives the same answer for every pair.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

from bench.config import parse_metric  # noqa: E402
from metrics.meaning.align import Pair  # noqa: E402
from metrics.meaning.metric import STATISTICS, Meaning  # noqa: E402
from metrics.meaning.nli import (  # noqa: E402
    Judge,
    Judged,
    JudgeError,
    Judgment,
    label_roles,
    revise,
    window_pairs,
)
from metrics.meaning.parse import Parser  # noqa: E402
from metrics.meaning.reading import Proposition, Reading, Sentence  # noqa: E402
from metrics.meaning.verdicts import Analysis  # noqa: E402

MNLI = {0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"}
WORDS = ("russia has rejected the truce proposed by france not accepted may reject plan "
         "it a was . , talks were held in paris on monday").split()  # fmt: skip
CLEAN = "Russia has rejected the truce proposed by France."


def tiny_model(folder: Path, id2label: dict[int, str] = MNLI, always: int | None = None,
               seed: int = 0) -> Path:  # fmt: skip
    """Save a random BERT classifier and a word-level tokenizer to ``folder``.

    With ``always``, the classifier's weights are zero and its bias favours output
    ``always`` by 10 logits, so every pair gets that label."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
    vocab = {w: i for i, w in enumerate([*specials, *WORDS])}
    core = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    core.normalizer = normalizers.Lowercase()
    core.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    core.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", 2), ("[SEP]", 3)],
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, pad_token="[PAD]", unk_token="[UNK]", cls_token="[CLS]",
        sep_token="[SEP]", model_max_length=64,
    )  # fmt: skip
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=16, max_position_embeddings=64, num_labels=len(id2label),
        id2label=id2label, label2id={v: k for k, v in id2label.items()},
    )  # fmt: skip
    model = BertForSequenceClassification(config).eval()
    if always is not None:
        with torch.no_grad():
            model.classifier.weight.zero_()
            model.classifier.bias.zero_()
            model.classifier.bias[always] = 10.0
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_model(tmp_path_factory.mktemp("tiny-nli"))


PAIRS = [
    ("russia has rejected the truce .", "russia has not rejected the truce ."),
    ("talks were held in paris on monday .", "talks were held ."),
    ("france proposed a plan", "russia may reject the plan proposed by france on monday"),
    ("the truce", "it was rejected"),
    ("russia has rejected the truce .", "russia has not rejected the truce ."),
]


def test_label_names_are_read_from_the_config() -> None:
    assert label_roles(MNLI, None) == ("entailment", "neutral", "contradiction")
    roberta = {0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"}
    assert label_roles(roberta, None) == ("contradiction", "neutral", "entailment")
    assert label_roles({0: "inconsistent", 1: "consistent"}, None) == ("neutral", "entailment")
    assert label_roles({0: "not_entailment", 1: "entailment"}, None) == ("neutral", "entailment")
    # MiniCheck-style heads keep the default names: the user says what they mean.
    with pytest.raises(JudgeError, match=r"cannot tell .*labels=inconsistent/consistent"):
        label_roles({0: "LABEL_0", 1: "LABEL_1"}, None)
    assert label_roles({0: "LABEL_0", 1: "LABEL_1"}, "unsupported/supported") == (
        "neutral",
        "entailment",
    )
    with pytest.raises(JudgeError, match="names 3 outputs; the model has 2"):
        label_roles({0: "LABEL_0", 1: "LABEL_1"}, "a/b/c")
    with pytest.raises(JudgeError, match="cannot tell"):
        label_roles({0: "entailment", 1: "entailment", 2: "neutral"}, None)


def _by_hand(folder: Path, pairs: list[tuple[str, str]]) -> list[list[float]]:
    """Softmax of the saved model's logits, one pair at a time, without the judge."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForSequenceClassification.from_pretrained(folder).eval()
    out = []
    for premise, hypothesis in pairs:
        with torch.no_grad():
            logits = model(**tokenizer(premise, hypothesis, return_tensors="pt")).logits
        out.append(torch.softmax(logits, -1)[0].tolist())
    return out


def test_judgments_match_the_model_run_one_pair_at_a_time_at_any_batch_size(
    folder: Path,
) -> None:
    expected = _by_hand(folder, PAIRS)
    for size in (1, 2, 8):
        judge = Judge(str(folder), batch_size=size)
        found = judge.judge(PAIRS)
        for judgment, probs in zip(found, expected, strict=True):
            assert judgment.entailment == pytest.approx(probs[0], abs=1e-5)
            assert judgment.contradiction == pytest.approx(probs[2], abs=1e-5)
            names = ("entailment", "neutral", "contradiction")
            assert judgment.label == names[max(range(3), key=lambda i: probs[i])]
        # Four distinct pairs (the fifth repeats the first) in batches of ``size``.
        assert judge.batches == -(-4 // size)


def test_batches_are_sorted_by_token_length(folder: Path) -> None:
    judge = Judge(str(folder), batch_size=2)
    _, model = judge._classifier()
    lengths: list[list[int]] = []
    forward = model.forward

    def spy(**batch: Any) -> Any:
        lengths.append(batch["attention_mask"].sum(dim=1).tolist())
        return forward(**batch)

    model.forward = spy
    judge.judge(PAIRS)
    # Words of premise + hypothesis + [CLS] and two [SEP], for the four distinct pairs:
    # 6+7+3 = 16, 8+4+3 = 15, 4+10+3 = 17, 2+3+3 = 8; shortest first, two a batch.
    assert lengths == [[8, 15], [16, 17]]
    assert judge.tokens == 2 * 15 + 2 * 17  # padded to the longest of each batch


def test_judgments_are_cached_by_content_in_memory_and_on_disk(
    folder: Path, tmp_path: Path
) -> None:
    judge = Judge(str(folder), cache_dir=tmp_path)
    first = judge.judge(PAIRS)
    assert judge.batches == 1
    assert judge.judge(list(reversed(PAIRS))) == first[::-1]
    assert judge.batches == 1
    again = Judge(str(folder), cache_dir=tmp_path)
    assert again.judge(PAIRS) == first
    assert again.batches == 0
    again.judge([*PAIRS, ("a new premise", "a new hypothesis")])
    assert again.batches == 1
    assert (tmp_path / "nli.sqlite").is_file()


def test_the_signature_names_the_files_and_changes_with_a_weight(tmp_path: Path) -> None:
    one = tiny_model(tmp_path / "m", seed=1)
    before = Judge(str(one)).signature
    assert before.startswith(f"{one}@local:sha256=")
    assert before.endswith("|nli:1")
    tiny_model(tmp_path / "m", seed=2)  # same config and tokenizer, other weights
    after = Judge(str(one)).signature
    assert after != before
    assert after.split("sha256=")[0] == before.split("sha256=")[0]


def test_a_hub_id_is_read_from_the_local_cache_only(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub.constants as hub

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(hub, "HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(JudgeError, match=r"not in the local Hugging Face cache.*allow_download"):
        Judge("someone/tiny-nli")
    # A model already in the cache is found without the network, at its revision.
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "models--someone--tiny-nli"
    snapshot = repo / "snapshots" / commit
    snapshot.mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    for path in folder.iterdir():
        (snapshot / path.name).write_bytes(path.read_bytes())
    judge = Judge("someone/tiny-nli")
    assert judge.signature.startswith(f"someone/tiny-nli@{commit}:sha256=")
    assert judge.sha256 == Judge(str(folder)).sha256
    with pytest.raises(JudgeError, match="no such folder"):
        Judge(str(tmp_path / "missing"))
    with pytest.raises(JudgeError, match="allow_download must be true or false"):
        Judge("someone/other", allow_download="false")  # type: ignore[arg-type]


def _reading(sentences: list[str], props: list[tuple[int, str]]) -> Reading:
    return Reading(
        "x",
        tuple(Sentence(s, ()) for s in sentences),
        tuple(Proposition(i, p, p, False, False, ()) for i, p in props),
    )


def test_how_judgments_revise_the_rule_verdicts() -> None:
    clean = _reading(["C0.", "C1.", "C2."], [(0, "a"), (0, "b"), (1, "c"), (2, "d")])
    para = _reading(["P0.", "P1.", "P2."], [(0, "a"), (1, "c"), (1, "e"), (2, "x")])
    pairs = (Pair((0,), (0,), 1.0), Pair((1,), (1, 2), 1.0), Pair((2,), (), 0.0))
    analysis = Analysis(
        pairs,
        (("kept", 0, ""), ("polarity", None, "negated"), ("dropped", None, ""),
         ("dropped", None, "")),
        (("supported", 0), ("added", None), ("contradicting", 2), ("added", None)),
    )  # fmt: skip
    assert window_pairs(clean, para, analysis) == [
        ("paraphrase", 0, "C0.", "P0."),
        ("clean", 0, "P0.", "C0."),
        ("paraphrase", 1, "C1.", "P1."),
        ("paraphrase", 2, "C1.", "P2."),
        ("clean", 1, "P1. P2.", "C1."),
    ]
    contra, entail = Judgment("contradiction", 0.1, 0.8), Judgment("entailment", 0.9, 0.0)
    judged = Judged({0: contra, 1: entail}, {0: contra, 1: entail, 2: entail})
    revised = revise(judged, clean, para, analysis)
    # kept -> dropped (model: contradiction); a rule change stands; dropped -> kept
    # (entailed); sentence 2 is unaligned, so not judged.
    assert [v for v, _, _ in revised.clean] == ["dropped", "polarity", "kept", "dropped"]
    assert revised.clean[0][2].startswith("model: contradiction")
    assert [v for v, _ in revised.paraphrase] == [
        "contradicting", "supported", "contradicting", "supported",
    ]  # fmt: skip
    neutral = Judgment("neutral", 0.2, 0.1)
    judged = Judged({0: neutral}, {0: neutral})
    revised = revise(judged, clean, para, analysis)
    assert revised.clean[0][0] == "dropped"
    assert revised.paraphrase[0] == ("added", 0)


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(None)


def _counts(metric: Meaning, clean: str, paraphrase: str) -> dict[str, int]:
    row = metric.statistics(paraphrase, metric.prepare_reference(clean))
    return dict(zip(STATISTICS, row, strict=True))


@pytest.mark.slow
def test_the_metric_uses_the_model(
    parser: Parser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPINBENCH_CACHE", str(tmp_path / "cache"))
    roberta = {0: "contradiction", 1: "neutral", 2: "entailment"}
    contradicts = tiny_model(tmp_path / "contra", roberta, always=0)
    entails = tiny_model(tmp_path / "entail", roberta, always=2)
    rules = Meaning(parser=parser)
    assert "|model:" not in rules.signature
    # Two clean propositions (reject, propose); a copy keeps both by the rules.
    metric = Meaning(parser=parser, model=str(contradicts))
    assert f"|model:{contradicts}@local:sha256=" in metric.signature
    counts = _counts(metric, CLEAN, CLEAN)
    assert (counts["kept"], counts["dropped"], counts["contradicting"]) == (0, 2, 2)
    metric = Meaning(parser=parser, model=str(entails), batch_size=4)
    scrambled = "Russia has the by proposed France truce rejected."
    assert _counts(rules, CLEAN, scrambled)["kept"] == 0
    assert _counts(metric, CLEAN, scrambled)["kept"] == 2
    negated = "Russia has not rejected the truce proposed by France."
    assert _counts(metric, CLEAN, negated)["polarity"] == 1
    details = metric.diagnose(negated, metric.prepare_reference(CLEAN))
    assert [(m["side"], m["label"]) for m in details["model"]] == [
        ("clean", "entailment"), ("paraphrase", "entailment"),
    ]  # fmt: skip
    assert (tmp_path / "cache" / "nli.sqlite").is_file()


def test_model_options_from_the_command_line_and_config() -> None:
    spec = parse_metric("meaning:model=/models/mnli,allow_download=true,batch_size=8", None)
    assert spec.name == "meaning"
    assert spec.options == {"model": "/models/mnli", "allow_download": True, "batch_size": 8}
    assert parse_metric("meaning", None).options == {}
    table = parse_metric({"name": "meaning", "model": "org/name"}, None)
    assert table.options == {"model": "org/name"}


def test_the_cli_refuses_to_download(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub.constants as hub
    from typer.testing import CliRunner

    from bench.cli import app

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(hub, "HF_HUB_CACHE", str(tmp_path / "hub"))
    (tmp_path / "c.txt").write_text(CLEAN, encoding="utf-8")
    args = ["score", "--ref", str(tmp_path / "c.txt"), "--hyp", str(tmp_path / "c.txt")]
    result = CliRunner().invoke(app, [*args, "-m", "meaning:model=someone/nli"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: model 'someone/nli' is not a folder and not in")
    assert "allow_download=true" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
