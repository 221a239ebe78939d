"""Reading a paraphrase once: the words and names every fact of the article is looked for in.

The hypothesis side (``match``) asks a paraphrase the same few questions for
every fact of its clean article: does this name stand here as written, in
another spelling, or nearly? What names does it use? ``Paraphrase`` answers them
from one reading of the text, and works out each part (capitalised runs, name
spans, candidate near misses, the case- and accent-folded text) only when a
question first needs it: a paraphrase that keeps every name as written never
has its near-miss candidates listed.

Some parts have two ways of being computed: a plain one, which says what the
part is, and a fast one for the texts it covers, which gives the same result
(``tests/test_fast_paths.py`` checks each pair on news text, on text built from
the words they key on, and on arbitrary Unicode).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import accumulate

from metrics.facts.fast import alternation, beyond_plane
from metrics.facts.names import (
    ACRONYM_DOT,
    POSSESSIVE,
    WORD,
    casefold,
    fold_quotes,
    name_key,
    name_key_plain,
    non_ascii,
    strip_diacritics,
)

# Words that start a capitalised run without being part of a name.
TITLES = frozenset(
    """pm mp mep mr mrs ms miss dr sir dame lord lady president prime minister secretary
    chancellor deputy chief executive foreign defence defense home justice health finance
    interior governor mayor senator judge justice professor prof officer spokesperson
    spokesman spokeswoman king queen prince princess general admiral captain coach manager
    striker midfielder defender chairman chairwoman chair commissioner leader premier bishop
    pope official senior junior former acting shadow labour conservative democrat republican
    st saint""".split()
)
FUNCTION_WORDS = frozenset(
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
CONNECTORS = frozenset({"of", "de", "von", "van", "der", "den", "du", "la", "le", "del", "da",
                        "di", "for", "&", "bin", "al"})  # fmt: skip
"""Lower-case words that join the capitalised words either side into one name."""
MONTHS_DAYS = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
_SENTENCE_MARKS = frozenset('.!?…:;"“”')
WORD_CHARS = re.compile(r"\w+")


@dataclass(slots=True)
class Token:
    """A word of the paraphrase, or a span of words."""

    text: str
    start: int
    end: int


def starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start]
    stripped = before.rstrip()
    return not stripped or "\n" in before or stripped[-1] in _SENTENCE_MARKS


# -- capitalised runs -----------------------------------------------------------------

_WORD_SPLIT = re.compile(f"({WORD.pattern})")


def _close(separator: str) -> bool:
    """Nothing but spacing or one hyphen: what lets two words stand in one name."""
    return separator.strip() in ("", "-")


def capitalised_runs_plain(text: str) -> list[list[Token]]:
    """Maximal runs of capitalised words (with name connectors such as "of", "von" inside).

    A run goes on while the next word is capitalised and what lies between is only
    spacing or one hyphen; a lower-case connector joins a run when a capitalised word
    follows it directly. The words come from one split of the text (separators and
    words alternate), and only the capitalised ones are visited.
    """
    parts = _WORD_SPLIT.split(text)
    words = parts[1::2]
    offsets = list(accumulate(map(len, parts), initial=0))  # word i: offsets[2i+1 : 2i+3]

    def token(i: int) -> Token:
        return Token(words[i], offsets[2 * i + 1], offsets[2 * i + 2])

    runs: list[list[Token]] = []
    current: list[Token] = []
    last = -1  # the word that ends ``current``
    for i in [i for i, word in enumerate(words) if word[0].isupper()]:
        if current and i == last + 2 and words[last + 1].lower() in CONNECTORS:
            if not _close(parts[2 * last + 2]):
                runs.append(current)
                current = []
            last += 1
            current.append(token(last))
        if current and (i != last + 1 or not _close(parts[2 * i])):
            runs.append(current)
            current = []
        current.append(token(i))
        last = i
    if current:
        runs.append(current)
    return runs


_INSIDE_A_WORD = frozenset("_'’.&-")
"""What a word may hold between its letters and digits, besides more of them."""
_ONE_WORD = re.compile(rf"(?:[^\w&]|_)*(?P<word>{WORD.pattern})(?:[^\w&]|_)*")
"""Text holding exactly one word, when matched whole: around it, only characters that
cannot start one (WORD starts at a letter, a digit or "&")."""


_CONNECTOR_AHEAD = alternation(c for c in CONNECTORS if c != "&")


@cache
def _capitalised_word() -> re.Pattern[str]:
    """A capital letter, and the rest of its word if it plainly starts one.

    A capital starts a word when what comes before cannot be part of a word (the
    lookbehind checks the one character before it); the rest of the word is then
    ``WORD``'s, and two looks ahead say what comes after it: ``close``, spacing or
    one hyphen and then a capital (the next word of the run), or ``connector``, a
    word that may be a connector ("of", "von", "&", in any case) coming next. Any
    other capital (after a hyphen, an apostrophe, a letter) matches alone, as
    ``odd``, and is judged by looking further back.

    The capitals are those of the Basic Multilingual Plane, listed once per process
    (a few milliseconds): a text with characters beyond it is read the plain way.
    """
    ranges: list[list[int]] = []
    for code in range(0x10000):
        char = chr(code)
        if char.isupper() and char.isalnum():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    capitals = (
        "["
        + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)
        + "]"
    )
    rest = r"[\w'’.&-]*[^\W_]"
    close = rf"\s*(?:-\s*)?{capitals}"
    connector = rf"(?:[^\w&]|_)*(?:(?i:{_CONNECTOR_AHEAD})(?![\w'’.&-]*[^\W_])|&)"
    return re.compile(
        rf"{capitals}(?:(?<![\w'’.&-].)(?:{rest})?"
        rf"(?:(?={close})(?P<close>)|(?={connector})(?P<connector>))?"
        rf"|(?P<odd>))"
    )


def capitalised_runs(text: str) -> list[list[Token]]:
    """``capitalised_runs_plain``'s runs, found from the capitals alone.

    Instead of splitting the whole text into words, it finds each capitalised word
    and what follows it: spacing or a hyphen before the next capital continues the
    run; where a connector may come next, the separator is read word by word (a
    lone connector joins the run); anything else ends it.
    """
    if beyond_plane(text):
        return capitalised_runs_plain(text)
    runs: list[list[Token]] = []
    current: list[Token] = []
    end = 0
    after: str | None = None  # what follows the last word: "close", "connector", None (end)
    for found in _capitalised_word().finditer(text):
        start, stop = found.span()
        follows = found.lastgroup
        if follows == "odd":
            if start < end:
                continue  # a capital inside the last word
            before = start - 1
            while before >= 0 and text[before] in _INSIDE_A_WORD:
                before -= 1
            if before >= 0 and text[before].isalnum():
                continue  # inside a word that does not start with a capital: "eBay"
            stop = WORD.match(text, start).end()  # type: ignore[union-attr]
            follows = "unknown"
        end = stop
        word = Token(text[start:stop], start, stop)
        if after == "close":
            current.append(word)
        elif after is None:
            if current:
                runs.append(current)
            current = [word]
        else:
            current = _join(text, runs, current, word)
        after = follows
    if current:
        runs.append(current)
    return runs


def _join(text: str, runs: list[list[Token]], current: list[Token], word: Token) -> list[Token]:
    """The run ``word`` ends up in, read from the separator between it and the last word:
    close, or one connector word (with close separators it joins the run), or else."""
    gap_start, gap_end = current[-1].end, word.start
    if _close(text[gap_start:gap_end]):
        current.append(word)
        return current
    between = _ONE_WORD.fullmatch(text, gap_start, gap_end)
    if between and between["word"].lower() in CONNECTORS:
        if not _close(text[gap_start : between.start("word")]):
            runs.append(current)
            current = []
        current.append(Token(between["word"], *between.span("word")))
        if _close(text[between.end("word") : gap_end]):
            current.append(word)
            return current
    runs.append(current)
    return [word]


# -- names and near-miss candidates ------------------------------------------------------


def is_title(word: str) -> bool:
    lower = word.lower()
    if lower[-2:] in ("'s", "’s"):  # a possessive: "President's"
        lower = lower[:-2]
    return lower in TITLES


class _UsedInsideSentence:
    """Whether a capitalised word of the runs stands somewhere other than at the start
    of a sentence. The runs' words are indexed when first asked."""

    def __init__(self, text: str, runs: list[list[Token]]) -> None:
        self.text, self.runs = text, runs
        self.capitalised: dict[str, list[Token]] | None = None  # every capital is in a run

    def __call__(self, word: str) -> bool:
        if self.capitalised is None:
            self.capitalised = {}
            for run in self.runs:
                for t in run:
                    self.capitalised.setdefault(t.text, []).append(t)
        return any(not starts_sentence(self.text, t.start) for t in self.capitalised.get(word, ()))


