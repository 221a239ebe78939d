"""The hypothesis side: what became of each fact of the clean article in a paraphrase.

Every reference fact gets one status:

- ``preserved``: its fullest surface form is in the paraphrase, as written;
- ``normalized``: the same fact in another accepted form: other case,
  diacritics, "the", a possessive, an alias (UK / Britain), a short form used
  in the article (a surname after the full name, a bracketed acronym), or for a
  quantity the same value and unit written differently ("£ 1.6bn");
- ``mangled``: not there, but a near miss is ("Kir Stmper", "Lavarov", a sum
  with a changed digit). Similarity only ever separates mangled from dropped:
  it never makes a fact preserved;
- ``dropped``: nothing close.

The paraphrase's own names and amounts are then checked the other way: a
capitalised name or a quantity that the clean article does not support is
``invented``. spaCy's model misses many corrupted names ("Enduril"), so this
side does not use NER: it reads capitalised spans, and judges them against
the article's facts and its capitalised vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from rapidfuzz import fuzz, process

from metrics.facts.capitals import CONNECTORS, WORD_CHARS, initials
from metrics.facts.demonyms import DEMONYMS, place_stem
from metrics.facts.extract import Fact, ReferenceFacts
from metrics.facts.memo import memo
from metrics.facts.names import canonical, name_key, variants
from metrics.facts.outcomes import STATUSES, Invented, Outcome
from metrics.facts.paraphrase import (
    Paraphrase,
    find_word,
    key_tokens,
    name_spans,
)
from metrics.facts.quantities import Quantity, find_quantities
from metrics.facts.quantity_match import (
    IMPLIED_WORDS,
    QuantityForms,
    classify_quantities,
    loosely_same,
    quantity_forms,
)

__all__ = ["MATCH_VERSION", "NAME_SIMILARITY", "STATUSES", "Analysis", "Invented", "Outcome",
           "analyse"]  # fmt: skip

MATCH_VERSION = "2"
NAME_SIMILARITY = 70.0
"""rapidfuzz ratio (0-100) at or above which a missing name counts as mangled, not dropped."""


@dataclass(frozen=True)
class Analysis:
    """What became of a clean article's facts in one paraphrase: an outcome per entity and
    per quantity, and what the paraphrase names or states that the article does not
    support. The entity and quantity metrics each read their half."""

    entities: tuple[Outcome, ...]
    quantities: tuple[Outcome, ...]
    names_found: int
    """Capitalised name spans in the paraphrase."""
    invented_names: tuple[Invented, ...]
    quantities_found: int
    invented_quantities: tuple[Invented, ...]


class _EntityForms(NamedTuple):
    """What a paraphrase is searched for to find one entity: worked out once per article."""

    fact: Fact
    forms: tuple[tuple[str, str], ...]
    """Every key the entity goes by (its surfaces and their aliases), longest first, each
    with its words padded for a whole-word search of the keyed paraphrase."""
    surname: str | None
    """A person's surname, if the name has more than one word and the surname more than
    two letters: found alone, it is the person named again."""
    target: str
    """name_key of the fullest form: what a near miss is measured against."""
    target_surname: str | None
    """The last word of ``target``, for a person with more than one."""
    acronym: str | None
    """Its acronym, for a name of two words or more ("bmj"), or its full name's initials
    for an acronym ("mit" for "MIT"): either names it again."""
    place_stems: frozenset[str]
    """For a place or a people, the stems of its one-word forms: "Russia" is named again
    by "the Russian navy", "American" by "the United States" (whose alias is America)."""


_PLACE_LABELS = frozenset({"GPE", "LOC", "NORP"})


_ACRONYM = re.compile(r"[A-Z]{2,6}s?")


def _acronym(name: str) -> str | None:
    """The lower-case letters of an acronym ("MIT", "NGOs"), or the initials of a name of
    three words or more (fewer letters would stand for too many names); None for
    anything else."""
    if _ACRONYM.fullmatch(name):
        return name.rstrip("s").lower()
    letters = initials(name.split())
    return letters if len(letters) >= 3 and " " in name else None


def _entity_forms(fact: Fact) -> _EntityForms:
    forms = {name_key(s) for s in fact.surfaces} | {v for s in fact.surfaces for v in variants(s)}
    person = fact.label == "PERSON"
    surname = fact.text.split()[-1] if person and " " in fact.key else None
    target = name_key(fact.text)
    return _EntityForms(
        fact=fact,
        forms=tuple((f, key_tokens(f)) for f in sorted(forms, key=lambda f: (-len(f), f)) if f),
        surname=surname if surname is not None and len(surname) > 2 else None,
        target=target,
        target_surname=target.split()[-1] if person and " " in target else None,
        acronym=_acronym(fact.text),
        place_stems=frozenset(place_stem(f) for f in forms if " " not in f and len(f) >= 4)
        if fact.label in _PLACE_LABELS
        else frozenset(),
    )


def _classify_entities(entities: tuple[_EntityForms, ...], hyp: Paraphrase) -> list[Outcome]:
    """Each entity's outcome: found as written or in another form first; the near misses
    of the rest are then scored against the paraphrase's candidates all at once."""
    outcomes: list[Outcome | None] = [_find_entity(e, hyp) for e in entities]
    missing = [i for i, o in enumerate(outcomes) if o is None]
    if missing and hyp.runs:
        targets = [entities[i].target for i in missing]
        people = [i for i in missing if entities[i].target_surname is not None]
        surnames = [entities[i].target_surname or "" for i in people]
        nearest = dict(zip(missing, _nearest(targets, hyp.near_keys), strict=True))
        by_surname = (
            dict(zip(people, _nearest(surnames, hyp.near_surnames), strict=True)) if people else {}
        )
        for i in missing:
            best, other = nearest[i], by_surname.get(i)
            if other and (best is None or other[0] > best[0]):
                best = other
            fact = entities[i].fact
            if best is None:
                outcomes[i] = Outcome(fact, "dropped")
            else:
                candidate = best[1]
                outcomes[i] = Outcome(
                    fact, "mangled", candidate.text, candidate.start, round(best[0], 1)
                )
    return [o or Outcome(e.fact, "dropped") for o, e in zip(outcomes, entities, strict=True)]


