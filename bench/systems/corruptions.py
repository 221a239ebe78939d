"""Corruptions as systems: seeded, known damage that a good metric must notice.

Each corruption copies the clean article and damages it in one way, at a
``rate``, deterministically for a ``seed`` and article id. They are the
challenge suite of ``bench check-metrics`` (in the spirit of the ACES
challenge sets for MT metrics), and ordinary systems anywhere else.

The last three, ``claim-flip``, ``role-swap`` and ``word-salad``, keep every
name and number and change what the sentences claim: a metric that counts
names and numbers cannot see them, one that reads meaning must.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, ClassVar

from bench.data.article import Article
from bench.errors import BenchError
from bench.specs import DEFAULT_SEED, SystemSpec
from bench.systems.base import System

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'(])")
_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]{3,}\b")
_DIGITS = re.compile(r"\d")
_WORD = re.compile(r"\b[a-z]{4,}\b")


def _rng(seed: int, article: Article, kind: str) -> random.Random:
    """A random generator of its own for each corruption, seed and article: the same
    damage every time, whatever else ran before and in whichever worker."""
    digest = hashlib.sha256(f"{kind}|{seed}|{article.id}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _edit(word: str, rng: random.Random) -> str:
    """One character edit inside a word: delete, substitute or swap two letters."""
    i = rng.randrange(1, len(word) - 1)
    action = rng.choice(("delete", "substitute", "swap"))
    if action == "delete":
        return word[:i] + word[i + 1 :]
    if action == "substitute":
        letters = "aeiou" if word[i] in "aeiou" else "bcdfghklmnprstvz"
        return word[:i] + rng.choice([c for c in letters if c != word[i]]) + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _paragraphs(text: str) -> list[list[str]]:
    """The text's paragraphs (blank-line separated), each as a list of its sentences."""
    return [_SENTENCE.split(p) for p in text.split("\n\n")]


def _join(paragraphs: list[list[str]]) -> str:
    """``_paragraphs`` undone; a paragraph left with no sentence disappears."""
    return "\n\n".join(" ".join(p) for p in paragraphs if p)


class Corruption(System):
    """A system that damages the clean article in one known way."""

    default_rate: ClassVar[float]
    cacheable = False
    parallel = True

    def __init__(
        self, spec: SystemSpec, *, rate: float | None = None, seed: int = DEFAULT_SEED
    ) -> None:
        super().__init__(spec)
        rate = self.default_rate if rate is None else rate
        if not isinstance(rate, int | float) or not 0 <= rate <= 1:
            raise BenchError(f"system {spec.name!r}: 'rate' must be between 0 and 1")
        self.rate = float(rate)
        self.seed = int(seed)

    def paraphrase(self, article: Article) -> str:
        """The article's text damaged, with the generator of this seed and article."""
        return self.damage(article.text, _rng(self.seed, article, self.type_name))

    def damage(self, text: str, rng: random.Random) -> str:
        """The corruption itself: ``text`` damaged at ``self.rate``, drawing every random
        choice from ``rng`` (and from nothing else, so that it can be repeated)."""
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "rate": self.rate, "seed": self.seed}

    def _sub(self, pattern: re.Pattern[str], text: str, rng: random.Random,
             change: Callable[[str], str]) -> str:  # fmt: skip
        """Every match of ``pattern`` replaced by ``change(match)`` with chance ``rate``."""
        return pattern.sub(
            lambda m: change(m.group(0)) if rng.random() < self.rate else m.group(0), text
        )


class MangleEntities(Corruption):
    type_name = "mangle-entities"
    default_rate = 0.5
    summary = "misspells capitalised names by one letter ('Kir Stmper')"

    def damage(self, text: str, rng: random.Random) -> str:
        return self._sub(_NAME, text, rng, lambda w: _edit(w, rng))


class ChangeNumbers(Corruption):
    type_name = "change-numbers"
    default_rate = 0.5
    summary = "changes digits of numbers and amounts ('£1.6bn' -> '£1.7bn')"

    def damage(self, text: str, rng: random.Random) -> str:
        return self._sub(_DIGITS, text, rng, lambda d: str((int(d) + rng.randint(1, 9)) % 10))


class DropSentences(Corruption):
    type_name = "drop-sentences"
    default_rate = 0.3
    summary = "drops sentences"

    def damage(self, text: str, rng: random.Random) -> str:
        """Each sentence dropped with chance ``rate``; never all: the first one stays then."""
        paragraphs = _paragraphs(text)
        kept = [[s for s in p if rng.random() >= self.rate] for p in paragraphs]
        if not any(kept):
            kept = [[paragraphs[0][0]]]
        return _join(kept)


