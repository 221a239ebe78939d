"""Where a quantity can begin in a text: the places each pattern is tried at.

Running every pattern over the whole text, character by character, was most of the
parser's time, yet each pattern can only begin at a few kinds of places: the first
digit of a number, a number word, a month, a currency sign just before a number. One
cheap pass lists those places and each pattern is tried there alone, with
``pattern.match(text, place)``, which still sees the whole text (lookbehinds, \\b).
Because a pattern's places include every place it can match at, the matches are
exactly ``pattern.finditer(text)``'s (``tests/test_fast_paths.py`` checks it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from metrics.facts.fast import alternation
from metrics.facts.memo import memo
from metrics.facts.quantity_forms import (
    CARDINAL,
    CLOCK,
    CURRENCY_PREFIX,
    CURRENCY_WORD,
    DATE_DMY,
    DATE_ISO,
    DATE_MDY,
    DATE_MY,
    DIGITS,
    DURATION,
    FOLD,
    MAGNITUDE,
    MEASURE,
    MONEY_PREFIXED,
    MONEY_SUFFIXED,
    MONTH_ALONE,
    MONTH_HINT,
    MONTHS,
    NUMBER,
    ORDINAL,
    ORDINALS,
    PERCENT,
    PERIOD,
    RELATIVE,
    SCALES,
    SCORE,
    SEASON,
    TENS,
    UNIT_CANON,
    UNITS,
    WEEKDAY,
    WEEKDAYS,
    YEAR,
)

_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")
"""İ ı ſ K: the only non-ASCII characters an IGNORECASE pattern matches to ASCII letters."""


def _is_letter(char: str) -> bool:
    return "a" <= char <= "z"


def _bars_number(char: str) -> bool:
    """Whether a number-led pattern can begin after ``char`` (a lower-cased character,
    or "" at the start): not after a word character, a comma or a dot."""
    return char in _NUMBER_GOES_ON or char.isalnum() or char == "_"


_NUMBER_GOES_ON = (",", ".")
"""What digits go on past in one number: "1,600", "1.6"."""

_PREFIXES = tuple(CURRENCY_PREFIX)
_SIGNS = frozenset(p for p in _PREFIXES if not _is_letter(p[-1]))
"""The prefixes that end with a sign ("$", "us$", "£"), looked for from the number."""
_CODES = frozenset(p for p in _PREFIXES if p not in _SIGNS)
"""The others, each three letters ("gbp"), looked for as whole runs of letters."""
assert {len(p) for p in _SIGNS} == {1, 2, 3} and {len(p) for p in _CODES} == {3}
assert all(_is_letter(c) for p in _CODES for c in p)

# The words a pattern can begin with, as whole runs of letters (in a match, each is
# followed by a non-letter). An article begins a match only before a magnitude ("a
# million", "an m"), but CARDINAL also matches a bare "a" before discarding it, so the
# article's places are those before a magnitude: the discarded matches cover no place.
_WORDS_BY_KIND = {
    "number word": (*UNITS, *TENS),
    "month": tuple(MONTHS),
    "weekday": (*WEEKDAYS, *(f"{day}s" for day in WEEKDAYS)),
    "relative": ("last", "next", "this", "previous", "preceding", "prior", "coming", "past",
                 "yesterday", "today", "tomorrow"),
    "ordinal word": tuple(ORDINALS),
    "fold word": tuple(f"{word}fold" for word in (*UNITS, *TENS)),
}  # fmt: skip
_KINDS_OF_WORD: dict[str, tuple[str, ...]] = {}
for _kind, _words in _WORDS_BY_KIND.items():
    for _word in _words:
        _KINDS_OF_WORD[_word] = (*_KINDS_OF_WORD.get(_word, ()), _kind)

# The places are found with three passes of the regex engine, each fast because each
# can skip ahead (one pattern that does all three is slower than the three together).
_DIGIT_RUN = re.compile(r"\d+")
_ARTICLE = re.compile(r"an?(?:bn|m|\s(?:thousand|million|billion|trillion))(?![a-z])")
"""An article before a magnitude, where the article starts a run of letters (checked
after: a lookbehind first would stop the engine skipping ahead to each "a"), and the
magnitude's run ends with it ("abn" or "a million", not "amendment" or "a millionaire":
there CARDINAL matches only a bare "a", which it drops)."""
_KEY_WORD = re.compile(rf"(?<![a-z])(?:{alternation(_KINDS_OF_WORD)})(?![a-z])")
"""A whole run of letters that is a word of _WORDS_BY_KIND."""

_NUMBER_STARTS = ("digits", "number word")
_BEGINS: dict[re.Pattern[str], tuple[str, ...]] = {
    MONEY_PREFIXED: ("currency",),
    MONEY_SUFFIXED: _NUMBER_STARTS,
    PERCENT: _NUMBER_STARTS,
    DATE_DMY: ("digits",),
    DATE_MDY: ("month",),
    DATE_MY: ("month",),
    DATE_ISO: ("digits",),
    SEASON: ("digits",),
    YEAR: ("digits",),
    PERIOD: _NUMBER_STARTS,
    RELATIVE: ("relative",),
    WEEKDAY: ("weekday",),
    CLOCK: ("digits",),
    DURATION: ("digits",),
    MEASURE: _NUMBER_STARTS,
    ORDINAL: ("digits", "ordinal word"),
    SCORE: ("digits",),
    FOLD: ("digits", "fold word"),
    CARDINAL: (*_NUMBER_STARTS, "article"),
    MONTH_HINT: ("month",),
    MONTH_ALONE: ("month",),
}
"""The kinds of place where each pattern's matches can begin."""