_TITLE, _CONNECTOR, _FUNCTION, _NOT_ALONE = 1, 2, 4, 8
"""What a capitalised word is, for name spans: a title, a connector, a function word, or
a word that is no name alone (a function word, a month or day, "I", no letter)."""


@lru_cache(maxsize=65536)
def _word_roles(word: str) -> int:
    lower = word.lower()
    roles = _TITLE if is_title(word) else 0
    if lower in CONNECTORS:
        roles |= _CONNECTOR
    if lower in FUNCTION_WORDS:
        roles |= _FUNCTION | _NOT_ALONE
    if lower in MONTHS_DAYS or word == "I" or not any(c.isalpha() for c in word):
        roles |= _NOT_ALONE
    return roles


def name_spans(text: str, runs: list[list[Token]], vocabulary: frozenset[str]) -> list[Token]:
    """``name_spans_plain``'s spans: runs split at titles and trimmed of sentence-initial
    function words. Each word's roles are looked up once per process (``_word_roles``),
    and a run of one word, most runs, is judged directly."""
    used_inside_sentence = _UsedInsideSentence(text, runs)

    def alone(word: Token) -> bool:
        """Whether a word standing alone is a name used (not a capital that only marks
        the start of a sentence)."""
        return (
            not starts_sentence(text, word.start)
            or name_key(word.text) in vocabulary
            or used_inside_sentence(word.text)
        )

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
            if r & _TITLE:
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
                or (
                    roles[piece[first]] & _FUNCTION
                    and starts_sentence(text, run[piece[first]].start)
                )
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
            start, end = run[piece[first]].start, run[piece[last - 1]].end
            spans.append(Token(text[start:end], start, end))
    return spans