def _find_entity(entity: _EntityForms, hyp: Paraphrase) -> Outcome | None:
    """Preserved or normalized; dropped if too short to have a near miss; else None."""
    fact = entity.fact
    at = find_word(hyp.text, fact.text)
    if at >= 0:
        return Outcome(fact, "preserved", fact.text, at)
    for form, tokens in entity.forms:
        if hyp.has_key(form, tokens):
            span = hyp.locate(form)
            text = hyp.text[span[0] : span[1]] if span else form
            return Outcome(fact, "normalized", text, span[0] if span else None)
    if entity.acronym is not None:
        if _ACRONYM.fullmatch(fact.text):
            run = hyp.initials.get(entity.acronym)
            if run is not None:
                return Outcome(fact, "normalized", run.text, run.start)
        else:
            at = find_word(hyp.text, entity.acronym.upper())
            if at >= 0:
                return Outcome(fact, "normalized", entity.acronym.upper(), at)
    for place in entity.place_stems:
        token = hyp.place_stems.get(place)
        if token is not None:
            return Outcome(fact, "normalized", token.text, token.start)
    if entity.surname is not None:
        at = find_word(hyp.text, entity.surname)
        if at >= 0:
            return Outcome(fact, "normalized", entity.surname, at)
    if len(entity.target) < 3:
        return Outcome(fact, "dropped")
    return None


_Choice = TypeVar("_Choice")


def _nearest(
    targets: list[str], choices: tuple[list[str], Sequence[_Choice]]
) -> list[tuple[float, _Choice] | None]:
    """For each target, the similarity of the first of the most similar keys, if close
    enough, and its candidate: what ``process.extractOne`` picks, for all targets in one
    call (scores under the cutoff come back as 0)."""
    keys, candidates = choices
    if not targets or not keys:
        return [None] * len(targets)
    scores = process.cdist(targets, keys, scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY)
    best = scores.argmax(axis=1)  # the first of the highest
    return [
        (float(row[j]), candidates[j]) if row[j] >= NAME_SIMILARITY else None
        for row, j in zip(scores, best.tolist(), strict=True)
    ]


