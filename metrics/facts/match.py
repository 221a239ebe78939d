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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import accumulate

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from metrics.facts.extract import Fact, ReferenceFacts
from metrics.facts.names import WORD, canonical, name_key, strip_diacritics, variants
from metrics.facts.quantities import Quantity, find_quantities

MATCH_VERSION = "1"
NAME_SIMILARITY = 70.0
"""rapidfuzz ratio (0-100) at or above which a missing name counts as mangled, not dropped."""

STATUSES = ("preserved", "normalized", "mangled", "dropped")

# Words that start a capitalised run without being part of a name.
_TITLES = frozenset(
    """pm mp mep mr mrs ms miss dr sir dame lord lady president prime minister secretary
    chancellor deputy chief executive foreign defence defense home justice health finance
    interior governor mayor senator judge justice professor prof officer spokesperson
    spokesman spokeswoman king queen prince princess general admiral captain coach manager
    striker midfielder defender chairman chairwoman chair commissioner leader premier bishop
    pope official senior junior former acting shadow labour conservative democrat republican
    st saint""".split()
)
_FUNCTION_WORDS = frozenset(
    """a an the and or but if then so as at by for from in into of on onto to with without about
    above after against along among around before behind below beneath beside between beyond
    during except inside near off out outside over past since through throughout till toward
    towards under until up upon within i he she it we they you his her its our their my your
    this that these those there here what which who whom whose when where why how all any both
    each few more most other some such no nor not only own same than too very can will just
    should now also meanwhile however additionally despite although though while yet still
    according speaking earlier later last next first recently another many much several one two
    three four five six seven eight nine ten is are was were be been being has have had do does
    did said says say""".split()
)
_CONNECTORS = frozenset({"of", "de", "von", "van", "der", "den", "du", "la", "le", "del", "da",
                         "di", "for", "&", "bin", "al"})  # fmt: skip
_MONTHS_DAYS = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
_SENTENCE_MARKS = frozenset('.!?…:;"“”')
_WORD_CHARS = re.compile(r"\w+")
_NON_DIGITS = re.compile(r"\D")


@dataclass(frozen=True)
class Outcome:
    """What happened to one reference fact."""

    fact: Fact
    status: str
    found: str | None = None
    """The paraphrase's text that matched or nearly matched."""
    at: int | None = None
    """Its character offset in the paraphrase."""
    similarity: float | None = None


@dataclass(frozen=True)
class Invented:
    """A name or amount in the paraphrase that the clean article does not support."""

    text: str
    at: int
    label: str
    resembles: str | None = None
    """The reference fact it is a near miss of, if any."""


@dataclass(frozen=True)
class Analysis:
    entities: tuple[Outcome, ...]
    quantities: tuple[Outcome, ...]
    names_found: int
    """Capitalised name spans in the paraphrase."""
    invented_names: tuple[Invented, ...]
    quantities_found: int
    invented_quantities: tuple[Invented, ...]


@dataclass(slots=True)
class _Token:
    """A word of the paraphrase, or a span of words."""

    text: str
    start: int
    end: int


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start]
    stripped = before.rstrip()
    return not stripped or "\n" in before or stripped[-1] in _SENTENCE_MARKS


def _is_capitalised(word: str) -> bool:
    return word[0].isupper()


_WORD_SPLIT = re.compile(f"({WORD.pattern})")


def _capitalised_runs(text: str) -> list[list[_Token]]:
    """Maximal runs of capitalised words (with name connectors such as "of", "von" inside).

    A run goes on while the next word is capitalised and what lies between is only
    spacing or one hyphen; a lower-case connector joins a run when a capitalised word
    follows it directly. The words come from one split of the text (separators and
    words alternate), and only the capitalised ones are visited.
    """
    parts = _WORD_SPLIT.split(text)
    words = parts[1::2]
    offsets = list(accumulate(map(len, parts), initial=0))  # word i: offsets[2i+1 : 2i+3]

    def token(i: int) -> _Token:
        return _Token(words[i], offsets[2 * i + 1], offsets[2 * i + 2])

    def follows_closely(i: int) -> bool:
        """Nothing but spacing or one hyphen between word i - 1 and word i."""
        return parts[2 * i].strip() in ("", "-")

    runs: list[list[_Token]] = []
    current: list[_Token] = []
    last = -1  # the word that ends ``current``
    for i in [i for i, word in enumerate(words) if word[0].isupper()]:  # _is_capitalised
        if current and i == last + 2 and words[last + 1].lower() in _CONNECTORS:
            if not follows_closely(last + 1):
                runs.append(current)
                current = []
            last += 1
            current.append(token(last))
        if current and (i != last + 1 or not follows_closely(i)):
            runs.append(current)
            current = []
        current.append(token(i))
        last = i
    if current:
        runs.append(current)
    return runs


