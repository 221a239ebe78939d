"""Reading a paraphrase once: the words and names every fact of the article is looked for in.

The hypothesis side (``match``) asks a paraphrase the same few questions for
every fact of its clean article: does this name stand here as written, in
another spelling, or nearly? What names does it use? ``Paraphrase`` answers them
from one reading of the text, and works out each part (capitalised runs, name
spans, candidate near misses, the case- and accent-folded text) only when a
question first needs it: a paraphrase that keeps every name as written never
has its near-miss candidates listed.

Where a part is read faster than the plain way of saying what it is (capitalised runs,
name spans, locating a key), the plain way lives in ``tests/fact_reference.py``, and
``tests/test_fast_paths.py`` checks that both give the same on news text, on text built
from the words they key on, and on arbitrary Unicode.
"""

from __future__ import annotations

import re
from functools import cached_property

from metrics.facts.capitals import (
    CONNECTORS,
    FUNCTION_WORDS,
    MONTHS_DAYS,
    QUALIFIERS,
    TITLES,
    WORD_CHARS,
    Token,
    capitalised_runs,
    initials,
    starts_sentence,
)
from metrics.facts.demonyms import place_stem
from metrics.facts.memo import memo
from metrics.facts.names import (
    ACRONYM_DOT,
    POSSESSIVE,
    casefold,
    fold_quotes,
    name_key,
    name_key_plain,
    non_ascii,
    strip_diacritics,
    variants,
)

# Words that start a capitalised run without being part of a name.

# -- names and near-miss candidates ------------------------------------------------------


def title_at(run: list[Token], i: int) -> bool:
    """Whether the run's ``i``-th word is a title there: a title word, unless it is a
    qualifier followed by a word that is no title nor connector ("World Health
    Organization")."""
    if not is_title(run[i].text):
        return False
    if run[i].text.lower() not in QUALIFIERS or i + 1 == len(run):
        return True
    after = run[i + 1].text
    return is_title(after) or after.lower() in CONNECTORS


def is_title(word: str) -> bool:
    """Whether ``word`` is a title or office ("President", "Minister's") from ``TITLES``:
    a word that stands before a name without being part of it."""
    lower = word.lower()
    if lower[-2:] in ("'s", "’s"):  # a possessive: "President's"
        lower = lower[:-2]
    return lower in TITLES


_CONTRACTION = re.compile(r"['’](?:m|d|ll|s|ve|re)$")
"""A clitic after a function word: "I'm", "It's", "I've" are "I" and "it"."""


def is_function_word(lower: str) -> bool:
    """Whether a lower-cased word is a function word, alone or with a clitic ("it's")."""
    return lower in FUNCTION_WORDS or _CONTRACTION.sub("", lower) in FUNCTION_WORDS


_HEADLINE_WORD = re.compile(
    r"\s(?:In|Of|The|For|To|And|With|On|At|After|Over|From|By|As|Into|About|Against|Amid"
    r"|Before|Under|Is|Are|Was|Will|A|An)\s"
)
"""A short word that a headline in Title Case capitalises and a sentence does not."""
_LINE = re.compile(r"[^\n]+")


def title_case_lines(text: str) -> list[tuple[int, int]]:
    """Where the text has a line in Title Case (a headline): at most 200 characters, no
    closing stop, a capitalised short word after its first (" In ", " Of "), and every
    word of four letters or more capitalised. There a capital tells nothing about a
    name, as at the start of a sentence."""
    found = []
    for line in _LINE.finditer(text):
        words = line.group()
        if (
            len(words) <= 200
            and not words.rstrip().endswith((".", "?", "!", ":", ";", ","))
            and _HEADLINE_WORD.search(words)
            and all(len(w) < 4 or not w[0].islower() for w in WORD_CHARS.findall(words))
        ):
            found.append(line.span())
    return found