def _resembles(names: list[str], ref: _ReferenceIndex) -> list[str | None]:
    """The reference name each of ``names`` is a near miss of, if any: the first of the
    most similar, as ``process.extractOne`` picks it, for all names in one call."""
    keys = ref.surface_keys
    nearest = _nearest([name_key(n) for n in names], (keys, range(len(keys))))
    return [ref.surface_names[best[1]] if best else None for best in nearest]


# Lower-case tails of capitalised compounds: "Basel-based" names Basel, nothing more.
_COMPOUND_TAILS = frozenset(
    "based born led owned backed funded listed registered made style era wide run".split()
)


@dataclass(frozen=True)
class _ReferenceIndex:
    """What a paraphrase's names are judged against: worked out once per clean article."""

    vocabulary: frozenset[str]
    forms: frozenset[str]
    """Every key an entity of the article goes by (its surfaces and their aliases)."""
    stems: frozenset[str]
    """Demonym stems of the longer vocabulary words."""
    words: frozenset[str]
    """Every word of the article, in any case (name_key's words)."""
    acronyms: frozenset[str]
    """The initials of each entity's name of two words or more (``_acronym``)."""
    supported_words: frozenset[str]
    """Words supported as they are: the vocabulary, connectors, compound tails, the
    demonyms of its countries ("french" for "france") and the countries of its demonyms."""
    surface_keys: list[str]
    """name_key of every surface of every entity, and the entity's text, in the same order."""
    surface_names: list[str]
    entities: tuple[_EntityForms, ...]
    quantities: tuple[QuantityForms, ...]
    quantity_keys: frozenset[str]
    implied: dict[str, bool]
    """For each quantity a word may state (``IMPLIED_WORDS``), whether the article has one."""
    quantity_facts: tuple[Quantity, ...]
    """The article's quantities as facts (kind, value, unit), for the loose agreements."""
    judged: dict[str, tuple[bool, str | None]] = field(default_factory=dict, compare=False)
    """Names already judged in this article's paraphrases: supported, or what they resemble.
    Every paraphrase of an article uses many of the same names, most more than once."""

    def judge(self, names: list[str]) -> list[tuple[bool, str | None]]:
        """Each name's verdict: those not judged before are judged together (the near
        misses of the unsupported ones are looked for in one call)."""
        judged = self.judged
        fresh: dict[str, tuple[bool, str | None]] = {}
        new = [name for name in dict.fromkeys(names) if name not in judged]
        if new:
            unsupported = []
            for name in new:
                if _supported(name, self):
                    fresh[name] = (True, None)
                else:
                    unsupported.append(name)
            for name, resembles in zip(unsupported, _resembles(unsupported, self), strict=True):
                fresh[name] = (False, resembles)
            for name in new:
                if len(judged) >= 65536:  # a bound, against a flood of distinct names
                    break
                judged[name] = fresh[name]
        return [fresh[name] if name in fresh else judged[name] for name in names]


@memo(4096)  # a dataset's worth: every system after the first finds it
def _index(ref: ReferenceFacts) -> _ReferenceIndex:
    forms: set[str] = set()
    for fact in ref.entities:
        for surface in fact.surfaces:
            forms.update(variants(surface))
    surfaces = [(name_key(s), fact.text) for fact in ref.entities for s in fact.surfaces]
    return _ReferenceIndex(
        vocabulary=ref.vocabulary,
        forms=frozenset(forms),
        stems=frozenset(place_stem(w) for w in ref.vocabulary if len(w) >= 5)
        | {place_stem(f) for f in forms if " " not in f and len(f) >= 5},
        words=ref.words,
        acronyms=frozenset(
            a
            for fact in ref.entities
            for s in fact.surfaces
            if not _ACRONYM.fullmatch(s) and (a := _acronym(s)) is not None
        ),
        supported_words=ref.vocabulary
        | CONNECTORS
        | _COMPOUND_TAILS
        | {d for d, country in DEMONYMS.items() if country in ref.vocabulary}
        | {DEMONYMS[v] for v in ref.vocabulary if v in DEMONYMS},
        surface_keys=[key for key, _ in surfaces],
        surface_names=[name for _, name in surfaces],
        entities=tuple(_entity_forms(f) for f in ref.entities),
        quantities=tuple(quantity_forms(f) for f in ref.quantities),
        quantity_keys=frozenset(f.key for f in ref.quantities),
        implied={
            key: any(all(p in ref.words for p in w.split()) for w in words)
            for key, words in IMPLIED_WORDS.items()
        },
        quantity_facts=tuple(
            Quantity(q.kind, q.value, q.unit, f.first, f.first, f.text)
            for f, q in zip(ref.quantities, map(quantity_forms, ref.quantities), strict=True)
        ),
    )