class ShuffleSentences(Corruption):
    type_name = "shuffle-sentences"
    default_rate = 1.0
    summary = "shuffles the sentences of each paragraph (facts kept, order lost)"

    def damage(self, text: str, rng: random.Random) -> str:
        paragraphs = _paragraphs(text)
        for p in paragraphs:
            if rng.random() < self.rate:
                rng.shuffle(p)
        return _join(paragraphs)


class LeakSpintax(Corruption):
    type_name = "leak-spintax"
    default_rate = 0.3
    summary = "leaks spintax and template text ('{that a}', '{big|large}')"

    _FRAGMENTS = ("{that a}", "{the|a}", "{{title}}", "{very|really}", "}")

    def damage(self, text: str, rng: random.Random) -> str:
        """Into each sentence, with chance ``rate``, one leftover before a random word."""
        paragraphs = _paragraphs(text)
        for p in paragraphs:
            for i, sentence in enumerate(p):
                if rng.random() < self.rate:
                    words = sentence.split(" ")
                    at = rng.randrange(len(words))
                    words.insert(at, rng.choice(self._FRAGMENTS))
                    p[i] = " ".join(words)
        return _join(paragraphs)


class Typos(Corruption):
    type_name = "typos"
    default_rate = 0.08
    summary = "typing errors in common lower-case words"

    def damage(self, text: str, rng: random.Random) -> str:
        return self._sub(_WORD, text, rng, lambda w: _edit(w, rng))


class SynonymSpin(Corruption):
    type_name = "synonym-spin"
    default_rate = 0.3
    summary = "WordNet synonyms for common words only: meaning kept, names and numbers untouched"

    def damage(self, text: str, rng: random.Random) -> str:
        from bench.systems.spinner import SpinnerSystem  # loads WordNet only when used

        spinner = SpinnerSystem(
            SystemSpec(self.name, "spinner"), mode="careful", rate=self.rate, seed=self.seed
        )
        return spinner.spin(text, rng)


# -- corruptions that keep every name and number and change the claim --------

