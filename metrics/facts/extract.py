"""Reference-side extraction: the facts of a clean article that a paraphrase must keep.

Named entities come from a spaCy pipeline (the English model by default; a
blank pipeline with phrase rules in tests), corrected where the small model
is known to stumble (it splits "Ursula von der Leyen" at the particle), and
quantities come from our own parser, which replaces spaCy's numeric labels.
Mentions are grouped into facts: every mention of "Ukraine" is one fact, and
"Hegseth" after "Pete Hegseth" is a short form of the same person.

Extraction is cached by content hash (in memory and, optionally, on disk), so
each clean article is parsed once however many systems are scored, and once
across runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from metrics.atomic import write_atomic
from metrics.facts.memo import Recent
from metrics.facts.names import NAMES_VERSION, WORD, canonical, name_key, name_key_plain
from metrics.facts.quantities import PARSER_VERSION, find_quantities

EXTRACTOR_VERSION = "2"

NAME_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE",
)  # fmt: skip
_PARTICLES = frozenset({"von", "van", "der", "den", "de", "del", "della", "da", "di", "la", "le",
                        "du", "bin", "al", "ibn", "ter", "dos", "das"})  # fmt: skip
_ACRONYM_AFTER = re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z&]{1,9})\)")


class Fact(NamedTuple):
    """One fact of an article: a named entity or a quantity, with every form it takes there.

    (A named tuple: immutable, smaller than a frozen dataclass and a third of its cost
    to build; a run holds tens of thousands.)"""

    kind: str
    """``entity`` or ``quantity``."""
    label: str
    """Entity type (PERSON, ORG, ...) or quantity kind (MONEY, DATE, ...)."""
    key: str
    """What identifies the fact: a canonical name, or ``kind|value|unit``."""
    text: str
    """Its fullest surface form in the article."""
    surfaces: tuple[str, ...]
    """Every distinct surface form in the article, fullest first."""
    first: int
    """Character offset of its first mention."""
    mentions: int


@dataclass(frozen=True)
class ReferenceFacts:
    """Everything the hypothesis side needs to know about one clean article."""

    sha256: str
    entities: tuple[Fact, ...]
    quantities: tuple[Fact, ...]
    vocabulary: frozenset[str]
    """name_key of every capitalised word of the article: what a paraphrase may name."""
    words: frozenset[str] = frozenset()
    """Every word of the article in any case, as name_key reads it: a paraphrase may
    capitalise them ("the American Dream" for "the American dream")."""

    def __hash__(self) -> int:
        # The content hash stands for the article: the analysis caches keyed on these facts
        # hash one string instead of every fact. Equality still compares every field.
        return hash(self.sha256)

    def to_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "entities": [f._asdict() for f in self.entities],
            "quantities": [f._asdict() for f in self.quantities],
            "vocabulary": sorted(self.vocabulary),
            "words": sorted(self.words),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReferenceFacts:
        def facts(rows: list[dict[str, Any]]) -> tuple[Fact, ...]:
            return tuple(Fact(**{**r, "surfaces": tuple(r["surfaces"])}) for r in rows)

        return cls(
            sha256=data["sha256"],
            entities=facts(data["entities"]),
            quantities=facts(data["quantities"]),
            vocabulary=frozenset(data["vocabulary"]),
            words=frozenset(data["words"]),
        )


Span = tuple[int, int, str]
"""start, end, label."""


class NamedEntityRecognizer(Protocol):
    """What the extractor needs from an NER engine: spans per text, and a signature."""

    @property
    def signature(self) -> str: ...

    def spans(self, texts: Sequence[str]) -> list[list[Span]]: ...


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _vocabulary(text: str) -> frozenset[str]:
    """Each word of each capitalised token, as name_key: 'Anglo-American' -> anglo, american."""
    words: set[str] = set()
    for m in WORD.finditer(text):
        if m.group(0)[0].isupper():
            words.update(re.findall(r"\w+", name_key(m.group(0))))
    return frozenset(words)


def _clean_spans(text: str, spans: Iterable[Span]) -> list[Span]:
    """Keep name labels, mend particle splits, trim 'the' and possessives."""
    kept = sorted((s, e, label) for s, e, label in spans if label in NAME_LABELS)
    merged: list[Span] = []
    for start, end, label in kept:
        if merged:
            p_start, p_end, p_label = merged[-1]
            last_word = text[p_start:p_end].split()[-1]
            gap = text[p_end:start]
            if last_word.lower() in _PARTICLES and gap.strip() == "" and len(gap) <= 1:
                merged[-1] = (p_start, end, p_label)
                continue
        merged.append((start, end, label))
    cleaned: list[Span] = []
    for start, end, label in merged:
        surface = text[start:end]
        lead = re.match(r"(?i)the\s+", surface)
        if lead:
            start += lead.end()
        tail = re.search(r"['’]s?$", text[start:end])
        if tail:
            end -= len(tail.group(0))
        surface = text[start:end]
        if end > start and any(c.isupper() for c in surface):
            cleaned.append((start, end, label))
    return cleaned


def _group_entities(text: str, spans: list[Span]) -> list[Fact]:
    groups: dict[str, list[Span]] = defaultdict(list)
    for span in spans:
        groups[canonical(text[span[0] : span[1]])].append(span)

    # A bracketed acronym after a name is a short form of it: "Ministry of Defence (MoD)".
    acronym_of: dict[str, str] = {}
    for key, members in groups.items():
        for _, end, _ in members:
            found = _ACRONYM_AFTER.match(text, end)
            if found and canonical(found["acr"]) != key:
                acronym_of[canonical(found["acr"])] = key
    for acr, owner in acronym_of.items():
        groups[owner].extend(groups.pop(acr, []))
        groups[owner].append((-1, -1, f"alias:{acr}"))

    # A one-word person after a fuller name is a short form: "Hegseth" after "Pete Hegseth".
    people = {k: v for k, v in groups.items() if _label(v) == "PERSON"}
    for key in list(people):
        if " " in key:
            continue
        owners = [
            k for k in people if " " in k and key in (k.split()[0], k.split()[-1]) and k in groups
        ]
        if len(owners) == 1 and key in groups:
            groups[owners[0]].extend(groups.pop(key))

    facts = []
    for key, members in groups.items():
        real = [m for m in members if m[0] >= 0]
        surfaces = {text[s:e] for s, e, _ in real}
        surfaces |= {m[2].split(":", 1)[1] for m in members if m[0] < 0 and ":" in m[2]}
        ordered = sorted(surfaces, key=lambda s: (-len(s), s))
        facts.append(
            Fact(
                kind="entity",
                label=_label(real),
                key=key,
                text=ordered[0],
                surfaces=tuple(ordered),
                first=min(s for s, _, _ in real),
                mentions=len(real),
            )
        )
    return sorted(facts, key=lambda f: f.first)


def _label(members: Sequence[Span]) -> str:
    counts = Counter(label for s, _, label in members if s >= 0)
    return counts.most_common(1)[0][0] if counts else "ORG"


def _group_quantities(text: str) -> list[Fact]:
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for q in find_quantities(text):
        groups[q.key].append((q.start, q.text))
    facts = []
    for key, members in groups.items():
        surfaces = sorted({t for _, t in members}, key=lambda s: (-len(s), s))
        facts.append(
            Fact(
                kind="quantity",
                label=key.split("|", 1)[0],
                key=key,
                text=min(members)[1],
                surfaces=tuple(surfaces),
                first=min(members)[0],
                mentions=len(members),
            )
        )
    return sorted(facts, key=lambda f: f.first)


def _code_digest() -> str:
    digest = hashlib.sha256()
    for module in (
        "extract.py",
        "quantities.py",
        "quantity_forms.py",
        "quantity_places.py",
        "names.py",
    ):
        digest.update((Path(__file__).parent / module).read_bytes())
    return digest.hexdigest()


def default_cache_dir() -> Path | None:
    """``$SPINBENCH_CACHE`` or ``~/.cache/spinbench``; ``SPINBENCH_CACHE=off`` disables it."""
    configured = os.environ.get("SPINBENCH_CACHE")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    return Path.home() / ".cache" / "spinbench"


MEMORY = 4096
"""Articles whose facts an extractor keeps in memory: a dataset's worth for most runs,
bounded so that a worker scoring millions of articles does not grow without end."""


class FactExtractor:
    """Facts of clean articles, cached by content hash per extractor signature."""

    def __init__(self, ner: NamedEntityRecognizer, cache_dir: Path | None = None) -> None:
        self.ner = ner
        self._memory: Recent[str, ReferenceFacts] = Recent(MEMORY)
        """The facts of the last MEMORY articles (the disk cache keeps them all);
        ``memo.clear()`` empties it."""
        self._disk = None
        if cache_dir is not None:
            # The code's own digest is part of the key: a changed parser never reads
            # facts cached by an older one, even before its version is bumped.
            key = self.signature + _code_digest()
            self._disk = cache_dir / "facts" / hashlib.sha256(key.encode()).hexdigest()[:16]

    @property
    def signature(self) -> str:
        """The NER engine plus our own parser and normaliser versions."""
        return (
            f"{self.ner.signature}|qty:{PARSER_VERSION}|names:{NAMES_VERSION}"
            f"|facts:{EXTRACTOR_VERSION}"
        )

    def extract(self, texts: Sequence[str]) -> list[ReferenceFacts]:
        """Facts of each text; only texts never seen before are parsed, in one batch."""
        digests = [sha256_text(t) for t in texts]
        known: dict[str, ReferenceFacts] = {}
        missing: dict[str, str] = {}
        for digest, text in zip(digests, texts, strict=True):
            if digest in known or digest in missing:
                continue
            facts = self._memory.get(digest) or self._load(digest)
            if facts is None:
                missing[digest] = text
            else:
                known[digest] = facts
        if missing:
            order = list(missing)
            spans = self.ner.spans([missing[d] for d in order])
            for digest, found in zip(order, spans, strict=True):
                text = missing[digest]
                known[digest] = ReferenceFacts(
                    sha256=digest,
                    entities=tuple(_group_entities(text, _clean_spans(text, found))),
                    quantities=tuple(_group_quantities(text)),
                    vocabulary=_vocabulary(text),
                    words=frozenset(re.findall(r"\w+", name_key_plain(text))),
                )
                self._store(known[digest])
        for digest, facts in known.items():
            self._memory.put(digest, facts)
        return [known[d] for d in digests]

    def _load(self, digest: str) -> ReferenceFacts | None:
        if self._disk is None:
            return None
        path = self._disk / f"{digest}.json"
        try:
            return ReferenceFacts.from_json(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _store(self, facts: ReferenceFacts) -> None:
        if self._disk is None:
            return
        entry = json.dumps(facts.to_json())
        # A cache that cannot be written is only slower; a full disk leaves no file behind.
        with contextlib.suppress(OSError):
            write_atomic(self._disk / f"{facts.sha256}.json", entry, sync=False)