def _supported(name: str, ref: _ReferenceIndex) -> bool:
    """Whether the article supports a name of the paraphrase: one of its entities' forms;
    or every word of it in the article (a capital only marks where it stands: "the
    American Dream" after "the American dream"), a demonym of a word in it (Kenyan /
    Kenya), or a connector or compound tail; or a place the article names by its people
    ("the United States" for "American")."""
    name = _LOWER_CASE_TAIL.sub("", name)  # "Kenya-focused" names Kenya, nothing more
    if canonical(name) in ref.forms:
        return True
    if "-" in name and all(
        w in ref.words for w in WORD_CHARS.findall(name_key(name.replace("-", "")))
    ):
        return True  # "Co-Operative" for "cooperative"
    acronym = _acronym(name)
    if acronym is not None:
        if _ACRONYM.fullmatch(name):
            if acronym in ref.acronyms:
                return True  # "BMJ" for "British Medical Journal"
        elif len(acronym) >= 3 and (acronym in ref.vocabulary or f"{acronym}s" in ref.vocabulary):
            return True  # "Digital Markets Act" for "DMA"
    supported, stems, words = ref.supported_words, ref.stems, ref.words
    if all(
        w in supported or w in words or (len(w) >= 5 and place_stem(w) in stems)
        for w in WORD_CHARS.findall(name_key(name))
    ):
        return True
    return any(place_stem(v) in stems for v in variants(name) if " " not in v and len(v) >= 5)


_LOWER_CASE_TAIL = re.compile(r"-[a-z][\w-]*")
"""The lower-case parts that a hyphen joins to a capitalised word: "-centric", "-like"."""


@memo(8)  # the metrics of one article ask one after another
def _analyse(ref: ReferenceFacts, hyp: str) -> Analysis:
    paraphrase = Paraphrase(hyp)
    spans = name_spans(hyp, paraphrase.runs, ref.vocabulary)
    index = _index(ref)
    entities = tuple(_classify_entities(index.entities, paraphrase))
    found = find_quantities(hyp)
    keys = [q.key for q in found]
    quantities = tuple(classify_quantities(index.quantities, found, keys, index.quantity_keys, hyp))

    invented_names = tuple(
        Invented(s.text, s.start, "NAME", resembles)
        for s, (supported, resembles) in zip(
            spans, index.judge([s.text for s in spans]), strict=True
        )
        if not supported
    )
    near_q = {o.found: o.fact.text for o in quantities if o.status == "mangled" and o.found}
    invented_quantities = tuple(
        Invented(q.text, q.start, q.kind, near_q.get(q.text))
        for q, key in zip(found, keys, strict=True)
        if key not in index.quantity_keys
        and loosely_same(q.kind, q.value, q.unit, index.quantity_facts) is None
        and not (key in IMPLIED_WORDS and index.implied.get(key))
    )
    return Analysis(
        entities=entities,
        quantities=quantities,
        names_found=len(spans),
        invented_names=invented_names,
        quantities_found=len(found),
        invented_quantities=invented_quantities,
    )


def analyse(reference: ReferenceFacts, hypothesis: str) -> Analysis:
    """Classify every reference fact in ``hypothesis`` and find what it invented.

    Cached on (reference, hypothesis) for the last few paraphrases, so the entity
    and quantity metrics of one article share the work (a run measures every metric
    of an article before the next). Only a few: analyses kept for hundreds of
    articles would live long enough to reach the garbage collector's oldest
    generation and set off its full collections.
    """
    return _analyse(reference, hypothesis)