class Starts:
    """Whether a word stands where any word is capitalised: at the start of a sentence,
    or in a headline in Title Case (its lines found when the text is first read)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.headlines = title_case_lines(text) if "\n" in text or len(text) <= 200 else []

    def __call__(self, start: int) -> bool:
        return starts_sentence(self.text, start) or self.in_headline(start)

    def in_headline(self, start: int) -> bool:
        """Whether the character at ``start`` is on a Title Case headline line."""
        return any(a <= start < b for a, b in self.headlines)


class _UsedInsideSentence:
    """Whether a capitalised word of the runs stands somewhere other than at the start
    of a sentence or in a headline. The runs' words are indexed when first asked."""

    def __init__(self, text: str, runs: list[list[Token]], starts: Starts) -> None:
        self.text, self.runs, self.starts = text, runs, starts
        self.capitalised: dict[str, list[Token]] | None = None  # every capital is in a run

    def __call__(self, word: str) -> bool:
        if self.capitalised is None:
            self.capitalised = {}
            for run in self.runs:
                for t in run:
                    self.capitalised.setdefault(t.text, []).append(t)
        return any(not self.starts(t.start) for t in self.capitalised.get(word, ()))


_TITLE, _CONNECTOR, _FUNCTION, _NOT_ALONE, _QUALIFIER = 1, 2, 4, 8, 16
"""What a capitalised word is, for name spans: a title, a connector, a function word, or
a word that is no name alone (a function word, a month or day, "I", no letter)."""


@memo(65536)
def _word_roles(word: str) -> int:
    lower = word.lower()
    roles = _TITLE if is_title(word) else 0
    if lower in CONNECTORS:
        roles |= _CONNECTOR
    if lower in QUALIFIERS:
        roles |= _QUALIFIER
    if is_function_word(lower):
        roles |= _FUNCTION | _NOT_ALONE
    if lower in MONTHS_DAYS or word == "I" or not any(c.isalpha() for c in word):
        roles |= _NOT_ALONE
    return roles


def name_spans(text: str, runs: list[list[Token]], vocabulary: frozenset[str]) -> list[Token]:
    """Runs split at titles and trimmed of sentence-initial function words: the names used.

    In a headline in Title Case, a name is kept only if each of its words is known as
    one (``known``). Each word's roles are looked up once per process (``_word_roles``),
    and a run of one word, most runs, is judged directly."""
    starts = Starts(text)
    used_inside_sentence = _UsedInsideSentence(text, runs, starts)

    def known(word: Token) -> bool:
        """Whether a capitalised word is a name the article or the paraphrase uses."""
        return name_key(word.text) in vocabulary or used_inside_sentence(word.text)

    def alone(word: Token) -> bool:
        """Whether a word standing alone is a name used (not a capital that only marks
        the start of a sentence, or a headline's)."""
        return not starts(word.start) or known(word)

    spans = []
    for run in runs:
        if len(run) == 1:
            word = run[0]
            if not _word_roles(word.text) & (_TITLE | _CONNECTOR | _NOT_ALONE) and alone(word):
                spans.append(word)  # the run's own token: tokens are never changed
            continue
        roles = [_word_roles(t.text) for t in run]
        piece: list[int] = []  # indices into run
        pieces: list[list[int]] = []
        for i, r in enumerate(roles):
            if r & _TITLE and (not r & _QUALIFIER or title_at(run, i)):
                if piece:
                    pieces.append(piece)
                piece = []
            else:
                piece.append(i)
        if piece:
            pieces.append(piece)
        for piece in pieces:
            first, last = 0, len(piece)
            while first < last and (
                roles[piece[first]] & _CONNECTOR
                or (roles[piece[first]] & _FUNCTION and starts(run[piece[first]].start))
            ):
                first += 1
            while last > first and roles[piece[last - 1]] & _CONNECTOR:
                last -= 1
            if last == first:
                continue
            if last - first == 1:
                word = run[piece[first]]
                if _word_roles(word.text) & _NOT_ALONE or not alone(word):
                    continue
            if starts.in_headline(run[piece[first]].start) and not all(
                known(run[i]) for i in piece[first:last] if not roles[i] & _CONNECTOR
            ):
                continue
            start, end = run[piece[first]].start, run[piece[last - 1]].end
            spans.append(Token(text[start:end], start, end))
    return spans


NearChoices = tuple[list[str], list[Token]]
"""Distinct non-empty keys, each with the first candidate that has it."""

