"""An NLI or fact-checking model as a second judge of the aligned sentences.

The rules of ``verdicts`` see only what the parse shows; a model trained on
entailment sees rewordings beyond WordNet and changes the parse misses. When
the user has such a model (any sequence-classification checkpoint: an MNLI
DeBERTa, MiniCheck, a 2-label consistent/inconsistent head), ``Judge`` runs it
on the aligned sentences in both directions, as SummaC does:

- each paraphrase sentence (hypothesis) against its aligned clean sentences
  (premise): is what the paraphrase says supported by the article?
- each clean sentence against its aligned paraphrase sentences: is what the
  article says still said?

Pairs are judged in batches sorted by token length (little padding), and each
judgment is cached by content: sha256 of the model's fingerprint, premise and
hypothesis, in memory and in ``$SPINBENCH_CACHE/nli.sqlite``. The fingerprint
is the sha256 of the model's weight, config and tokenizer files, so a changed
file is a different model. Nothing is downloaded unless ``allow_download`` is
set: a folder is read as it is, and a Hugging Face id is looked up in the local
Hugging Face cache only. ``revise`` says how the judgments change the verdicts.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from metrics.facts.memo import Recent
from metrics.meaning.reading import Reading
from metrics.meaning.verdicts import Analysis

NLI_VERSION = "1"
ENTAILMENT = frozenset({"entailment", "entailed", "entails", "entail", "consistent", "supported",
                        "support", "supports", "faithful", "factual", "yes", "true"})  # fmt: skip
CONTRADICTION = frozenset({"contradiction", "contradicted", "contradicts", "contradict",
                           "refuted", "refutes", "refute"})  # fmt: skip
NOT_ENTAILED = frozenset({"neutral", "not_entailment", "non_entailment", "not_entailed",
                          "inconsistent", "unsupported", "not_supported", "not_enough_info",
                          "nei", "hallucinated", "hallucination", "unfaithful", "no",
                          "false"})  # fmt: skip
"""Labels that mean "not entailed" without saying "contradicted" (neutral, a 2-label
negative class): such a judgment makes a sentence unsupported, never contradicted."""
MODEL_FILES = ("*.json", "*.safetensors", "*.bin", "*.model", "*.txt", "*.tiktoken")
"""The files that make the model: weights, config, tokenizer (hashed and downloaded)."""
BATCH_SIZE = 16
MEMORY = 65536
"""Judgments kept in memory (the rest are on disk)."""


class JudgeError(ValueError):
    """The model cannot be used: missing, not allowed to download, or labels unknown
    (a ValueError, which ``bench`` reports as a one-line error)."""


@dataclass(frozen=True)
class Judgment:
    """The model's reading of one (premise, hypothesis) pair."""

    label: str
    """entailment, neutral (not entailed) or contradiction: the most probable class."""
    entailment: float
    contradiction: float

    def describe(self) -> str:
        return f"{self.label} (p_entail={self.entailment:.2f}, p_contra={self.contradiction:.2f})"


def label_roles(id2label: dict[int, str], override: str | Sequence[str] | None) -> tuple[str, ...]:
    """What each output of the model means: entailment, neutral or contradiction.

    Read from the config's ``id2label`` unless ``override`` names the outputs in
    order ("inconsistent/consistent" or a list). Exactly one output must mean
    entailment and every other one must be recognised; otherwise we cannot tell
    what the model says, and say so.
    """
    if override is not None:
        names = override.split("/") if isinstance(override, str) else list(override)
        if len(names) != len(id2label):
            raise JudgeError(
                f"labels={'/'.join(names)!r} names {len(names)} outputs; "
                f"the model has {len(id2label)}"
            )
    else:
        names = [id2label[i] for i in sorted(id2label)]
    roles: list[str] = []
    for name in names:
        key = name.strip().lower().replace("-", "_").replace(" ", "_")
        if key in ENTAILMENT:
            roles.append("entailment")
        elif key in CONTRADICTION:
            roles.append("contradiction")
        elif key in NOT_ENTAILED:
            roles.append("neutral")
        else:
            roles.append("?")
    if roles.count("entailment") != 1 or "?" in roles or len(roles) < 2:
        raise JudgeError(
            f"cannot tell what the model's outputs mean from their labels {names}: expected "
            "one entailment label and neutral/contradiction (or consistent/inconsistent) "
            "labels; name them in order with the option labels=..., e.g. "
            "labels=inconsistent/consistent"
        )
    return tuple(roles)