_WORD_RUN = re.compile(r"\w*")


def _first_runs(words: Iterable[str]) -> frozenset[str]:
    """The first run of word characters of each word (lower-cased): "km" for "km/h"."""
    return frozenset(run.lower() for w in words if (run := _WORD_RUN.match(w).group()))  # type: ignore[union-attr]


def _after_number(
    follows: tuple[str, ...], thens: tuple[str, ...], words: Iterable[str]
) -> Callable[[int, str, str, str], bool]:
    """A number-led pattern: the number goes on after the digits (",", "."), or one of
    ``follows`` comes right after it, or after a space one of ``thens`` or a run of word
    characters that begins one of ``words`` (the run is the whole of a one-word entry,
    which ends at a boundary, or the first word of a longer one)."""
    firsts = _first_runs(words)
    return lambda length, after, then, word: (
        after in _NUMBER_GOES_ON
        or after in follows
        or (after.isspace() and (then in thens or word in firsts))
    )


_UNIT_FIRST_RUNS = _first_runs(UNIT_CANON)
"""The first word of each unit ("square" of "square miles"); the only unit that does not
begin with a word character begins with "°"."""
assert {u[0] for u in UNIT_CANON if not _WORD_RUN.match(u).group()} == {"°"}  # type: ignore[union-attr]

_DAY_OR_ORDINAL_SUFFIX = ("s", "n", "r", "t")  # 14th, 1st, 2nd, 3rd
_PERIOD_UNITS = ("year", "years", "month", "months", "week", "weeks", "day", "days", "decade",
                 "decades", "century", "centuries")  # fmt: skip

_AFTER_DIGITS: dict[re.Pattern[str], Callable[[int, str, str, str], bool]] = {
    # A magnitude ("bn", " million"), or a space and a currency word.
    MONEY_SUFFIXED: _after_number(("t", "m", "b", "k"), (), [*MAGNITUDE, *CURRENCY_WORD]),
    PERCENT: _after_number(("%", "p"), ("%",), ("per", "percent", "percentage", "point", "points")),
    PERIOD: _after_number(("-",), ("-",), (*_PERIOD_UNITS, *SCALES)),
    MEASURE: lambda length, after, then, word: (
        after.isalpha()
        or after in ("-", "°", ",", ".")
        or (after.isspace() and (then == "°" or word in _UNIT_FIRST_RUNS))
    ),
    DATE_DMY: lambda length, after, then, word: (
        length <= 2 and (after in _DAY_OR_ORDINAL_SUFFIX or after.isspace())
    ),
    DATE_ISO: lambda length, after, then, word: length == 4 and after == "-",
    SEASON: lambda length, after, then, word: length == 4 and after in ("-", "/", "–"),
    YEAR: lambda length, after, then, word: length == 4,
    CLOCK: lambda length, after, then, word: length <= 2 and after == ":",
    DURATION: lambda length, after, then, word: after in ("h", "m") or then in ("h", "m"),
    ORDINAL: lambda length, after, then, word: after in _DAY_OR_ORDINAL_SUFFIX,
    SCORE: lambda length, after, then, word: length <= 3 and after == "-",
    FOLD: lambda length, after, then, word: after in ("f", "-"),
    CARDINAL: lambda length, after, then, word: True,
}
"""Which runs of digits each pattern that begins at digits can begin at, by the run's
length (5 stands for 5 or more), the lower-cased character after it, and after a space
the character after that (``then``) and the run of word characters it begins (``word``,
lower-cased). Each condition follows from the pattern: "2025-26" may begin a season,
"2025" alone may not; "5 pounds" may begin a sum of money, "5 people" may not."""