LONGEST_CANDIDATE = 4
"""Words in the longest sub-run a near miss is looked for in."""


def candidates(text: str, runs: list[list[Token]], longest: int = LONGEST_CANDIDATE) -> list[Token]:
    """Every sub-run of up to ``longest`` words: where a near-miss name may hide.

    Shorter first within each run, then in reading order (the first of equally close
    candidates is the one reported). Runs do not overlap, so no span comes twice.
    """
    found: list[Token] = []
    for run in runs:
        found += run  # its words
        for n in range(2, min(longest, len(run)) + 1):
            for i in range(len(run) - n + 1):
                start, end = run[i].start, run[i + n - 1].end
                found.append(Token(text[start:end], start, end))
    return found


def near_choices(text: str, runs: list[list[Token]]) -> tuple[NearChoices, NearChoices]:
    """The choices a near miss is picked from: every candidate's key once, with its first
    candidate (the same key scores the same, and the first best wins); and the same
    for the one-word candidates (no space in the text), where surnames are."""
    found = candidates(text, runs)
    keys = [name_key(c.text) for c in found]
    first: dict[str, Token] = {}
    one_word: dict[str, Token] = {}
    for candidate, key in zip(found, keys, strict=True):
        if key:
            first.setdefault(key, candidate)
            if " " not in candidate.text:
                one_word.setdefault(key, candidate)
    return (list(first), list(first.values())), (list(one_word), list(one_word.values()))


# -- the folded text: case, accents, possessives ------------------------------------------


def keyed_plain(text: str) -> str:
    """The paraphrase as space-separated name_key tokens, padded for whole-word search."""
    # name_key's memo is for names; a whole paraphrase would only fill it (65,536 texts).
    return " " + " ".join(WORD_CHARS.findall(name_key_plain(text))) + " "


def key_tokens(key: str) -> str:
    """A key's words as they stand in ``keyed_plain``: ' keir starmer '."""
    return " " + " ".join(WORD_CHARS.findall(key)) + " "


def key_words(text: str) -> str:
    """The text's words as name_key reads them (quotes, accents, case, possessives and
    acronym dots folded), with everything between them left in place.

    ``keyed_plain``'s tokens are this text's words, except that name_key also drops a
    leading "the": a search for a key whose first word is not "the" cannot tell.
    """
    folded = casefold(strip_diacritics(fold_quotes(text)))
    return ACRONYM_DOT.sub("", POSSESSIVE.sub("", folded))


@memo(4096)
def key_pattern(key: str) -> tuple[str, re.Pattern[str]]:
    """The first word of ``key``, and a pattern for what must follow it there: the other
    words, anything but words between them, and then no word character.

    Where the first word stands with no word character before it and the pattern
    matches after it, the key stands exactly as ``key_tokens(key)`` stands in
    ``keyed_plain`` (for a key whose first word is not "the"). The first word is found
    with ``str.find``, far faster than the regex engine's own search.
    """
    first, *rest = WORD_CHARS.findall(key)
    return first, re.compile("".join(rf"\W+{re.escape(w)}" for w in rest) + r"(?!\w)")


def _has_key(words: str, key: str) -> bool:
    first, then = key_pattern(key)
    at = words.find(first)
    while at >= 0:
        if (not at or not is_word_char(words[at - 1])) and then.match(words, at + len(first)):
            return True
        at = words.find(first, at + 1)
    return False