def name_spans_plain(text: str, runs: list[list[Token]], vocabulary: frozenset[str]) -> list[Token]:
    """Runs split at titles and trimmed of sentence-initial function words: the names used.

    ``name_spans`` gives the same spans faster; this is what it is tested against.
    """
    used_inside_sentence = _UsedInsideSentence(text, runs)

    spans = []
    for run in runs:
        pieces: list[list[Token]] = []
        if len(run) == 1:  # most runs
            if not is_title(run[0].text):
                pieces.append(run)
        else:
            piece: list[Token] = []
            for token in run:
                if is_title(token.text):
                    if piece:
                        pieces.append(piece)
                    piece = []
                else:
                    piece.append(token)
            if piece:
                pieces.append(piece)
        for piece in pieces:
            first = 0
            while first < len(piece) and (
                (lower := piece[first].text.lower()) in CONNECTORS
                or (lower in FUNCTION_WORDS and starts_sentence(text, piece[first].start))
            ):
                first += 1
            last = len(piece)
            while last > first and piece[last - 1].text.lower() in CONNECTORS:
                last -= 1
            if last == first:
                continue
            if last - first == 1:
                word = piece[first].text
                lower = word.lower()
                if lower in FUNCTION_WORDS or lower in MONTHS_DAYS or word == "I":
                    continue
                if not (word.isalpha() or any(c.isalpha() for c in word)):
                    continue
                if (
                    starts_sentence(text, piece[first].start)
                    and name_key(word) not in vocabulary
                    and not used_inside_sentence(word)
                ):
                    continue  # a capital that only marks the start of a sentence
            start, end = piece[first].start, piece[last - 1].end
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
    ``near_choices`` gives what the near-miss search needs of them; this is what it is
    tested against.
    """
    found: list[Token] = []
    for run in runs:
        found += run  # its words
        for n in range(2, min(longest, len(run)) + 1):
            for i in range(len(run) - n + 1):
                start, end = run[i].start, run[i + n - 1].end
                found.append(Token(text[start:end], start, end))
    return found


def near_choices_plain(text: str, runs: list[list[Token]]) -> tuple[NearChoices, NearChoices]:
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


def near_choices(text: str, runs: list[list[Token]]) -> tuple[NearChoices, NearChoices]:
    """``near_choices_plain``'s choices, from the candidates in the same order, without
    listing them: a sub-run of several words becomes a token only if its key is new."""
    first: dict[str, Token] = {}
    one_word: dict[str, Token] = {}
    for run in runs:
        for word in run:
            # A word holds no space, and every key in one_word is in first too.
            key = name_key(word.text)
            if key not in one_word and key:
                one_word[key] = word
                first.setdefault(key, word)
        if len(run) == 1:
            continue
        for n in range(2, min(LONGEST_CANDIDATE, len(run)) + 1):
            for i in range(len(run) - n + 1):
                start, end = run[i].start, run[i + n - 1].end
                span = text[start:end]
                key = name_key(span)
                if not key:
                    continue
                alone = " " not in span
                if key not in first or (alone and key not in one_word):
                    candidate = Token(span, start, end)
                    first.setdefault(key, candidate)
                    if alone:
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


@lru_cache(maxsize=4096)
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
    def keyed(self) -> str:
        return keyed_plain(self.text)

    @cached_property
    def key_words(self) -> str:
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
        punctuation or spacing between them, and no word character either side:
        ``locate_plain``'s span. The pattern is searched for without its lookbehind,
        which would stop the regex engine skipping ahead to the first letter's places
        (a third of the time), and each place found is then checked for it."""
        folded = self.folded
        then = _locator(key, lookbehind=False)
        found = then.search(folded)
        while found and (at := found.start()) and is_word_char(folded[at - 1]):
            found = then.search(folded, at + 1)
        return found.span() if found else None


def locate_plain(folded: str, key: str) -> tuple[int, int] | None:
    """Where the words of ``key`` first stand in ``folded``, in any case, with any
    punctuation or spacing between them, and no word character either side."""
    found = _locator(key).search(folded)
    return found.span() if found else None


@lru_cache(maxsize=4096)
def _locator(key: str, lookbehind: bool = True) -> re.Pattern[str]:
    """The words of ``key`` in any case, with any punctuation or spacing between them,
    and no word character after (nor before, with ``lookbehind``)."""
    words = key.split()
    pattern = r"[\W_]+".join(re.escape(w) for w in words) + r"(?!\w)"
    return re.compile(r"(?<!\w)" + pattern if lookbehind else pattern, re.IGNORECASE)