def _span(text: str, run: list[_Token]) -> _Token:
    start, end = run[0].start, run[-1].end
    return _Token(text[start:end], start, end)


def _ngrams(text: str, runs: list[list[_Token]], longest: int = 4) -> list[_Token]:
    """Every sub-run of up to ``longest`` words: where a near-miss name may hide."""
    found: dict[tuple[int, int], _Token] = {}
    for run in runs:
        for n in range(1, min(longest, len(run)) + 1):
            for i in range(len(run) - n + 1):
                span = _span(text, run[i : i + n])
                found.setdefault((span.start, span.end), span)
    return list(found.values())


def _is_title(word: str) -> bool:
    lower = word.lower()
    if lower[-2:] in ("'s", "’s"):  # a possessive: "President's"
        lower = lower[:-2]
    return lower in _TITLES


def _name_spans(text: str, runs: list[list[_Token]], vocabulary: frozenset[str]) -> list[_Token]:
    """Runs split at titles and trimmed of sentence-initial function words: the names used."""
    capitalised: dict[str, list[_Token]] = {}  # every capitalised word is in a run
    for run in runs:
        for t in run:
            capitalised.setdefault(t.text, []).append(t)

    def used_inside_sentence(word: str) -> bool:
        return any(not _starts_sentence(text, t.start) for t in capitalised.get(word, ()))

    pieces: list[list[_Token]] = []
    for run in runs:
        piece: list[_Token] = []
        for token in run:
            if _is_title(token.text):
                if piece:
                    pieces.append(piece)
                piece = []
            else:
                piece.append(token)
        if piece:
            pieces.append(piece)

    spans = []
    for piece in pieces:
        while piece and (
            piece[0].text.lower() in _CONNECTORS
            or (piece[0].text.lower() in _FUNCTION_WORDS and _starts_sentence(text, piece[0].start))
        ):
            piece = piece[1:]
        while piece and piece[-1].text.lower() in _CONNECTORS:
            piece = piece[:-1]
        if not piece:
            continue
        if len(piece) == 1:
            word = piece[0].text
            lower = word.lower()
            if lower in _FUNCTION_WORDS or lower in _MONTHS_DAYS or word == "I":
                continue
            if not any(c.isalpha() for c in word):
                continue
            if (
                _starts_sentence(text, piece[0].start)
                and not used_inside_sentence(word)
                and name_key(word) not in vocabulary
            ):
                continue  # a capital that only marks the start of a sentence
        spans.append(_span(text, piece))
    return spans


def _keyed(text: str) -> str:
    """The paraphrase as space-separated name_key tokens, padded for whole-word search."""
    # name_key's memo is for names; a whole paraphrase would only fill it (65,536 texts).
    return " " + " ".join(_WORD_CHARS.findall(name_key.__wrapped__(text))) + " "


def _key_tokens(key: str) -> str:
    return " " + " ".join(_WORD_CHARS.findall(key)) + " "


@dataclass
class _Paraphrase:
    """The paraphrase, read once: what every fact of the article is looked up in."""

    text: str
    keyed: str
    candidate_keys: list[str]
    candidates: list[_Token]
    single_word_keys: list[str]
    """candidate_keys with every key of more than one word blanked: where surnames are."""
    _folded: str | None = None

    @property
    def folded(self) -> str:
        """Diacritics folded, length kept, so offsets still point into the text."""
        if self._folded is None:
            folds = {c: strip_diacritics(c)[:1] or c for c in set(self.text) if not c.isascii()}
            changes = {c: to for c, to in folds.items() if to != c}
            folded = self.text
            if all(to.isascii() for to in changes.values()):
                # str.translate is slow on non-ASCII text; one replace per letter is not, and
                # gives the same text when no replacement can be replaced again.
                for c, to in changes.items():
                    folded = folded.replace(c, to)
            else:
                folded = folded.translate({ord(c): to for c, to in changes.items()})
            self._folded = folded
        return self._folded