def find_word(text: str, word: str) -> int:
    """Where ``word`` first stands whole in ``text`` (no \\w character either side), or -1."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if not (at and is_word_char(text[at - 1])) and not (
            end < len(text) and is_word_char(text[end])
        ):
            return at
        at = text.find(word, at + 1)
    return -1


def is_word_char(char: str) -> bool:
    """What \\w matches in a str pattern."""
    return char.isalnum() or char == "_"


# -- the paraphrase, read once ---------------------------------------------------------------


class Paraphrase:
    """A paraphrase, and every part of it the analysis asks for, each worked out once."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def runs(self) -> list[list[Token]]:
        """The paraphrase's runs of capitalised words: where its names can be."""
        return capitalised_runs(self.text)

    @cached_property
    def _near_choices(self) -> tuple[NearChoices, NearChoices]:
        return near_choices(self.text, self.runs)

    @property
    def near_keys(self) -> NearChoices:
        """The distinct candidate keys, each with its first candidate: the choices a near
        miss is picked from."""
        return self._near_choices[0]

    @property
    def near_surnames(self) -> NearChoices:
        """The same for the one-word candidates: where surnames are."""
        return self._near_choices[1]

    @cached_property
    def place_stems(self) -> dict[str, Token]:
        """The place stem (``place_stem``) of each one-word capitalised word of four
        letters or more, with the first word that has it: where a place or its people is
        named by the other ("Russia's navy", "the Russian navy")."""
        stems: dict[str, Token] = {}
        for run in self.runs:
            for token in run:
                key = name_key(token.text)
                # A short name by its longer aliases: "US" by "America".
                for form in (key, *variants(token.text)) if len(key) < 4 else (key,):
                    if len(form) >= 4 and " " not in form:
                        stems.setdefault(place_stem(form), token)
            if len(run) > 1:  # a place of several words, by its one-word alias: "America"
                whole = Token(self.text[run[0].start : run[-1].end], run[0].start, run[-1].end)
                for alias in variants(whole.text):
                    if len(alias) >= 4 and " " not in alias:
                        stems.setdefault(place_stem(alias), whole)
        return stems

    @cached_property
    def initials(self) -> dict[str, Token]:
        """The initials of each run of two words or more (``initials``), with its first run:
        where an acronym's full name stands ("Massachusetts Institute of Technology")."""
        found: dict[str, Token] = {}
        for run in self.runs:
            letters = initials([t.text for t in run])
            if len(letters) >= 2:
                start, end = run[0].start, run[-1].end
                found.setdefault(letters, Token(self.text[start:end], start, end))
        return found

    @cached_property
    def keyed(self) -> str:
        """``keyed_plain`` of the paraphrase: its name_key tokens, for whole-word search."""
        return keyed_plain(self.text)

    @cached_property
    def key_words(self) -> str:
        """``key_words`` of the paraphrase: its words folded as name_key folds them."""
        return key_words(self.text)

    def has_key(self, key: str, tokens: str) -> bool:
        """Whether ``key`` (with ``tokens`` = key_tokens(key)) stands among the folded words."""
        if tokens.startswith(" the ") or tokens == "  ":
            # name_key's leading "the" matters; a key without words has no pattern
            return tokens in self.keyed
        return _has_key(self.key_words, key)

    @cached_property
    def folded(self) -> str:
        """Diacritics folded, length kept, so offsets still point into the text."""
        text = self.text
        if text.isascii():
            return text
        folds = {c: strip_diacritics(c)[:1] or c for c in non_ascii(text)}
        changes = {c: to for c, to in folds.items() if to != c}
        if all(to.isascii() for to in changes.values()):
            # str.translate is slow on non-ASCII text; one replace per letter is not, and
            # gives the same text when no replacement can be replaced again.
            for c, to in changes.items():
                text = text.replace(c, to)
            return text
        return text.translate({ord(c): to for c, to in changes.items()})

    def locate(self, key: str) -> tuple[int, int] | None:
        """Where the words of ``key`` first stand in the text, in any case, with any
        punctuation or spacing between them, and no word character either side.

        The pattern is searched for without its lookbehind, which would stop the regex
        engine skipping ahead to the first letter's places (a third of the time), and
        each place found is then checked for it."""
        folded = self.folded
        then = _locator(key, lookbehind=False)
        found = then.search(folded)
        while found and (at := found.start()) and is_word_char(folded[at - 1]):
            found = then.search(folded, at + 1)
        return found.span() if found else None


@memo(4096)
def _locator(key: str, lookbehind: bool = True) -> re.Pattern[str]:
    """The words of ``key`` in any case, with any punctuation or spacing between them,
    and no word character after (nor before, with ``lookbehind``)."""
    words = key.split()
    pattern = r"[\W_]+".join(re.escape(w) for w in words) + r"(?!\w)"
    return re.compile(r"(?<!\w)" + pattern if lookbehind else pattern, re.IGNORECASE)
