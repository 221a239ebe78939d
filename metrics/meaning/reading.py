"""One reading of a text: its sentences and the propositions spaCy's parse gives them.

A proposition is who did what to whom, as the dependency parse shows it:

- the **predicate**: a verb's lemma ("turn down" with its particle), a predicative
  adjective or noun ("the talks were productive" -> productive), or the noun of
  a light verb ("made a decision" -> decision);
- its **arguments by role**, passive and active brought to one form: ``agent``
  (the active subject, or "by ..." of a passive), ``patient`` (the object, or the
  passive subject), ``recipient``, ``theme`` (the subject of a predicative
  adjective or noun) and ``obl`` (prepositional phrases); a relative pronoun
  stands for the noun it refers to, and a verb that has no subject of its own
  takes the one of the verb it depends on ("failed to reach", "and cut");
- **negated**: not, n't, never, no, none, nobody, nothing, without, failed to;
- **hedged**: may, might, could, perhaps, maybe, possibly, probably.

A predicate with no argument at all is not read as a proposition: it states
nothing that could be checked.

Every word is reduced to an *item*: its lower-case lemma, or for a name the
words of its canonical form marked ``@`` (UK = Britain), or for an amount its normalised
quantity key (``#MONEY|1600000000|GBP`` for both "£1.6bn" and "£1.6 billion").
Readings are plain data, so the clean side's can be cached as JSON.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from metrics.facts.names import canonical
from metrics.facts.quantities import find_quantities

READING_VERSION = "3"

NAME_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
                         "WORK_OF_ART", "LAW", "LANGUAGE"})  # fmt: skip
NEGATORS = frozenset({"not", "n't", "never", "no", "none", "nobody", "nothing", "neither",
                      "nor", "nowhere", "no one"})  # fmt: skip
HEDGES = frozenset({"may", "might", "could", "perhaps", "maybe", "possibly", "probably"})
"""Not "would": reported speech turns "will" into "would" ("said it would")."""
LIGHT_VERBS = frozenset({"make", "take", "give", "have", "do", "hold", "carry", "conduct"})
NEGATING_VERBS = frozenset({"fail"})
"""Verbs whose infinitive complement did not happen: "failed to reach" = did not reach."""
RELATIVE = frozenset({"that", "which", "who", "whom", "whose"})
_CUT = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "punct", "cc", "det", "neg", "aux",
                  "auxpass", "mark", "appos", "parataxis", "prep", "case"})  # fmt: skip


@dataclass(frozen=True)
class Argument:
    role: str
    items: tuple[str, ...]
    words: str
    """The argument as written (for diagnostics)."""

    def to_json(self) -> list[Any]:
        return [self.role, list(self.items), self.words]


@dataclass(frozen=True)
class Proposition:
    sentence: int
    predicate: str
    """The predicate's lemma (the item it is compared by)."""
    words: str
    """The predicate as written, with its auxiliaries and negation ("has not rejected")."""
    negated: bool
    hedged: bool
    arguments: tuple[Argument, ...]

    def role(self, name: str) -> tuple[str, ...]:
        items: list[str] = []
        for argument in self.arguments:
            if argument.role == name:
                items += argument.items
        return tuple(items)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.role for a in self.arguments if a.items))

    def describe(self) -> str:
        """'agent=[Russia] not rejected patient=[the truce]' for diagnostics."""
        parts = [f"{a.role}=[{a.words}]" for a in self.arguments]
        head = ("may " if self.hedged else "") + ("NOT " if self.negated else "") + self.predicate
        return " ".join([head, *parts])

    def to_json(self) -> list[Any]:
        return [self.sentence, self.predicate, self.words, self.negated, self.hedged,
                [a.to_json() for a in self.arguments]]  # fmt: skip

    @classmethod
    def from_json(cls, row: list[Any]) -> Proposition:
        sentence, predicate, words, negated, hedged, arguments = row
        return cls(sentence, predicate, words, bool(negated), bool(hedged),
                   tuple(Argument(r, tuple(i), w) for r, i, w in arguments))  # fmt: skip