def _classify_entity(fact: Fact, hyp: _Paraphrase) -> Outcome:
    at = _find_word(hyp.text, fact.text)
    if at >= 0:
        return Outcome(fact, "preserved", fact.text, at)
    forms = {name_key(s) for s in fact.surfaces} | set(variants(fact.key))
    for form in sorted(forms, key=len, reverse=True):
        if form and _key_tokens(form) in hyp.keyed:
            span = _locate(hyp.folded, form)
            text = hyp.text[span[0] : span[1]] if span else form
            return Outcome(fact, "normalized", text, span[0] if span else None)
    if fact.label == "PERSON" and " " in fact.key:
        surname = fact.text.split()[-1]
        if len(surname) > 2:
            at = _find_word(hyp.text, surname)
            if at >= 0:
                return Outcome(fact, "normalized", surname, at)
    target = name_key(fact.text)
    if len(target) < 3 or not hyp.candidates:
        return Outcome(fact, "dropped")
    best = process.extractOne(
        target, hyp.candidate_keys, scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY
    )
    if fact.label == "PERSON" and " " in target:
        by_surname = process.extractOne(
            target.split()[-1],
            hyp.single_word_keys,
            scorer=fuzz.ratio,
            score_cutoff=NAME_SIMILARITY,
        )
        if by_surname and (best is None or by_surname[1] > best[1]):
            best = by_surname
    if best is None:
        return Outcome(fact, "dropped")
    candidate = hyp.candidates[best[2]]
    return Outcome(fact, "mangled", candidate.text, candidate.start, round(best[1], 1))


def _find_word(text: str, word: str) -> int:
    """Where ``word`` first stands whole in ``text`` (no \\w character either side), or -1."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if not (at and _is_word_char(text[at - 1])) and not (
            end < len(text) and _is_word_char(text[end])
        ):
            return at
        at = text.find(word, at + 1)
    return -1


def _is_word_char(char: str) -> bool:
    """What \\w matches in a str pattern."""
    return char.isalnum() or char == "_"


def _locate(folded: str, key: str) -> tuple[int, int] | None:
    found = _locator(key).search(folded)
    return (found.start(), found.end()) if found else None


@lru_cache(maxsize=4096)
def _locator(key: str) -> re.Pattern[str]:
    """The words of ``key`` in any case, with any punctuation or spacing between them."""
    words = key.split()
    pattern = r"(?<!\w)" + r"[\W_]+".join(re.escape(w) for w in words) + r"(?!\w)"
    return re.compile(pattern, re.IGNORECASE)


def _value(quantity_key: str) -> Decimal | None:
    try:
        return Decimal(quantity_key.split("|")[1])
    except (InvalidOperation, IndexError):
        return None


def _near(ref: Fact, hyp: Quantity) -> bool:
    kind, value, unit = ref.key.split("|")
    if hyp.kind != kind or hyp.unit != unit:
        return False
    if kind in ("DATE", "TIME", "ORDINAL") or unit == "score":
        return Levenshtein.distance(value, hyp.value) <= 1
    digits_ref = _NON_DIGITS.sub("", value)
    digits_hyp = _NON_DIGITS.sub("", hyp.value)
    if Levenshtein.distance(digits_ref, digits_hyp) <= (1 if kind == "CARDINAL" else 2):
        return True
    a, b = _value(ref.key), _value(f"x|{hyp.value}")
    return kind != "CARDINAL" and bool(a and b and a > 0 and Decimal("0.5") <= b / a <= 2)


def _classify_quantities(facts: tuple[Fact, ...], hyp: str, found: list[Quantity]) -> list[Outcome]:
    keys = ["|".join(q.key) for q in found]
    by_key: dict[str, list[Quantity]] = {}
    for key, q in zip(keys, found, strict=True):
        by_key.setdefault(key, []).append(q)
    claimed = {f.key for f in facts}
    unclaimed = [q for key, q in zip(keys, found, strict=True) if key not in claimed]
    outcomes = []
    for fact in facts:
        same_value = by_key.get(fact.key, [])
        exact = next((q for q in same_value if q.text in fact.surfaces), None)
        if exact is not None:
            outcomes.append(Outcome(fact, "preserved", exact.text, exact.start))
            continue
        if same_value:
            outcomes.append(Outcome(fact, "normalized", same_value[0].text, same_value[0].start))
            continue
        near = next((q for q in unclaimed if _near(fact, q)), None)
        if near is not None:
            outcomes.append(Outcome(fact, "mangled", near.text, near.start))
        else:
            outcomes.append(Outcome(fact, "dropped"))
    return outcomes


def _resembles(text: str, ref: _ReferenceIndex) -> str | None:
    """The reference name this one is a near miss of, if any."""
    best = process.extractOne(
        name_key(text), ref.surface_keys, scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY
    )
    return ref.surface_names[best[2]] if best else None


# Lower-case tails of capitalised compounds: "Basel-based" names Basel, nothing more.
_COMPOUND_TAILS = frozenset(
    "based born led owned backed funded listed registered made style era wide run".split()
)
_DEMONYMS = {
    "english": "england", "irish": "ireland", "scottish": "scotland", "welsh": "wales",
    "french": "france", "dutch": "netherlands", "swiss": "switzerland", "greek": "greece",
    "danish": "denmark", "swedish": "sweden", "finnish": "finland", "polish": "poland",
    "spanish": "spain", "turkish": "turkey", "british": "britain", "portuguese": "portugal",
}  # fmt: skip
_DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "ns", "n", "ese", "ish", "i", "s")


def _stem(word: str) -> str:
    for suffix in _DEMONYM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)].rstrip("aei")
    return word.rstrip("aei")


@dataclass(frozen=True)
class _ReferenceIndex:
    """What a paraphrase's names are judged against: worked out once per clean article."""

    vocabulary: frozenset[str]
    forms: frozenset[str]
    """Every key an entity of the article goes by (its surfaces and their aliases)."""
    stems: frozenset[str]
    """Demonym stems of the longer vocabulary words."""
    countries: frozenset[str]
    """What the vocabulary's demonyms name: "france" for "french"."""
    surface_keys: list[str]
    """name_key of every surface of every entity, and the entity's text, in the same order."""
    surface_names: list[str]