_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'(])|(?<=[.!?][\"”’])\s+(?=[A-Z\"“‘'(])|\n\n")
"""Where ``_sentences`` splits: as ``_SENTENCE``, and also after a closing quote."""
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # a word, "Oberländer" and "don't" whole
_AUXILIARIES = frozenset(
    "is are was were be been has have had does do did will would can could shall should may "
    "might must".split()
)
_CONTRACTED = re.compile(r"\b([A-Za-z]+)n['’]t\b")
_UNCONTRACT = {"ca": "can", "wo": "will", "sha": "shall"}
_NOT_FLIPPED = _AUXILIARIES | frozenset(
    "not never the and but with from into onto upon over under after before about than then "
    "this that these those there here also only even very some any each every all".split()
)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence: paragraphs cut at ``_BREAK``."""
    spans, last = [], 0
    for brk in _BREAK.finditer(text):
        if brk.start() > last:
            spans.append((last, brk.start()))
        last = brk.end()
    return [*spans, (last, len(text))] if last < len(text) else spans


def _sentences(text: str, change: Callable[[str, int], str]) -> str:
    """``text`` with each sentence replaced by ``change(sentence, its offset)``; the
    spaces and paragraph breaks between sentences are kept as they were."""
    pieces, last = [], 0
    for start, end in _sentence_spans(text):
        pieces += [text[last:start], change(text[start:end], start)]
        last = end
    return "".join(pieces) + text[last:]


def _glued(sentence: str, start: int, end: int) -> bool:
    """Is the word at ``start:end`` part of a longer token ("years-long", "Homeline.ie")?"""
    before = sentence[start - 1 : start] if start else ""
    return any(c and (c.isalnum() or c in "-./&@_") for c in (before, sentence[end : end + 1]))


def _quantity_mask(text: str) -> bytearray:
    """1 under every character of a quantity our parser reads ("9,000", "five years")."""
    from metrics.facts.quantities import find_quantities

    mask = bytearray(len(text))
    for q in find_quantities(text):
        mask[q.start : q.end] = b"\x01" * (q.end - q.start)
    return mask


class ClaimFlip(Corruption):
    """One flip per touched sentence, chosen among all it allows: a 'not' removed
    after an auxiliary ("did not" -> "did", "can't" -> "can"), one inserted after
    the first auxiliary of a verb ("has rejected" -> "has not rejected"), or a word
    replaced by its WordNet antonym in the same form ("rose" -> "fell"). One flip
    only, so that two cannot cancel; names, numbers and quantities are never flipped."""

    type_name = "claim-flip"
    default_rate = 1.0
    summary = "one flip per sentence: 'not' added or removed, or a word swapped for its antonym"

    def damage(self, text: str, rng: random.Random) -> str:
        from bench.systems.antonyms import antonym
        from bench.systems.spinner import _NUMBER_WORDS
        from bench.systems.wordnet import load, locate

        wordnet = load(locate())
        mask = _quantity_mask(text)

        def flip(sentence: str, offset: int) -> str:
            if rng.random() >= self.rate:
                return sentence
            edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
            for m in re.finditer(r"\b([a-z]+) not\b", sentence):
                if m.group(1) in _AUXILIARIES:  # "has not rejected" -> "has rejected"
                    edits.append((m.end(1), m.end(), ""))
            for m in _CONTRACTED.finditer(sentence):  # "didn't" -> "did", "won't" -> "will"
                stem = m.group(1)
                if _UNCONTRACT.get(stem.lower(), stem).lower() in _AUXILIARIES:
                    edits.append((m.start(), m.end(), _UNCONTRACT.get(stem, stem)))
            for m in re.finditer(r"\bcannot\b", sentence):
                edits.append((m.start(), m.end(), "can"))
            words = list(_TOKEN.finditer(sentence))
            for i, m in enumerate(words):
                word, after = m.group(0), words[i + 1].group(0) if i + 1 < len(words) else ""
                previous = words[i - 1].group(0) if i else ""
                if word in _AUXILIARIES:  # "has rejected" -> "has not rejected", once a chain
                    if (
                        after.islower()
                        and after not in ("not", "never")
                        and previous not in _AUXILIARIES
                        and sentence[m.end() : m.end() + 1] == " "
                    ):
                        edits.append((m.end(), m.end(), " not"))
                    continue
                if (
                    len(word) < 3
                    or _glued(sentence, m.start(), m.end())
                    or not word.islower()
                    or word in _NOT_FLIPPED
                    or word in _NUMBER_WORDS
                    or any(mask[offset + m.start() : offset + m.end()])
                ):
                    continue
                opposite = antonym(wordnet, word, previous)
                if opposite is not None and opposite != word:
                    edits.append((m.start(), m.end(), opposite))
            if not edits:
                return sentence
            start, end, replacement = rng.choice(edits)
            return sentence[:start] + replacement + sentence[end:]

        return _sentences(text, flip)


class WordSalad(Corruption):
    """The lower-case words of each touched sentence shuffled among their places;
    names, quantities, words glued to others ("Sheffield-based") and small words
    between two capitalised ones ("Bank of England") stay where they were."""

    type_name = "word-salad"
    default_rate = 1.0
    summary = "names and numbers kept in place, the other words of each sentence shuffled"

    def damage(self, text: str, rng: random.Random) -> str:
        mask = _quantity_mask(text)

        def shuffle(sentence: str, offset: int) -> str:
            if rng.random() >= self.rate:
                return sentence
            words = list(_TOKEN.finditer(sentence))

            def kept(i: int) -> bool:
                """Names, numbers, and the small words inside names ("Bank of England")."""
                m = words[i]
                if not m.group(0).islower() or any(mask[offset + m.start() : offset + m.end()]):
                    return True
                if _glued(sentence, m.start(), m.end()):  # "Sheffield-based", "Homeline.ie"
                    return True
                return 0 < i < len(words) - 1 and not (
                    words[i - 1].group(0).islower() or words[i + 1].group(0).islower()
                )

            movable = [i for i in range(len(words)) if not kept(i)]
            order = [words[i].group(0) for i in movable]
            if len(set(order)) < 2:
                return sentence
            shuffled = order[:]
            while shuffled == order:
                rng.shuffle(shuffled)
            replaced = dict(zip(movable, shuffled, strict=True))
            pieces, last = [], 0
            for i, m in enumerate(words):
                if i in replaced:
                    pieces += [sentence[last : m.start()], replaced[i]]
                    last = m.end()
            return "".join(pieces) + sentence[last:]

        return _sentences(text, shuffle)


@lru_cache(maxsize=1)
def _parser() -> Any:
    """The pinned English spaCy model (the process's one copy, shared with the metrics)."""
    from metrics.facts.spacy_ner import ModelError, english_model

    try:
        return english_model().nlp
    except ModelError as exc:
        raise BenchError(f"role-swap needs the English spaCy model: {exc}") from None


_NOUNS = ("NOUN", "PROPN")
_SYMMETRIC = frozenset(
    "meet meets met meeting marry marries married marrying resemble resembles resembled "
    "equal equals equalled equaled match matches matched play plays played playing".split()
)
"""Verbs whose subject and object can change places without changing the claim."""


def _phrase(token: Any) -> tuple[int, int]:
    """Character range of ``token``'s phrase (its subtree), without punctuation at the
    ends, nor the sentence's full stop that spaCy may leave on a last word ("£230m.")."""
    doc = token.doc
    start, end = token.left_edge.i, token.right_edge.i + 1
    while start < end and doc[start].is_punct:
        start += 1
    while end > start and doc[end - 1].is_punct:
        end -= 1
    if start == end:
        return 0, 0
    first, last = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    if last == len(doc.text.rstrip()):
        last = first + len(doc.text[first:last].rstrip(".!?"))
    return first, last


def _role_pairs(doc: Any) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(doer, done-to) noun phrases of each verb, as character ranges: subject and
    direct object, or a passive's subject and its "by" agent; both headed by nouns or
    names (a pronoun would need another case: "he" -> "him"); not of symmetric verbs."""
    pairs = []
    text: str = doc.text
    for verb in doc:
        if verb.pos_ not in ("VERB", "AUX") or verb.text.lower() in _SYMMETRIC:
            continue  # "France met Russia" is "Russia met France"
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        objects += [g for c in verb.children if c.dep_ == "agent" for g in c.children
                    if g.dep_ == "pobj"]  # fmt: skip
        for subject in subjects:
            for obj in objects:
                if subject.pos_ not in _NOUNS or obj.pos_ not in _NOUNS:
                    continue
                a, b = sorted((_phrase(subject), _phrase(obj)))
                same = text[a[0] : a[1]].lower() == text[b[0] : b[1]].lower()
                if a[0] < a[1] and b[0] < b[1] and a[1] <= b[0] and not same:
                    pairs.append((a, b))
    return pairs


def _swap(doc: Any, a: tuple[int, int], b: tuple[int, int]) -> str:
    """The sentence with the phrases ``a`` and ``b`` (a before b) exchanged; a phrase
    leaving the sentence's start loses its capital only on a determiner ("the"):
    any other capital may be a name's."""
    text: str = doc.text
    first, second = text[a[0] : a[1]], text[b[0] : b[1]]
    lead = next((t for t in doc if not t.is_punct), doc[0])  # '"Northern commuters have'
    if a[0] == lead.idx:
        if lead.pos_ == "DET":  # "The truce ...", but never "Labour" or "Northern"
            first = first[0].lower() + first[1:]
        second = second[0].upper() + second[1:]
    return text[: a[0]] + second + text[a[1] : b[0]] + first + text[b[1] :]


class RoleSwap(Corruption):
    """In each touched sentence, one (doer, done-to) pair found by spaCy's dependency
    parser exchanged: "Russia has rejected the truce proposed by France." -> "The
    truce proposed by France has rejected Russia."; sentences without such a pair
    stay as they are."""

    type_name = "role-swap"
    default_rate = 1.0
    summary = "who did what to whom exchanged: a verb's subject and object swapped"

    def damage(self, text: str, rng: random.Random) -> str:
        sentences = [text[start:end] for start, end in _sentence_spans(text)]
        # The tagger and parser only: what a copy loaded without the others ran.
        docs = iter(_parser().pipe(sentences, batch_size=64, disable=["ner", "lemmatizer"]))

        def swap(sentence: str, offset: int) -> str:
            doc = next(docs)
            pairs = _role_pairs(doc)
            if not pairs or rng.random() >= self.rate:
                return sentence
            return _swap(doc, *rng.choice(pairs))

        return _sentences(text, swap)


CORRUPTIONS: tuple[type[Corruption], ...] = (
    MangleEntities, ChangeNumbers, DropSentences, ShuffleSentences, LeakSpintax, Typos,
    SynonymSpin, ClaimFlip, RoleSwap, WordSalad,
)  # fmt: skip
