"""Verdicts: what happened to each proposition of the clean article in its paraphrase.

Propositions are compared only within an aligned group of sentences. Two
propositions *correspond* when their predicates are the same word, WordNet
synonyms or opposites, and at least one argument agrees in its role (or the
roles are swapped, or neither has arguments); or when their predicates differ
but two roles agree, or one core role nearly whole, and neither predicate is
a predicate of the other side (a reworded predicate, not a moved one). A
scrambled sentence therefore corresponds to nothing: its words no longer
stand in their roles.

Each clean proposition is then

- ``kept``: same meaning;
- ``polarity``: one side negated and not the other ("has not rejected"), or a
  negation inside an argument on one side only ("no survivors", "a lack of");
- ``antonym``: the predicate replaced by its opposite ("accepted" for "rejected"),
  or a word of an argument by its opposite ("an efficient method" -> "an
  inefficient method"); a negated opposite ("did not accept") is kept;
- ``roles``: who did what to whom exchanged ("France rejected the truce proposed
  by Russia"): an argument replaced by words that fill another role in the
  clean sentence, and the other way round;
- ``certainty``: hedged on one side only ("may reject");
- ``argument``: an argument replaced by other words, or holding a name or amount
  that the other side's does not while lacking one it has ("£3 billion deal");
- ``tainted``: kept, but in a sentence where another claim was negated, turned
  into its opposite or had its roles swapped. A sentence that now says the
  opposite of its main claim misleads about all it says ("Russia has not
  rejected the truce proposed by France" keeps the proposal, but the reader
  is misled), so its kept claims are not counted as kept;
- ``dropped``: nothing corresponds.

and each paraphrase proposition is ``supported`` (it keeps a clean
proposition), ``misleading`` (it keeps one, in a sentence that flips another),
``contradicting`` (it changes one) or ``added`` (nothing corresponds). Each
pair is one-to-one, best correspondences first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from metrics.meaning.align import Pair, align
from metrics.meaning.lexicon import Lexicon
from metrics.meaning.reading import NOT, Proposition, Reading

VERDICTS_VERSION = "3"
CHANGES = ("polarity", "antonym", "roles", "certainty", "argument")
FLIPS = ("polarity", "antonym", "roles")
"""The changes that taint the rest of their sentence (certainty and a replaced
argument change one claim's detail, not what the sentence asserts)."""
CLEAN_VERDICTS = ("kept", *CHANGES, "tainted", "dropped")
PARAPHRASE_VERDICTS = ("supported", "misleading", "contradicting", "added")
AGREE = 0.3
"""Share of an argument's items the other side must have for the role to agree."""
CORE = ("agent", "patient", "recipient", "theme", "complement")


@dataclass(frozen=True)
class Correspondence:
    clean: int
    paraphrase: int
    verdict: str
    why: str
    score: float


@dataclass(frozen=True)
class Analysis:
    pairs: tuple[Pair, ...]
    clean: tuple[tuple[str, int | None, str], ...]
    """Per clean proposition: verdict, the paraphrase proposition it corresponds to, why."""
    paraphrase: tuple[tuple[str, int | None], ...]
    """Per paraphrase proposition: verdict, the clean proposition it corresponds to."""

    def counts(self) -> list[int]:
        clean = [sum(v == name for v, _, _ in self.clean) for name in CLEAN_VERDICTS]
        para = [sum(v == name for v, _ in self.paraphrase) for name in PARAPHRASE_VERDICTS]
        return [len(self.clean), *clean, len(self.paraphrase), *para]


def _overlap(a: Sequence[str], b: Sequence[str], lexicon: Lexicon) -> float:
    """The larger of: share of ``a`` found in ``b``, share of ``b`` found in ``a``
    (a negation inside an argument is judged apart)."""
    same = list(a) == list(b)
    a = [x for x in a if x != NOT]
    b = [y for y in b if y != NOT]
    if not a or not b:
        # An argument that is only a negation ("not everyone", "nobody") agrees with
        # the very same argument, and with nothing else.
        return 1.0 if same and not a and not b else 0.0
    in_b = sum(any(lexicon.same(x, y) for y in b) for x in a) / len(a)
    in_a = sum(any(lexicon.same(y, x) for x in a) for y in b) / len(b)
    return max(in_a, in_b)


def _facts(items: Sequence[str]) -> set[str]:
    return {i for i in items if i[:1] in ("@", "#")}


Slots = list[tuple[int, str, tuple[str, ...]]]
"""(proposition, role, items) of every argument in a group of sentences."""


def _slots(props: Sequence[tuple[int, Proposition]]) -> Slots:
    return [(i, role, p.role(role)) for i, p in props for role in p.roles]


def _elsewhere(items: Sequence[str], own: int, role: str, slots: Slots, lex: Lexicon) -> bool:
    """Whether ``items`` fill another slot among ``slots``: another role, or the same
    role of another proposition ("the truce proposed by France")."""
    return any(
        (i != own or r != role) and _overlap(items, other, lex) >= 0.5 for i, r, other in slots
    )


def _opposites(a: Sequence[str], b: Sequence[str], lexicon: Lexicon) -> list[tuple[str, str]]:
    """Words of ``a`` whose opposite stands in ``b`` instead ("efficient" -> "inefficient")."""
    return [
        (x, y)
        for x in a
        if not any(lexicon.same(x, z) for z in b)
        for y in b
        if not any(lexicon.same(y, z) for z in a) and lexicon.opposite(x, y)
    ]


def _role_pairs(
    cp: Proposition, pp: Proposition, lexicon: Lexicon
) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """The arguments to compare, role by role. A proposition has at most one agent,
    patient and so on, but any number of prepositional phrases (``obl``): each of
    those is paired with its best match on the other side ("in Q2" with "in the
    second quarter", "in net income" with "in total revenue"), and the rest with
    each other in order, so that one changed phrase is not hidden in the others."""
    pairs = []
    for role in dict.fromkeys([*cp.roles, *pp.roles]):
        if role != "obl":
            if cp.role(role) and pp.role(role):
                pairs.append((role, cp.role(role), pp.role(role)))
            continue
        clean = [a.items for a in cp.arguments if a.role == role and a.items]
        para = [a.items for a in pp.arguments if a.role == role and a.items]
        scored = sorted(
            (
                (_overlap(a, b, lexicon), i, j)
                for i, a in enumerate(clean)
                for j, b in enumerate(para)
            ),
            key=lambda t: (-t[0], t[1], t[2]),
        )
        used_c: set[int] = set()
        used_p: set[int] = set()
        for overlap, i, j in scored:
            if overlap >= AGREE and i not in used_c and j not in used_p:
                used_c.add(i)
                used_p.add(j)
                pairs.append((role, clean[i], para[j]))
        rest_c = [a for i, a in enumerate(clean) if i not in used_c]
        rest_p = [b for j, b in enumerate(para) if j not in used_p]
        pairs += [(role, a, b) for a, b in zip(rest_c, rest_p, strict=False)]
    return pairs


def compare(
    c: tuple[int, Proposition],
    p: tuple[int, Proposition],
    clean_slots: Slots,
    para_slots: Slots,
    lexicon: Lexicon,
    predicates: tuple[set[str], set[str]] = (set(), set()),
) -> Correspondence | None:
    """Whether two propositions correspond, and if so the verdict on the clean one."""
    (ci, cp), (pi, pp) = c, p
    if cp.predicate == pp.predicate or lexicon.same(cp.predicate, pp.predicate):
        relation, score = "same", 2.0
    elif lexicon.opposite(cp.predicate, pp.predicate):
        relation, score = "opposite", 1.5
    else:
        relation, score = "other", 0.5
    agree, differ, swapped, opposed, negated_roles = [], [], [], [], []
    for role, a, b in _role_pairs(cp, pp, lexicon):
        overlap = _overlap(a, b, lexicon)
        fa, fb = _facts(a), _facts(b)
        if overlap >= AGREE and not (fa - fb and fb - fa):
            agree.append(role)
            score += overlap
            opposed += [f"{x} -> {y} ({role})" for x, y in _opposites(a, b, lexicon)]
            if (NOT in a) != (NOT in b):
                negated_roles.append(role)
        elif role in CORE or (fa - fb and fb - fa):
            differ.append(role)
            score -= 0.5
            if _elsewhere(b, ci, role, clean_slots, lexicon) and _elsewhere(
                a, pi, role, para_slots, lexicon
            ):
                swapped.append(role)
    if relation == "other":
        # A reworded predicate ("unveiled" for "announced") keeps the claim when its
        # arguments stay in their roles: two of them, or one core argument nearly whole.
        strong = [
            r for r in agree if r in CORE and _overlap(cp.role(r), pp.role(r), lexicon) >= 0.5
        ]
        clean_predicates, para_predicates = predicates
        moved = pp.predicate in clean_predicates or cp.predicate in para_predicates
        if moved or differ or not (len(agree) >= 2 or strong):
            return None
        score -= 1  # then judged like any other pair: "did not unveil" is still negated
    elif not agree and len(swapped) < 2 and (cp.roles or pp.roles):
        # No argument in its role, and no two arguments exchanged: a scrambled
        # sentence, or another claim with the same predicate ("said").
        return None
    flipped = cp.negated != pp.negated
    if swapped:
        verdict, why = "roles", "roles swapped: " + ", ".join(swapped)
    elif relation == "opposite" and not flipped:
        verdict, why = "antonym", f"{cp.predicate} -> {pp.predicate}"
    elif opposed and not flipped:
        verdict, why = "antonym", ", ".join(opposed)
    elif flipped and relation != "opposite":
        verdict, why = "polarity", "negated" if pp.negated else "negation removed"
    elif negated_roles and not flipped:
        verdict, why = "polarity", "negation inside: " + ", ".join(negated_roles)
    elif cp.hedged != pp.hedged:
        verdict, why = "certainty", "hedged" if pp.hedged else "hedge removed"
    elif differ:
        verdict, why = "argument", "replaced: " + ", ".join(differ)
    else:
        verdict = "kept"
        notes = {"opposite": "negated opposite", "other": f"predicate reworded: {pp.predicate}"}
        why = notes.get(relation, "")
    return Correspondence(ci, pi, verdict, why, score)


def analyse(clean: Reading, paraphrase: Reading, lexicon: Lexicon) -> Analysis:
    """Align the sentences, then pair the propositions of each aligned group."""
    pairs = align(
        [s.items for s in clean.sentences], [s.items for s in paraphrase.sentences], lexicon
    )
    clean_verdicts: list[tuple[str, int | None, str]] = [("dropped", None, "")] * len(
        clean.propositions
    )
    para_verdicts: list[tuple[str, int | None]] = [("added", None)] * len(paraphrase.propositions)
    for pair in pairs:
        if not pair.clean or not pair.paraphrase:
            continue
        cs = [(i, p) for i, p in enumerate(clean.propositions) if p.sentence in pair.clean]
        ps = [
            (i, p) for i, p in enumerate(paraphrase.propositions) if p.sentence in pair.paraphrase
        ]
        clean_slots, para_slots = _slots(cs), _slots(ps)
        predicates = ({p.predicate for _, p in cs}, {p.predicate for _, p in ps})
        found = [
            match
            for c in cs
            for p in ps
            if (match := compare(c, p, clean_slots, para_slots, lexicon, predicates)) is not None
        ]
        found.sort(key=lambda m: (-m.score, m.clean, m.paraphrase))
        used_clean: set[int] = set()
        used_para: set[int] = set()
        for match in found:
            if match.clean in used_clean or match.paraphrase in used_para:
                continue
            used_clean.add(match.clean)
            used_para.add(match.paraphrase)
            clean_verdicts[match.clean] = (match.verdict, match.paraphrase, match.why)
            kept = match.verdict == "kept"
            para_verdicts[match.paraphrase] = (
                "supported" if kept else "contradicting",
                match.clean,
            )
    _taint(clean, paraphrase, clean_verdicts, para_verdicts)
    return Analysis(tuple(pairs), tuple(clean_verdicts), tuple(para_verdicts))


def _taint(
    clean: Reading,
    paraphrase: Reading,
    clean_verdicts: list[tuple[str, int | None, str]],
    para_verdicts: list[tuple[str, int | None]],
) -> None:
    """Mark the kept claims of every sentence holding a flip as ``tainted`` on the clean
    side and ``misleading`` on the paraphrase side (in place)."""
    flips = [
        (i, other, why)
        for i, (verdict, other, why) in enumerate(clean_verdicts)
        if verdict in FLIPS and other is not None
    ]
    clean_sentences = {clean.propositions[i].sentence: why for i, _, why in flips}
    para_sentences = {
        paraphrase.propositions[o].sentence: why for _, o, why in flips if o is not None
    }
    for i, (verdict, other, _) in enumerate(clean_verdicts):
        why = clean_sentences.get(clean.propositions[i].sentence)
        if verdict == "kept" and why is not None:
            clean_verdicts[i] = ("tainted", other, f"its sentence changed: {why}")
    for k, (verdict, other) in enumerate(para_verdicts):
        if verdict == "supported" and paraphrase.propositions[k].sentence in para_sentences:
            para_verdicts[k] = ("misleading", other)


def explain(clean: Reading, paraphrase: Reading, analysis: Analysis) -> dict[str, Any]:
    """The alignment and every proposition with its verdict and the words behind it."""

    def sentences(reading: Reading, indices: Sequence[int]) -> list[str]:
        return [reading.sentences[i].text for i in indices]

    return {
        "alignment": [
            {
                "clean": sentences(clean, pair.clean),
                "paraphrase": sentences(paraphrase, pair.paraphrase),
                "similarity": round(pair.similarity, 3),
            }
            for pair in analysis.pairs
        ],
        "clean": [
            {
                "sentence": prop.sentence,
                "proposition": prop.describe(),
                "words": prop.words,
                "verdict": verdict,
                "why": why,
                "paraphrase": None if other is None else paraphrase.propositions[other].describe(),
            }
            for prop, (verdict, other, why) in zip(clean.propositions, analysis.clean, strict=True)
        ],
        "paraphrase": [
            {
                "sentence": prop.sentence,
                "proposition": prop.describe(),
                "words": prop.words,
                "verdict": verdict,
                "clean": None if other is None else clean.propositions[other].describe(),
            }
            for prop, (verdict, other) in zip(
                paraphrase.propositions, analysis.paraphrase, strict=True
            )
        ],
    }
