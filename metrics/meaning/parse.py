"""Parsing texts into readings with the pinned English model, cached by content hash.

The clean side is parsed once per article however many systems are scored
(in memory, and on disk under ``$SPINBENCH_CACHE/meaning``, like the facts
extractor's cache); the last few hundred paraphrases are kept in memory too,
so the meaning metric and the ranking score that contains it parse a
paraphrase once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from metrics.atomic import write_atomic
from metrics.facts.extract import sha256_text
from metrics.facts.memo import Recent
from metrics.facts.spacy_ner import CHUNK, batch_size, chunks, english_model, expect_parses
from metrics.meaning.reading import READING_VERSION, Reading, join, read_doc

MEMORY = 4096
"""Clean articles whose readings are kept in memory."""
RECENT = 512
"""Paraphrases whose readings are kept in memory."""


def _code_digest() -> str:
    digest = hashlib.sha256()
    for module in ("reading.py", "parse.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    return digest.hexdigest()


class Parser:
    """Readings of texts from a spaCy pipeline with tagger, parser, lemmatizer and NER."""

    def __init__(self, cache_dir: Path | None = None, nlp: Any = None, name: str = "") -> None:
        self._nlp: Any = nlp
        self._english = None
        if nlp is None:
            # The process's one English model, which also gives the fact extractor its
            # entities: a clean article is read by both in one pass.
            self._english = english_model()
            expect_parses()
            self.model = self._english.signature
        else:
            self.model = name or "custom"
        self._memory: Recent[str, Reading] = Recent(MEMORY)
        self._recent: Recent[str, Reading] = Recent(RECENT)
        self._disk = None
        if cache_dir is not None:
            key = self.signature + _code_digest()
            self._disk = cache_dir / "meaning" / hashlib.sha256(key.encode()).hexdigest()[:16]

    @property
    def signature(self) -> str:
        return f"{self.model}|reading:{READING_VERSION}"

    @property
    def nlp(self) -> Any:
        if self._nlp is None and self._english is not None:
            self._nlp = self._english.nlp
        return self._nlp

    def parse(self, texts: Sequence[str]) -> list[Reading]:
        """Readings of clean texts, parsed in one batch (no cache: see ``references``);
        the English model keeps their entities for the fact extractor."""
        return self._readings(texts, clean=True)

    def _readings(self, texts: Sequence[str], *, clean: bool) -> list[Reading]:
        pieces: list[tuple[int, str]] = []
        for index, text in enumerate(texts):
            pieces += [(index, piece) for _, piece in chunks(text, CHUNK)]
        parts: list[list[Reading]] = [[] for _ in texts]
        # As many pieces a batch as keep it under BATCH_CHARS: the parser's memory grows
        # with the text of a batch, so one huge article must not fill one.
        batch = batch_size(piece for _, piece in pieces)
        docs: Iterable[Any]
        if self._english is None:
            docs = self.nlp.pipe((piece for _, piece in pieces), batch_size=batch)
        elif clean:
            docs = self._english.clean_docs([piece for _, piece in pieces], batch)
        else:
            docs = self._english.docs([piece for _, piece in pieces], batch)
        for (index, piece), doc in zip(pieces, docs, strict=True):
            first = sum(len(r.sentences) for r in parts[index])
            parts[index].append(read_doc(doc, piece, "", first))
        return [join(sha256_text(t), p) for t, p in zip(texts, parts, strict=True)]

    def references(self, texts: Sequence[str]) -> list[Reading]:
        """Readings of clean articles; only texts never seen before are parsed."""
        digests = [sha256_text(t) for t in texts]
        known: dict[str, Reading] = {}
        missing: dict[str, str] = {}
        for digest, text in zip(digests, texts, strict=True):
            if digest in known or digest in missing:
                continue
            reading = self._memory.get(digest) or self._read(digest)
            if reading is None:
                missing[digest] = text
            else:
                known[digest] = reading
        if missing:
            for reading in self.parse(list(missing.values())):
                known[reading.sha256] = reading
                self._write(reading)
        for digest, reading in known.items():
            self._memory.put(digest, reading)
        return [known[d] for d in digests]

    def hypothesis(self, text: str) -> Reading:
        """The reading of one paraphrase (the last RECENT are remembered)."""
        digest = sha256_text(text)
        reading = self._recent.get(digest) or self._memory.get(digest)
        if reading is None:
            reading = self._readings([text], clean=False)[0]
        self._recent.put(digest, reading)
        return reading

    def _read(self, digest: str) -> Reading | None:
        if self._disk is None:
            return None
        try:
            return Reading.from_json(json.loads((self._disk / f"{digest}.json").read_text("utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write(self, reading: Reading) -> None:
        if self._disk is None:
            return
        try:
            text = json.dumps(reading.to_json())
            write_atomic(self._disk / f"{reading.sha256}.json", text, sync=False)
        except OSError:
            return  # a cache that cannot be written is only slower


_DEFAULT: Parser | None = None


def default_parser() -> Parser:
    """The shared parser: the pinned English model, with the on-disk cache."""
    global _DEFAULT
    if _DEFAULT is None:
        from metrics.facts.extract import default_cache_dir

        _DEFAULT = Parser(default_cache_dir())
    return _DEFAULT
