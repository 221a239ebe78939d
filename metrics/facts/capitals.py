"""Capitalised runs: the words of a paraphrase that may be names, and the word lists
that say which capitalised words are not (titles, function words, months and days).

A run is a maximal sequence of capitalised words, with name connectors such as "of"
or "von" inside: "Ministry of Defence", "Ursula von der Leyen". ``paraphrase`` splits
runs into name spans and near-miss candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from metrics.facts.fast import alternation, beyond_plane
from metrics.facts.memo import memo
from metrics.facts.names import WORD

TITLES = frozenset(
    """pm mp mep mr mrs ms miss dr sir dame lord lady president prime minister secretary
    chancellor deputy chief executive foreign defence defense home justice health finance
    interior governor mayor senator judge justice professor prof officer spokesperson
    spokesman spokeswoman king queen prince princess general admiral captain coach manager
    striker midfielder defender chairman chairwoman chair commissioner leader premier bishop
    pope official senior junior former acting shadow labour conservative democrat republican
    st saint""".split()
)
QUALIFIERS = frozenset("foreign defence defense home justice health finance interior".split())
"""Titles only before another title ("Health Secretary"); before another word they name
a body: "the World Health Organization", "the Home Office"."""
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
_SENTENCE_MARKS = frozenset('.!?…:;"“”()[]')
"""What may end the text before a sentence, a quotation or a bracketed remark: after
"(Cheers)" or "(", a capital starts a phrase."""
WORD_CHARS = re.compile(r"\w+")


@dataclass(slots=True)
class Token:
    """A word of the paraphrase, or a span of words."""

    text: str
    start: int
    end: int


def initials(words: list[str]) -> str:
    """The lower-case first letters of the words that are not connectors: "Bank of
    England" -> "be", "Massachusetts Institute of Technology" -> "mit"."""
    return "".join(w[0].lower() for w in words if w and w.lower() not in CONNECTORS)


def starts_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens the text, a line or a sentence: just before it
    is nothing, a line break, or a sentence mark (``_SENTENCE_MARKS``: full stops,
    colons, quotes and brackets among them). Its capital then says nothing of a name."""
    before = text[max(0, start - 3) : start]
    stripped = before.rstrip()
    return not stripped or "\n" in before or stripped[-1] in _SENTENCE_MARKS


# -- capitalised runs -----------------------------------------------------------------


def _close(separator: str) -> bool:
    """Nothing but spacing or one hyphen: what lets two words stand in one name."""
    return separator.strip() in ("", "-")


_WORD_SPLIT = re.compile(f"({WORD.pattern})")


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


@memo(None)
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
    """Maximal runs of capitalised words (with name connectors such as "of", "von" inside),
    found from the capitals alone.

    A run goes on while the next word is capitalised and what lies between is only
    spacing or one hyphen; a lower-case connector joins a run when a capitalised word
    follows it directly.

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