assert {p for p, kinds in _BEGINS.items() if "digits" in kinds} == set(_AFTER_DIGITS)
_NUMBER_LED = tuple(p for p, kinds in _BEGINS.items() if "number word" in kinds)
"""The patterns that begin with a number, in digits or in words (NUMBER), after no word
character, comma or dot; each reads the whole number before what follows it."""
assert set(_NUMBER_LED) <= set(_AFTER_DIGITS)
_NOT_AFTER_A_NUMBER = r"(?<![\w.,])"
assert all(
    p.pattern.startswith((rf"{_NOT_AFTER_A_NUMBER}(?P<num>{NUMBER})",
                          rf"{_NOT_AFTER_A_NUMBER}(?:(?P<num>{NUMBER})|"))
    for p in _NUMBER_LED
)  # fmt: skip
_NUMBER_KINDS = {id(p): f"number {i}" for i, p in enumerate(_NUMBER_LED)}
"""Each number-led pattern's own kind of place: the numbers that can begin it."""
_DIGIT_KINDS = {id(p): f"digits {i}" for i, p in enumerate(_AFTER_DIGITS) if p not in _NUMBER_LED}
"""Each other pattern that begins at digits: its own kind of place, the digits that can
begin it."""
_NUMBER_DIGITS = re.compile(DIGITS)
"""The digits of a number as NUMBER reads them (it reads them atomically: this match)."""

_BEGINS_BY_ID = {
    id(pattern): tuple(
        dict.fromkeys(
            _NUMBER_KINDS[id(pattern)]
            if k in _NUMBER_STARTS and pattern in _NUMBER_LED
            else _DIGIT_KINDS[id(pattern)]
            if k == "digits"
            else k
            for k in kinds
        )
    )
    for pattern, kinds in _BEGINS.items()
}
"""_BEGINS by the pattern's id, with a number or digits narrowed to the pattern's own.
(A pattern's id, because hashing a compiled pattern hashes its whole program:
microseconds for the longer ones, far more than a lookup should cost.)"""

_NUMBER_WORD_GOES_ON = frozenset((*UNITS, *TENS, *SCALES, "and"))
"""What can come after a number word, past a space or a hyphen, in the same number:
"twenty-five", "two million", "three and a half"."""


@memo(4096)
def _digit_kinds(
    length: int, after: str, then: str, word: str, barred: bool
) -> tuple[tuple[str, ...], bool]:
    """The kinds of place that digits with this length and what follows them are, and
    whether the number they begin goes on past a comma or a dot (then where it ends
    decides its kinds: ``_number_kinds_at``). ``barred``: a word character, a comma
    or a dot comes before them, so no number-led pattern begins there."""
    kinds = tuple(
        _DIGIT_KINDS[id(p)]
        for p, can in _AFTER_DIGITS.items()
        if p not in _NUMBER_LED and can(length, after, then, word)
    )
    if barred:
        return kinds, False
    if after in _NUMBER_GOES_ON:
        return kinds, True
    return kinds + _number_kinds(after, then, word, False), False


def _word_after(text: str, end: int) -> str:
    """The run of word characters that starts one character after ``end``, lower-cased."""
    return _WORD_RUN.match(text, end + 1).group().lower()  # type: ignore[union-attr]


def _number_kinds_at(text: str, end: int, in_words: bool) -> tuple[str, ...]:
    """The kinds of place that a number ending at ``end`` begins (in digits, or
    ``in_words``)."""
    after = text[end : end + 1].lower()
    if after.isspace():
        then = text[end + 1 : end + 2].lower()
        return _number_kinds(after, then, _word_after(text, end), in_words)
    if after == "-" and in_words:
        return _number_kinds(after, "", _word_after(text, end), True)
    return _number_kinds(after, "", "", in_words)


@memo(4096)
def _number_kinds(after: str, then: str, word: str, in_words: bool) -> tuple[str, ...]:
    """The number-led patterns that a whole number can begin, by the character after it,
    after a space the character after that (``then``), and after a space (or, for a
    number in words, a hyphen) the run of word characters there (``word``, lower-cased).

    Each pattern asks of what follows the number what it asks of what follows digits
    (these patterns' conditions do not look at the length): "5 per cent" may begin a
    percentage, "5 people" may not. A comma or a dot after a whole number leads nowhere.
    A number in words may go on ("twenty-five", "two million"): then it may begin any
    of them.
    """
    if in_words and word in _NUMBER_WORD_GOES_ON:
        return tuple(_NUMBER_KINDS.values())
    if after in _NUMBER_GOES_ON:
        after = ""
    return tuple(
        _NUMBER_KINDS[id(p)] for p in _NUMBER_LED if _AFTER_DIGITS[p](0, after, then, word)
    )