@dataclass(frozen=True)
class Sentence:
    text: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    sha256: str
    sentences: tuple[Sentence, ...]
    propositions: tuple[Proposition, ...]

    def __hash__(self) -> int:
        return hash(self.sha256)

    def to_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "sentences": [[s.text, list(s.items)] for s in self.sentences],
            "propositions": [p.to_json() for p in self.propositions],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reading:
        return cls(
            data["sha256"],
            tuple(Sentence(t, tuple(i)) for t, i in data["sentences"]),
            tuple(Proposition.from_json(p) for p in data["propositions"]),
        )


class _Items:
    """The item of each token of one doc: lemma, name words or quantity key (or none)."""

    def __init__(self, doc: Any, text: str, offset: int) -> None:
        self.by_token: dict[int, tuple[str, ...]] = {}
        quantity_at: dict[int, str] = {}
        # Tokens follow one another without overlap, so their starts and ends both
        # increase: the tokens a quantity overlaps are one run, found by bisection.
        starts = [token.idx + offset for token in doc]
        ends = [start + len(token) for start, token in zip(starts, doc, strict=True)]
        for q in find_quantities(text):
            for i in range(bisect_right(ends, q.start), bisect_left(starts, q.end)):
                quantity_at[i] = f"#{q.key}"
        seen_quantity: set[str] = set()
        for token in doc:
            if token.i in quantity_at:
                key = quantity_at[token.i]
                first = key not in seen_quantity or (token.i - 1) not in quantity_at
                self.by_token[token.i] = (key,) if first else ()
                seen_quantity.add(key)
        for ent in doc.ents:
            if ent.label_ not in NAME_LABELS:
                continue
            words = tuple(f"@{w}" for w in canonical(ent.text).split())
            for token in ent:
                if token.i not in self.by_token:
                    # The whole name goes to its head word; the other words carry nothing.
                    self.by_token[token.i] = words if token.i == ent.root.i else ()
        for token in doc:
            if token.i in self.by_token:
                continue
            lemma = token.lemma_.lower()
            if (
                token.is_punct
                or token.is_space
                or token.is_stop
                or not any(c.isalnum() for c in lemma)
            ):
                self.by_token[token.i] = ()
            else:
                self.by_token[token.i] = (lemma,)

    def of(self, tokens: Iterable[Any]) -> tuple[str, ...]:
        found: list[str] = []
        for token in tokens:
            for item in self.by_token.get(token.i, ()):
                if item not in found:
                    found.append(item)
        return tuple(found)


def _phrase(token: Any) -> list[Any]:
    """The argument's own words: its subtree without clauses of its own (they are read
    as propositions themselves), prepositional phrases of a noun kept."""
    kept = [token]
    for child in token.children:
        if child.dep_ in _CUT and not (child.dep_ == "prep" and token.pos_ in ("NOUN", "PROPN")):
            continue
        if child.pos_ in ("VERB", "AUX"):
            continue
        kept += _phrase(child)
    return sorted(kept, key=lambda t: t.i)


def _words(tokens: list[Any]) -> str:
    return " ".join(t.text for t in tokens)


def _referent(token: Any) -> Any:
    """A relative pronoun stands for the noun its clause modifies."""
    if token.lower_ in RELATIVE:
        clause = token.head
        while clause.dep_ not in ("relcl", "acl") and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ in ("relcl", "acl"):
            return clause.head
    return token


NOT = "~not"
"""The item an argument carries when a negation stands inside it ("no survivors", "a
lack of funds", "the city but not the port")."""
PHRASE_NEGATORS = frozenset({"no", "not", "n't", "never", "without", "lack", "absence"})


def _negates_phrase(token: Any) -> bool:
    return token.dep_ == "neg" or token.lower_ in PHRASE_NEGATORS or token.lemma_ == "lack"