def resolve(model: str, allow_download: bool) -> tuple[Path, str]:
    """The local folder of ``model`` (a folder, or a Hugging Face id) and its revision.

    A hub id is looked up in the local Hugging Face cache; only with
    ``allow_download`` may it be fetched (weights, config and tokenizer files).
    """
    folder = Path(model).expanduser()
    if folder.is_dir():
        return folder.resolve(), "local"
    if model.startswith((".", "/", "~")) or model.count("/") > 1:
        raise JudgeError(f"model {model!r}: no such folder")
    from huggingface_hub import snapshot_download

    try:
        path = snapshot_download(
            model, allow_patterns=list(MODEL_FILES), local_files_only=not allow_download
        )
    except Exception as exc:  # the hub library raises many kinds; each means "not here"
        if not allow_download:
            raise JudgeError(
                f"model {model!r} is not a folder and not in the local Hugging Face cache; "
                "nothing is downloaded unless you allow it (option allow_download=true), "
                "or give the folder of a saved model"
            ) from None
        raise JudgeError(f"model {model!r}: download failed: {exc}") from None
    return Path(path), Path(path).name


def fingerprint(folder: Path) -> str:
    """sha256 over the names and sha256 of the model's files (weights, config, tokenizer)."""
    files = sorted({p for pattern in MODEL_FILES for p in folder.glob(pattern) if p.is_file()})
    if not files:
        raise JudgeError(f"model folder {folder}: no config or weight files in it")
    digest = hashlib.sha256()
    for path in files:
        inner = hashlib.sha256()
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                inner.update(block)
        digest.update(f"{path.name}\0{inner.hexdigest()}\n".encode())
    return digest.hexdigest()