class Scan:
    """One text's matches of any pattern above, looked for only where it can begin, and
    only those that begin outside the quantities already ``taken``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.taken = bytearray(len(text))
        """1 for each character of a quantity already chosen (by a matcher of higher
        priority): a match that begins there overlaps it, and cannot be chosen."""
        self._places = places(text)
        self._starts: dict[tuple[str, ...], list[int]] = {}

    def __call__(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """The matches of ``pattern.finditer(text)`` that begin outside ``taken``."""
        if self._places is None:
            taken = self.taken
            return (m for m in pattern.finditer(self.text) if not taken[m.start()])
        kinds = _BEGINS_BY_ID[id(pattern)]
        starts = self._starts.get(kinds)
        if starts is None:
            # One kind's places are listed in no set order; a place listed twice costs
            # at most a second failed try (after a match, the next try begins past it).
            places = self._places
            starts = sorted(
                places.get(kinds[0], ())
                if len(kinds) == 1
                else [p for kind in kinds for p in places.get(kind, ())]
            )
            self._starts[kinds] = starts
        return self._matches(pattern, starts)

    def _matches(self, pattern: re.Pattern[str], starts: list[int]) -> Iterator[re.Match[str]]:
        text, match, taken = self.text, pattern.match, self.taken
        found: list[re.Match[str]] = []
        end = 0
        for start in starts:
            # A match that begins in a taken quantity is still made: where it ends decides
            # where the next one may begin, as in finditer.
            if start >= end and (m := match(text, start)):  # none matches the empty string
                end = m.end()
                if not taken[start]:
                    found.append(m)
        return iter(found)


_PLACE_KINDS = (*_DIGIT_KINDS.values(), *_NUMBER_KINDS.values())
"""The kinds of place every text's places list, found there or not."""


def _add_numbers(places: dict[str, list[int]], text: str, starts: list[int]) -> None:
    """Each number that begins at ``starts`` and goes on past a comma or a dot, at the
    kinds of place that where it ends makes it."""
    for start in starts:
        end = _NUMBER_DIGITS.match(text, start).end()  # type: ignore[union-attr]
        for kind in _number_kinds_at(text, end, False):
            places[kind].append(start)


def places(text: str) -> dict[str, list[int]] | None:
    """Where each kind of match can begin; None if this text needs a full scan.

    Digits are read by what decides which patterns can begin at them (their length,
    what follows them, and whether what comes before bars a number), so that runs of
    digits alike in that are judged once.
    """
    lowered = text.lower()
    if len(lowered) != len(text) or (not text.isascii() and _FOLDS_TO_ASCII.search(text)):
        return None  # case folding would not keep each letter in place
    places: dict[str, list[int]] = {kind: [] for kind in _PLACE_KINDS}
    currency: list[int] = []
    # runs of digits, by what decides
    alike: dict[tuple[int, str, str, str, bool], list[int]] = {}
    for run in _DIGIT_RUN.finditer(lowered):
        start, end = run.span()
        after = lowered[end : end + 1]
        then, word = (
            (lowered[end + 1 : end + 2], _word_after(text, end)) if after.isspace() else ("", "")
        )
        barred = _bars_number(lowered[start - 1] if start else "")
        alike.setdefault((min(end - start, 5), after, then, word, barred), []).append(start)
        # A currency prefix ends just before the number, or one space before it, with no
        # letter before it (there the pattern's lookbehind fails).
        for end in (start, start - 1):
            if lowered.endswith(_PREFIXES, 0, end):
                currency += [
                    end - len(p)
                    for p in _PREFIXES
                    if lowered.endswith(p, 0, end)
                    and not _is_letter(lowered[max(0, end - len(p) - 1) : end - len(p)])
                ]
            if not (end and lowered[end - 1].isspace()):
                break
    for key, starts in alike.items():
        kinds, goes_on = _digit_kinds(*key)
        for kind in kinds:
            places[kind] += starts
        if goes_on:
            _add_numbers(places, lowered, starts)
    places["currency"] = currency
    articles = [
        s
        for m in _ARTICLE.finditer(lowered)
        if not ((s := m.start()) and _is_letter(lowered[s - 1]))
    ]
    if articles:
        places["article"] = articles
    for found in _KEY_WORD.finditer(lowered):
        for kind in _KINDS_OF_WORD[found.group()]:
            if kind == "number word":
                for narrowed in _number_kinds_at(lowered, found.end(), True):
                    places[narrowed].append(found.start())
            else:
                places.setdefault(kind, []).append(found.start())
    return places