def _negated_inside(token: Any) -> bool:
    """Whether a negation stands inside the argument ("a lack of", "but not the port"),
    not in a clause of its own, nor as its determiner (that negates the proposition)."""
    for t in token.subtree:
        own = t.i == token.i and t.lower_ in NEGATORS
        if not _negates_phrase(t) or own or (t.dep_ == "det" and t.head.i == token.i):
            continue  # "no survivors", "nobody": the proposition's own negation
        step, clause = t.head, False
        while step.i != token.i and step.head.i != step.i:
            clause = clause or step.pos_ in ("VERB", "AUX")
            step = step.head
        if not clause:
            return True
    return False


def _is_negator(token: Any) -> bool:
    return token.dep_ == "neg" or token.lower_ in NEGATORS


def _is_predicate(token: Any) -> bool:
    if token.dep_ in ("aux", "auxpass"):
        return False
    if token.pos_ == "VERB":
        return True
    # "be" as the main verb: the predicate is its adjective or noun complement.
    return token.lemma_ == "be" and any(c.dep_ in ("acomp", "attr") for c in token.children)


def _own_subject(verb: Any) -> tuple[str, Any] | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "expl", "csubj"):
            return "agent", child
        if child.dep_ in ("nsubjpass", "csubjpass"):
            return "patient", child
    return None


def _inherited_subject(verb: Any) -> tuple[str, Any] | None:
    """The subject of a verb that has none: from the verb it is the complement or the
    conjunct of ("failed to reach", "rose and then fell")."""
    seen = 0
    while verb.dep_ in ("xcomp", "conj") and seen < 8:
        verb = verb.head
        found = _own_subject(verb)
        if found:
            return found
        seen += 1
    return None


def _obliques(word: Any) -> list[tuple[str, Any]]:
    """The prepositional phrases of a predicate that is not a verb: "a decrease *in net
    income*" (had a decrease), "lower *than Q2*" (is lower). They are the claim's own
    arguments, no longer part of an argument once the word is the predicate."""
    return [("obl", g) for child in word.children if child.dep_ == "prep"
            for g in child.children if g.dep_ in ("pobj", "pcomp")]  # fmt: skip