class Judge:
    """A sequence-classification model judging (premise, hypothesis) pairs, with a cache."""

    def __init__(
        self,
        model: str,
        *,
        allow_download: bool = False,
        labels: str | Sequence[str] | None = None,
        batch_size: int = BATCH_SIZE,
        cache_dir: Path | None = None,
    ) -> None:
        if not isinstance(batch_size, int) or batch_size < 1:
            raise JudgeError(f"model batch_size must be a positive integer, not {batch_size!r}")
        if not isinstance(allow_download, bool):  # "false" in a config file must not allow
            raise JudgeError(f"allow_download must be true or false, not {allow_download!r}")
        self.name = model
        self.batch_size = batch_size
        self.folder, self.revision = resolve(model, allow_download)
        self.sha256 = fingerprint(self.folder)
        self.batches = 0
        """Forward passes run so far (tests count them to check the cache)."""
        self.tokens = 0
        """Token positions fed to the model so far, padding included (the work done)."""
        self._memory: Recent[str, Judgment] = Recent(MEMORY)
        self._db: sqlite3.Connection | None = None
        if cache_dir is not None:
            try:
                cache_dir.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(cache_dir / "nli.sqlite", timeout=30)
                self._db.execute("CREATE TABLE IF NOT EXISTS judgments (key TEXT PRIMARY KEY, "
                                 "value TEXT NOT NULL)")  # fmt: skip
            except sqlite3.Error:
                self._db = None  # a cache that cannot be opened is only slower
        self._load(labels)

    def _load(self, labels: str | Sequence[str] | None) -> None:
        """Read the config now (labels, length limit: errors show at once); the weights
        are loaded on the first judgment, so building the metric stays cheap."""
        from transformers import AutoConfig

        try:
            config = AutoConfig.from_pretrained(self.folder, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise JudgeError(f"{self._where}: cannot read its config: {exc}") from None
        if getattr(config, "auto_map", None):
            raise JudgeError(f"{self._where} needs its own Python code to run; we do not run it")
        self.roles = label_roles(dict(config.id2label), labels)
        self.max_length = int(min(512, getattr(config, "max_position_embeddings", 512) or 512))
        self._model: Any = None
        self._tokenizer: Any = None

    @property
    def _where(self) -> str:
        return f"model {self.name!r} ({self.folder})"

    def _classifier(self) -> tuple[Any, Any]:
        """The tokenizer and the model, loaded once from the local folder."""
        if self._model is None:
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
            from transformers.utils import logging

            logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no bar per load
            try:
                self._tokenizer = AutoTokenizer.from_pretrained(self.folder, local_files_only=True)
                self._model = AutoModelForSequenceClassification.from_pretrained(
                    self.folder, local_files_only=True
                ).eval()
            except (OSError, ValueError) as exc:
                raise JudgeError(f"{self._where}: cannot load it as a classifier: {exc}") from None
            self.max_length = int(min(self.max_length, self._tokenizer.model_max_length))
        return self._tokenizer, self._model

    @property
    def signature(self) -> str:
        """The model by name, revision and file digest, and the judging code's version."""
        return f"{self.name}@{self.revision}:sha256={self.sha256[:16]}|nli:{NLI_VERSION}"

    def _key(self, premise: str, hypothesis: str) -> str:
        payload = json.dumps([self.sha256, NLI_VERSION, premise, hypothesis])
        return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()

    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[Judgment]:
        """The judgment of each (premise, hypothesis) pair; only unseen pairs reach the model."""
        keys = [self._key(p, h) for p, h in pairs]
        found = {k: j for k in keys if (j := self._memory.get(k)) is not None}
        found.update(self._read([k for k in dict.fromkeys(keys) if k not in found]))
        todo = {k: pair for k, pair in zip(keys, pairs, strict=True) if k not in found}
        if todo:
            fresh = dict(zip(todo, self._run(list(todo.values())), strict=True))
            self._write(fresh)
            found.update(fresh)
        for key, judgment in found.items():
            self._memory.put(key, judgment)
        return [found[k] for k in keys]

    def _run(self, pairs: Sequence[tuple[str, str]]) -> list[Judgment]:
        """Run the model on pairs in batches of similar token length."""
        import torch

        tokenizer, model = self._classifier()
        encoded = tokenizer(
            [p for p, _ in pairs], [h for _, h in pairs],
            truncation=True, max_length=self.max_length,
        )  # fmt: skip
        rows = [{k: v[i] for k, v in encoded.items()} for i in range(len(pairs))]
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]["input_ids"]))
        results: list[Judgment | None] = [None] * len(rows)
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            batch = tokenizer.pad([rows[i] for i in chunk], return_tensors="pt")
            with torch.inference_mode():
                logits = model(**batch).logits.float()
            self.batches += 1
            self.tokens += int(batch["input_ids"].numel())
            for i, probs in zip(chunk, torch.softmax(logits, dim=-1).tolist(), strict=True):
                results[i] = self._judgment(probs)
        return [r for r in results if r is not None]

    def _judgment(self, probs: Sequence[float]) -> Judgment:
        by_role = {"entailment": 0.0, "neutral": 0.0, "contradiction": 0.0}
        for role, p in zip(self.roles, probs, strict=True):
            by_role[role] += p
        label = max(by_role, key=lambda r: (by_role[r], r == "neutral"))
        return Judgment(label, by_role["entailment"], by_role["contradiction"])

    def _read(self, keys: Sequence[str]) -> dict[str, Judgment]:
        if self._db is None or not keys:
            return {}
        found: dict[str, Judgment] = {}
        try:
            for start in range(0, len(keys), 500):
                part = list(keys[start : start + 500])
                marks = ",".join("?" * len(part))
                for key, value in self._db.execute(
                    f"SELECT key, value FROM judgments WHERE key IN ({marks})", part
                ):
                    label, entail, contra = json.loads(value)
                    found[key] = Judgment(label, float(entail), float(contra))
        except (sqlite3.Error, ValueError):
            return found
        return found

    def _write(self, judgments: dict[str, Judgment]) -> None:
        if self._db is None:
            return
        rows = [(k, json.dumps([j.label, j.entailment, j.contradiction]))
                for k, j in judgments.items()]  # fmt: skip
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO judgments VALUES (?, ?)", rows)
        except sqlite3.Error:
            return


@dataclass(frozen=True)
class Judged:
    """The model's judgments of one article: per clean sentence (is it still said?) and per
    paraphrase sentence (is it supported?), for the sentences that are aligned."""

    clean: dict[int, Judgment]
    paraphrase: dict[int, Judgment]