@lru_cache(maxsize=4096)  # a dataset's worth: every system after the first finds it
def _index(ref: ReferenceFacts) -> _ReferenceIndex:
    forms: set[str] = set()
    for fact in ref.entities:
        for surface in fact.surfaces:
            forms.update(variants(surface))
    surfaces = [(name_key(s), fact.text) for fact in ref.entities for s in fact.surfaces]
    return _ReferenceIndex(
        vocabulary=ref.vocabulary,
        forms=frozenset(forms),
        stems=frozenset(_stem(w) for w in ref.vocabulary if len(w) >= 5),
        countries=frozenset(_DEMONYMS[v] for v in ref.vocabulary if v in _DEMONYMS),
        surface_keys=[key for key, _ in surfaces],
        surface_names=[name for _, name in surfaces],
    )


def _word_supported(word: str, ref: _ReferenceIndex) -> bool:
    """In the article's vocabulary, or a demonym of a word in it (Kenyan / Kenya)."""
    if word in ref.vocabulary or word in _CONNECTORS or word in _COMPOUND_TAILS:
        return True
    if _DEMONYMS.get(word) in ref.vocabulary or word in ref.countries:
        return True
    return len(word) >= 5 and _stem(word) in ref.stems


def _supported(span: _Token, ref: _ReferenceIndex) -> bool:
    if canonical(span.text) in ref.forms:
        return True
    return all(_word_supported(w, ref) for w in _WORD_CHARS.findall(name_key(span.text)))


@lru_cache(maxsize=256)
def _analyse(ref: ReferenceFacts, hyp: str) -> Analysis:
    runs = _capitalised_runs(hyp)
    spans = _name_spans(hyp, runs, ref.vocabulary)
    candidates = _ngrams(hyp, runs)
    candidate_keys = [name_key(c.text) for c in candidates]
    paraphrase = _Paraphrase(
        text=hyp,
        keyed=_keyed(hyp),
        candidate_keys=candidate_keys,
        candidates=candidates,
        single_word_keys=[
            "" if " " in c.text else k for c, k in zip(candidates, candidate_keys, strict=True)
        ],
    )
    entities = tuple(_classify_entity(f, paraphrase) for f in ref.entities)
    found = find_quantities(hyp)
    quantities = tuple(_classify_quantities(ref.quantities, hyp, found))

    index = _index(ref)
    invented_names = tuple(
        Invented(s.text, s.start, "NAME", _resembles(s.text, index))
        for s in spans
        if not _supported(s, index)
    )
    ref_keys = {f.key for f in ref.quantities}
    near_q = {o.found: o.fact.text for o in quantities if o.status == "mangled" and o.found}
    invented_quantities = tuple(
        Invented(q.text, q.start, q.kind, near_q.get(q.text))
        for q in found
        if "|".join(q.key) not in ref_keys
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

    Cached on (reference, hypothesis), so the entity and quantity metrics of
    one run share the work.
    """
    return _analyse(reference, hypothesis)