def _propositions(doc: Any, items: _Items, sentence_of: dict[int, int]) -> list[Proposition]:
    found: list[Proposition] = []
    for verb in doc:
        if not _is_predicate(verb):
            continue
        children = list(verb.children)
        if verb.lemma_ in NEGATING_VERBS and any(c.dep_ == "xcomp" for c in children):
            continue  # read through its complement, negated
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in children)
        arguments: list[tuple[str, Any]] = []
        predicate, predicate_tokens = verb.lemma_.lower(), [verb]
        negated = any(_is_negator(c) for c in children)
        hedged = any(c.lemma_.lower() in HEDGES for c in children if c.dep_ in ("aux", "advmod"))
        for child in children:
            dep = child.dep_
            if dep == "prt":
                predicate += " " + child.lower_
                predicate_tokens.append(child)
            elif dep in ("nsubj", "expl"):
                arguments.append(("agent" if not passive else "patient", child))
            elif dep == "nsubjpass":
                arguments.append(("patient", child))
            elif dep == "dobj":
                arguments.append(("patient", _referent(child)))
            elif dep == "agent":
                arguments += [("agent", g) for g in child.children if g.dep_ == "pobj"]
            elif dep == "dative":
                arguments.append(("recipient", child))
            elif dep in ("acomp", "attr", "oprd"):
                arguments.append(("complement", child))
            elif dep == "prep" and child.lower_ != "by":
                arguments += [("obl", g) for g in child.children if g.dep_ in ("pobj", "pcomp")]
            elif dep == "prep":
                arguments += [("agent" if passive else "obl", g) for g in child.children
                              if g.dep_ == "pobj"]  # fmt: skip
            elif dep in ("aux", "auxpass", "neg"):
                predicate_tokens.append(child)
        if _own_subject(verb) is None and not any(role == "agent" for role, _ in arguments):
            inherited = _inherited_subject(verb)
            if inherited:
                arguments.append(inherited)
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            # "the truce proposed by France": a participle's noun is its patient (past)
            # or its agent (present: "countries considering ...").
            role = {"VBN": "patient", "VBG": "agent"}.get(verb.tag_, "")
            if role and role not in (r for r, _ in arguments):
                arguments.append((role, verb.head))
        if verb.dep_ == "relcl" and not any(r == "agent" for r, _ in arguments) and not passive:
            arguments.append(("agent", verb.head))
        head = verb.head
        if verb.dep_ == "xcomp" and head.lemma_ in NEGATING_VERBS:
            negated = not negated if not any(_is_negator(c) for c in head.children) else negated
            hedged = hedged or any(c.lemma_.lower() in HEDGES for c in head.children)
            predicate_tokens = [head, *predicate_tokens]
        if verb.dep_ == "pcomp" and head.lower_ == "without":
            negated = not negated
        for _, token in arguments:
            if token.lower_ in NEGATORS or any(
                c.dep_ == "det" and c.lower_ == "no" for c in token.children
            ):
                negated = not negated
        if verb.lemma_ == "be":
            complement = [t for r, t in arguments if r == "complement"]
            if complement:
                predicate = complement[0].lemma_.lower()
                predicate_tokens.append(complement[0])
                arguments = [(("theme" if r == "agent" else r), t) for r, t in arguments
                             if t.i != complement[0].i] + _obliques(complement[0])  # fmt: skip
        elif verb.lemma_ in LIGHT_VERBS:
            objects = [t for r, t in arguments if r == "patient" and t.pos_ == "NOUN"]
            if objects and not passive:
                predicate = objects[0].lemma_.lower()
                predicate_tokens.append(objects[0])
                arguments = [(r, t) for r, t in arguments if t.i != objects[0].i]
                arguments += _obliques(objects[0])
        built = []
        for role, token in arguments:
            # A participle's or relative clause's noun is named by its head word alone.
            phrase = _phrase(token) if token.i != verb.head.i else [token]
            held = items.of(phrase)
            if token.i != verb.head.i and _negated_inside(token):
                held += (NOT,)
            built.append(Argument(role, held, _words(phrase)))
        if not built:
            # A predicate with no argument at all ("to upgrade", "planned" as an
            # adjective) says nothing a paraphrase could keep or change; it would only
            # match any bare use of the same verb (a word salad keeps those).
            continue
        found.append(
            Proposition(
                sentence=sentence_of[verb.i],
                predicate=predicate,
                words=_words(sorted(predicate_tokens, key=lambda t: t.i)),
                negated=negated,
                hedged=hedged,
                arguments=tuple(built),
            )
        )
    return found


def read_doc(doc: Any, text: str, sha256: str, first_sentence: int = 0) -> Reading:
    """Sentences and propositions of one parsed piece of text."""
    items = _Items(doc, text, 0)
    sentences: list[Sentence] = []
    sentence_of: dict[int, int] = {}
    for sent in doc.sents:
        if not any(t.is_alpha or t.like_num for t in sent):
            for token in sent:
                sentence_of[token.i] = max(first_sentence + len(sentences) - 1, first_sentence)
            continue
        for token in sent:
            sentence_of[token.i] = first_sentence + len(sentences)
        # A sentence of function words alone ("He did it.") is aligned by its words.
        words = items.of(sent) or tuple(t.lower_ for t in sent if not t.is_punct)
        sentences.append(Sentence(sent.text.strip(), words))
    return Reading(sha256, tuple(sentences), tuple(_propositions(doc, items, sentence_of)))


def join(sha256: str, readings: list[Reading]) -> Reading:
    """One reading of a text parsed in pieces (sentence numbers already offset)."""
    return Reading(
        sha256,
        tuple(s for r in readings for s in r.sentences),
        tuple(p for r in readings for p in r.propositions),
    )