def window_pairs(
    clean: Reading, paraphrase: Reading, analysis: Analysis
) -> list[tuple[str, int, str, str]]:
    """(side, sentence, premise, hypothesis) for every aligned sentence, both directions:
    the sentence is the hypothesis, the aligned sentences of the other text the premise."""
    out: list[tuple[str, int, str, str]] = []
    for pair in analysis.pairs:
        if not pair.clean or not pair.paraphrase:
            continue
        clean_window = " ".join(clean.sentences[i].text for i in pair.clean)
        para_window = " ".join(paraphrase.sentences[j].text for j in pair.paraphrase)
        out += [("paraphrase", j, clean_window, paraphrase.sentences[j].text)
                for j in pair.paraphrase]  # fmt: skip
        out += [("clean", i, para_window, clean.sentences[i].text) for i in pair.clean]
    return out


def judge_article(judge: Judge, clean: Reading, paraphrase: Reading, analysis: Analysis) -> Judged:
    pairs = window_pairs(clean, paraphrase, analysis)
    judgments = judge.judge([(p, h) for _, _, p, h in pairs])
    judged = Judged({}, {})
    for (side, index, _, _), judgment in zip(pairs, judgments, strict=True):
        getattr(judged, side)[index] = judgment
    return judged


def make_judge(model: str, **options: Any) -> Judge:
    """The judge of the ``meaning`` metric's ``model`` option, with the shared disk cache."""
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        raise JudgeError(
            f"model {model!r}: the model judge needs torch and transformers: "
            "pip install 'spinbench[nli]'"
        ) from None
    from metrics.facts.extract import default_cache_dir

    return Judge(model, cache_dir=default_cache_dir(), **options)


def apply(judge: Judge, clean: Reading, paraphrase: Reading, analysis: Analysis) -> Analysis:
    """The article's verdicts revised by the model's judgments (see ``revise``)."""
    return revise(judge_article(judge, clean, paraphrase, analysis), clean, paraphrase, analysis)


def revise(judged: Judged, clean: Reading, paraphrase: Reading, analysis: Analysis) -> Analysis:
    """The rule verdicts, corrected by the model's judgment of each proposition's sentence.

    - a clean proposition ``kept`` by the rules whose sentence the model finds not
      entailed by the aligned paraphrase sentences (neutral or contradiction) is
      ``dropped``, its reason "model: ..."; a clean proposition the rules found
      ``dropped`` whose sentence the model finds entailed is ``kept``;
    - a paraphrase proposition ``supported`` by the rules whose sentence the model
      finds contradicted by the aligned clean sentences is ``contradicting``, and
      ``added`` when the model finds it only not entailed; one the rules found
      ``added`` whose sentence the model finds entailed is ``supported``;
    - every change the rules name (polarity, antonym, roles, certainty, argument,
      contradicting) stands, and unaligned sentences are not judged.
    """
    clean_verdicts = list(analysis.clean)
    for k, (verdict, other, _) in enumerate(clean_verdicts):
        j = judged.clean.get(clean.propositions[k].sentence)
        if j is None:
            continue
        if verdict == "kept" and j.label != "entailment":
            clean_verdicts[k] = ("dropped", other, f"model: {j.describe()}")
        elif verdict == "dropped" and j.label == "entailment":
            clean_verdicts[k] = ("kept", other, f"model: {j.describe()}")
    para_verdicts = list(analysis.paraphrase)
    for k, (verdict, other) in enumerate(para_verdicts):
        j = judged.paraphrase.get(paraphrase.propositions[k].sentence)
        if j is None:
            continue
        if verdict == "supported" and j.label != "entailment":
            para_verdicts[k] = ("contradicting" if j.label == "contradiction" else "added", other)
        elif verdict == "added" and j.label == "entailment":
            para_verdicts[k] = ("supported", other)
    return replace(analysis, clean=tuple(clean_verdicts), paraphrase=tuple(para_verdicts))


def explain_judged(judged: Judged, clean: Reading, paraphrase: Reading) -> list[dict[str, Any]]:
    """Each judged sentence with the model's label and probabilities (for diagnostics)."""
    return [{"side": side, "sentence": index, "text": reading.sentences[index].text,
             "label": j.label, "entailment": round(j.entailment, 4),
             "contradiction": round(j.contradiction, 4)}
            for side, found, reading in (("clean", judged.clean, clean),
                                         ("paraphrase", judged.paraphrase, paraphrase))
            for index, j in sorted(found.items())]  # fmt: skip
