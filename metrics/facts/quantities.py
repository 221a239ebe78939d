"""Finding quantities in English news text and normalising them to comparable values.

Every quantity becomes ``(kind, value, unit)``: "£1.6 billion", "£ 1.6bn" and
"1.6 billion pounds" all become ``("MONEY", "1600000000", "GBP")``; "5%" and
"five per cent" become ``("PERCENT", "5", "%")``; "14 March 2025" becomes
``("DATE", "2025-03-14", "")``. Values are exact decimals written as strings,
so equality never depends on floating point.

Dates are parsed before bare numbers (so "14 March 2025" is one date, not a
count and a year), money before everything, and overlapping matches are
resolved by that priority, then by length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from metrics.facts.fast import PLANE, alternation, code_points, runs_of

PARSER_VERSION = "1"

KINDS = ("MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "DATE", "TIME")


class Quantity(NamedTuple):
    """A quantity found in a text: its kind, normalised value and unit, and where it is."""

    kind: str
    value: str
    unit: str
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        """What two mentions must share to state the same fact: ``kind|value|unit``, the
        key of the clean article's fact."""
        return f"{self.kind}|{self.value}|{self.unit}"

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.kind} {self.value}{unit}"


# -- numbers -----------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": Decimal(100),
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}
_MAGNITUDE = {
    "k": Decimal(10) ** 3, "thousand": Decimal(10) ** 3,
    "m": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "mln": Decimal(10) ** 6,
    "million": Decimal(10) ** 6,
    "bn": Decimal(10) ** 9, "b": Decimal(10) ** 9, "billion": Decimal(10) ** 9,
    "tn": Decimal(10) ** 12, "trillion": Decimal(10) ** 12,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    "fortieth": 40, "fiftieth": 50, "hundredth": 100,
}  # fmt: skip
_MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT_WORD = alternation([*_UNITS, *_TENS])
_WORDS = (
    rf"(?:(?:{_UNIT_WORD})(?:[- ](?:{_UNIT_WORD}))?)"
    r"(?:\s(?:hundred|thousand|million|billion|trillion)(?:\sand\s(?:" + _UNIT_WORD + r"))?)*"
)
_NUMBER = rf"(?:(?>{_DIGITS})|\b{_WORDS}\b)"
_MAG = rf"(?:{alternation(_MAGNITUDE)})\b"


_IGNORECASE_TWINS = str.maketrans({"ſ": "s", "ı": "i", "İ": "i", "\u212a": "k"})
"""Non-ASCII letters that a case-insensitive pattern matches to ASCII ones ("centſ" is
"cents" to the regex), folded so that the matched word finds its table entry."""


def _folded(word: str) -> str:
    """A matched word as the key of the lookup tables."""
    return word.translate(_IGNORECASE_TWINS).lower()


def _words_to_decimal(text: str) -> Decimal:
    """'twenty-five' -> 25, 'twelve thousand' -> 12000, 'one hundred and five' -> 105."""
    total = Decimal(0)
    current = Decimal(0)
    for word in re.split(r"[\s-]+", _folded(text)):
        if word in ("", "and", "a"):
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or Decimal(1)) * 100
        elif word in _SCALES:
            total += (current or Decimal(1)) * _SCALES[word]
            current = Decimal(0)
        else:
            raise ValueError(word)
    return total + current


def parse_number(text: str) -> Decimal:
    """'1,600' -> 1600, '1.6' -> 1.6, 'five' -> 5."""
    cleaned = text.replace(",", "").strip()
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return _words_to_decimal(cleaned)


@lru_cache(maxsize=4096)  # the same amounts come back in every paraphrase of an article
def _amount(number: str, magnitude: str = "", hundredths: bool = False) -> str | None:
    """The decimal text of a number ("1.6", "five") times its magnitude ("bn"), in
    hundredths for pence and cents; None if the number cannot be read."""
    try:
        value = parse_number(number)
    except ValueError:
        return None
    if magnitude:
        value *= _MAGNITUDE[_folded(magnitude)]
    if hundredths:
        value /= 100
    return decimal_text(value)


def decimal_text(value: Decimal) -> str:
    """A canonical decimal string: no exponent, no trailing zeros."""
    normal = value.normalize()
    text = format(normal, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


# -- currencies and units --------------------------------------------------------

_CURRENCY_PREFIX = {
    "us$": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD", "nz$": "NZD",
    "hk$": "HKD", "£": "GBP", "$": "USD", "€": "EUR", "¥": "JPY", "₹": "INR",
    "gbp": "GBP", "usd": "USD", "eur": "EUR", "chf": "CHF", "aud": "AUD", "cad": "CAD",
    "jpy": "JPY", "nzd": "NZD", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "pln": "PLN",
    "inr": "INR", "cny": "CNY",
}  # fmt: skip
_CURRENCY_WORD = {
    "pounds sterling": "GBP", "pounds": "GBP", "pound": "GBP", "sterling": "GBP",
    "euros": "EUR", "euro": "EUR", "us dollars": "USD", "dollars": "USD", "dollar": "USD",
    "swiss francs": "CHF", "francs": "CHF", "franc": "CHF", "yen": "JPY",
    "australian dollars": "AUD", "canadian dollars": "CAD", "rupees": "INR",
    "pence": "GBX", "p": "GBX", "cents": "USX",
}  # fmt: skip
_UNIT_CANON = {
    "km": "km", "kilometres": "km", "kilometre": "km", "kilometers": "km", "kilometer": "km",
    "m": "m", "metres": "m", "metre": "m", "meters": "m", "meter": "m",
    "cm": "cm", "centimetres": "cm", "centimetre": "cm",
    "mm": "mm", "millimetres": "mm", "millimetre": "mm", "millimeters": "mm",
    "miles": "mi", "mile": "mi", "mph": "mph", "km/h": "km/h", "kph": "km/h",
    "kg": "kg", "kilograms": "kg", "kilogram": "kg", "kilos": "kg",
    "tonnes": "t", "tonne": "t", "tons": "t", "ton": "t",
    "g": "g", "grams": "g", "gram": "g", "lb": "lb", "lbs": "lb", "pounds weight": "lb",
    "acres": "acre", "acre": "acre", "acre-feet": "acre-ft", "acre-foot": "acre-ft",
    "hectares": "ha", "hectare": "ha", "ha": "ha",
    "litres": "l", "litre": "l", "liters": "l", "liter": "l",
    "square kilometres": "km2", "sq km": "km2", "square miles": "mi2",
    "gw": "GW", "gigawatts": "GW", "gigawatt": "GW", "mw": "MW", "megawatts": "MW",
    "megawatt": "MW", "kw": "kW", "kilowatts": "kW", "gwh": "GWh", "mwh": "MWh", "kwh": "kWh",
    "c": "degC", "°c": "degC", "degrees celsius": "degC", "degrees c": "degC",
    "degrees": "deg", "f": "degF", "°f": "degF", "degrees fahrenheit": "degF",
    "feet": "ft", "foot": "ft", "ft": "ft", "inches": "in",
    "barrels": "bbl", "teu": "TEU",
}  # fmt: skip


_PREFIX = alternation(_CURRENCY_PREFIX)
_CURWORD = alternation(_CURRENCY_WORD)
_UNIT = alternation(_UNIT_CANON)
_MONTH = alternation(list(_MONTHS))
_ORDINAL_WORD = alternation(list(_ORDINALS))

_FLAGS = re.IGNORECASE


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _FLAGS)


_MONEY_PREFIXED = _compile(
    rf"(?<![\w$£€])(?P<cur>{_PREFIX})\s?(?P<num>{_DIGITS})(?:\s?(?P<mag>{_MAG}))?"
)
_MONEY_SUFFIXED = _compile(
    rf"(?<![\w.,])(?P<num>{_NUMBER})(?:\s?(?P<mag>{_MAG}))?\s(?P<word>{_CURWORD})\b"
)
_PERCENT = _compile(
    rf"(?<![\w.,])(?P<num>{_NUMBER})\s?(?:(?P<pct>%|per\s?cent\b|percent\b)"
    rf"|(?P<pp>percentage\s+points?\b|points?\b(?=\s+(?:of|above|below|higher|lower)\b)))"
)
_DATE_DMY = _compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\.?"
    rf"(?:,?\s+(?P<year>(?:1[89]|20)\d{{2}}))?\b"
)
_DATE_MDY = _compile(
    rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:,?\s+(?P<year>(?:1[89]|20)\d{{2}}))?\b"
)
_DATE_MY = _compile(rf"\b(?P<month>{_MONTH})\s+(?P<year>(?:1[89]|20)\d{{2}})\b")
_DATE_ISO = _compile(r"\b(?P<year>(?:1[89]|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_SEASON = _compile(r"\b(?P<year>(?:19|20)\d{2})[-/–](?P<to>\d{2})\b(?![-/–]\d)")
_YEAR = _compile(r"(?<![\w$£€.,])(?P<year>(?:1[89]|20)\d{2})s?\b(?![.,]\d|\s?%)")
_PERIOD = _compile(
    rf"(?<![\w.,])(?P<num>{_NUMBER})(?:\s?-\s?|\s)"
    r"(?P<unit>years?|months?|weeks?|days?|decades?|centur(?:y|ies))\b(?:-old)?"
)
_RELATIVE = _compile(
    r"\b(?P<rel>last|next|this|previous|coming|past)\s+(?P<unit>year|month|week|decade|quarter"
    r"|season|summer|winter|spring|autumn|weekend)\b|\b(?P<day>yesterday|today|tomorrow)\b"
)
_WEEKDAY = _compile(rf"\b(?P<day>{alternation(_WEEKDAYS)})s?\b")
_CLOCK = _compile(r"\b(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\b")
_DURATION = _compile(
    r"\b(?:(?P<h>\d+)\s?(?:hours?|hrs?|h)\b[\s,]*(?:(?P<m>\d+)\s?(?:minutes?|mins?)\b)?"
    r"|(?P<m_only>\d+)\s?(?:minutes?|mins?)\b)"
    r"(?:[\s,]*(?:and\s)?(?P<s>\d+(?:\.\d+)?)\s?(?:seconds?|secs?|s)\b)?"
)
_MEASURE = _compile(rf"(?<![\w.,])(?P<num>{_NUMBER})(?:\s?|-)(?P<unit>{_UNIT})(?![\w])")
_ORDINAL = _compile(rf"\b(?:(?P<digits>\d+)(?:st|nd|rd|th)|(?P<word>{_ORDINAL_WORD}))\b")
_SCORE = _compile(r"(?<![\w.,-])(?P<a>\d{1,3})-(?P<b>\d{1,3})(?![\w.,-])")
_CARDINAL = _compile(
    rf"(?<![\w.,])(?:(?P<num>{_NUMBER})|(?P<a>an?))"
    rf"(?:\s(?P<mag>thousand|million|billion|trillion)\b|(?P<short>bn|m)\b)?(?![\w]|[.,]\d)"
)
_MONTH_HINT = _compile(rf"\b(?:{_MONTH})\b")
_MONTH_ALONE = _compile(
    r"\b(?P<month>January|February|March|April|June|July|August|September|October|November"
    r"|December)\b"
)


# -- where a match can begin -------------------------------------------------------
#
# Running every pattern over the whole text, character by character, was most of the
# parser's time, yet each pattern can only begin at a few kinds of places: the first
# digit of a number, a number word, a month, a currency sign just before a number. One
# cheap pass lists those places and each pattern is tried there alone, with
# ``pattern.match(text, place)``, which still sees the whole text (lookbehinds, \b).
# Because a pattern's places include every place it can match at, the matches are
# exactly ``pattern.finditer(text)``'s.

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

_PREFIXES = tuple(_CURRENCY_PREFIX)
_SIGNS = frozenset(p for p in _PREFIXES if not _is_letter(p[-1]))
"""The prefixes that end with a sign ("$", "us$", "£"), looked for from the number."""
_CODES = frozenset(p for p in _PREFIXES if p not in _SIGNS)
"""The others, each three letters ("gbp"), looked for as whole runs of letters."""
assert {len(p) for p in _SIGNS} == {1, 2, 3} and {len(p) for p in _CODES} == {3}
assert all(_is_letter(c) for p in _CODES for c in p)

# The words a pattern can begin with, as whole runs of letters (in a match, each is
# followed by a non-letter). An article begins a match only before a magnitude ("a
# million", "an m"), but _CARDINAL also matches a bare "a" before discarding it, so the
# article's places are those before a magnitude: the discarded matches cover no place.
_WORDS_BY_KIND = {
    "number word": (*_UNITS, *_TENS),
    "month": tuple(_MONTHS),
    "weekday": (*_WEEKDAYS, *(f"{day}s" for day in _WEEKDAYS)),
    "relative": ("last", "next", "this", "previous", "coming", "past", "yesterday", "today",
                 "tomorrow"),
    "ordinal word": tuple(_ORDINALS),
}  # fmt: skip
_KINDS_OF_WORD: dict[str, tuple[str, ...]] = {}
for _kind, _words in _WORDS_BY_KIND.items():
    for _word in _words:
        _KINDS_OF_WORD[_word] = (*_KINDS_OF_WORD.get(_word, ()), _kind)

# The plain way (_places_plain) finds the places with three passes of the regex engine,
# each fast because each can skip ahead (one pattern that does all three is slower than
# the three together); _places finds the same runs with numpy.
_DIGIT_RUN = re.compile(r"\d+")
_ARTICLE = re.compile(r"an?(?:bn|m|\s(?:thousand|million|billion|trillion))(?![a-z])")
"""An article before a magnitude, where the article starts a run of letters (checked
after: a lookbehind first would stop the engine skipping ahead to each "a"), and the
magnitude's run ends with it ("abn" or "a million", not "amendment" or "a millionaire":
there _CARDINAL matches only a bare "a", which it drops)."""
_KEY_WORD = re.compile(rf"(?<![a-z])(?:{alternation(_KINDS_OF_WORD)})(?![a-z])")
"""A whole run of letters that is a word of _WORDS_BY_KIND."""

_NUMBER_STARTS = ("digits", "number word")
_BEGINS: dict[re.Pattern[str], tuple[str, ...]] = {
    _MONEY_PREFIXED: ("currency",),
    _MONEY_SUFFIXED: _NUMBER_STARTS,
    _PERCENT: _NUMBER_STARTS,
    _DATE_DMY: ("digits",),
    _DATE_MDY: ("month",),
    _DATE_MY: ("month",),
    _DATE_ISO: ("digits",),
    _SEASON: ("digits",),
    _YEAR: ("digits",),
    _PERIOD: _NUMBER_STARTS,
    _RELATIVE: ("relative",),
    _WEEKDAY: ("weekday",),
    _CLOCK: ("digits",),
    _DURATION: ("digits",),
    _MEASURE: _NUMBER_STARTS,
    _ORDINAL: ("digits", "ordinal word"),
    _SCORE: ("digits",),
    _CARDINAL: (*_NUMBER_STARTS, "article"),
    _MONTH_HINT: ("month",),
    _MONTH_ALONE: ("month",),
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


_UNIT_FIRST_RUNS = _first_runs(_UNIT_CANON)
"""The first word of each unit ("square" of "square miles"); the only unit that does not
begin with a word character begins with "°"."""
assert {u[0] for u in _UNIT_CANON if not _WORD_RUN.match(u).group()} == {"°"}  # type: ignore[union-attr]

_DAY_OR_ORDINAL_SUFFIX = ("s", "n", "r", "t")  # 14th, 1st, 2nd, 3rd
_PERIOD_UNITS = ("year", "years", "month", "months", "week", "weeks", "day", "days", "decade",
                 "decades", "century", "centuries")  # fmt: skip

_AFTER_DIGITS: dict[re.Pattern[str], Callable[[int, str, str, str], bool]] = {
    # A magnitude ("bn", " million"), or a space and a currency word.
    _MONEY_SUFFIXED: _after_number(("t", "m", "b", "k"), (), [*_MAGNITUDE, *_CURRENCY_WORD]),
    _PERCENT: _after_number(
        ("%", "p"), ("%",), ("per", "percent", "percentage", "point", "points")
    ),
    _PERIOD: _after_number(("-",), ("-",), _PERIOD_UNITS),
    _MEASURE: lambda length, after, then, word: (
        after.isalpha()
        or after in ("-", "°", ",", ".")
        or (after.isspace() and (then == "°" or word in _UNIT_FIRST_RUNS))
    ),
    _DATE_DMY: lambda length, after, then, word: (
        length <= 2 and (after in _DAY_OR_ORDINAL_SUFFIX or after.isspace())
    ),
    _DATE_ISO: lambda length, after, then, word: length == 4 and after == "-",
    _SEASON: lambda length, after, then, word: length == 4 and after in ("-", "/", "–"),
    _YEAR: lambda length, after, then, word: length == 4,
    _CLOCK: lambda length, after, then, word: length <= 2 and after == ":",
    _DURATION: lambda length, after, then, word: after in ("h", "m") or then in ("h", "m"),
    _ORDINAL: lambda length, after, then, word: after in _DAY_OR_ORDINAL_SUFFIX,
    _SCORE: lambda length, after, then, word: length <= 3 and after == "-",
    _CARDINAL: lambda length, after, then, word: True,
}
"""Which runs of digits each pattern that begins at digits can begin at, by the run's
length (5 stands for 5 or more), the lower-cased character after it, and after a space
the character after that (``then``) and the run of word characters it begins (``word``,
lower-cased). Each condition follows from the pattern: "2025-26" may begin a season,
"2025" alone may not; "5 pounds" may begin a sum of money, "5 people" may not."""

assert {p for p, kinds in _BEGINS.items() if "digits" in kinds} == set(_AFTER_DIGITS)
_NUMBER_LED = tuple(p for p, kinds in _BEGINS.items() if "number word" in kinds)
"""The patterns that begin with a number, in digits or in words (_NUMBER), after no word
character, comma or dot; each reads the whole number before what follows it."""
assert set(_NUMBER_LED) <= set(_AFTER_DIGITS)
_NOT_AFTER_A_NUMBER = r"(?<![\w.,])"
assert all(
    p.pattern.startswith((rf"{_NOT_AFTER_A_NUMBER}(?P<num>{_NUMBER})",
                          rf"{_NOT_AFTER_A_NUMBER}(?:(?P<num>{_NUMBER})|"))
    for p in _NUMBER_LED
)  # fmt: skip
_NUMBER_KINDS = {id(p): f"number {i}" for i, p in enumerate(_NUMBER_LED)}
"""Each number-led pattern's own kind of place: the numbers that can begin it."""
_DIGIT_KINDS = {id(p): f"digits {i}" for i, p in enumerate(_AFTER_DIGITS) if p not in _NUMBER_LED}
"""Each other pattern that begins at digits: its own kind of place, the digits that can
begin it."""
_NUMBER_DIGITS = re.compile(_DIGITS)
"""The digits of a number as _NUMBER reads them (it reads them atomically: this match)."""

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

_NUMBER_WORD_GOES_ON = frozenset((*_UNITS, *_TENS, *_SCALES))
"""What can come after a number word, past a space or a hyphen, in the same number:
"twenty-five", "two million"."""


@lru_cache(maxsize=4096)
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


@lru_cache(maxsize=4096)
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


class _Scan:
    """One text's matches of any pattern above, looked for only where it can begin, and
    only those that begin outside the quantities already ``taken``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.taken = bytearray(len(text))
        """1 for each character of a quantity already chosen (by a matcher of higher
        priority): a match that begins there overlaps it, and cannot be chosen."""
        self._places = _places(text)
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


def _places(text: str) -> dict[str, list[int]] | None:
    """``_places_plain``'s places (as sets), found with numpy from a table of character
    classes instead of by regex passes that test every character in Python's regex
    engine, and without lower-casing the text.

    The classes are those of each character's lower-case form, which is what the plain
    way reads. A text with a character beyond the Basic Multilingual Plane is read the
    plain way.
    """
    codes = code_points(text)
    if codes is None:
        return _places_plain(text)
    table = _char_classes()
    classes = table.take(codes)  # a third of indexing's time, for the same classes
    if (classes & _NEEDS_FULL_SCAN).any():
        return None
    places: dict[str, list[int]] = {kind: [] for kind in (*_PLACE_KINDS, "currency")}
    digit_starts, digit_ends = runs_of(classes & _DIGIT)
    if len(digit_starts):
        before = np.concatenate((_NO_CLASSES, classes))  # classes[i] is before[i + 3]
        one, two = before[digit_starts + 2], before[digit_starts + 1]  # 1 and 2 before
        # Runs of digits alike in what decides the patterns that can begin there: the
        # length (5 for more), the character after, after a space the next one, and
        # whether what comes before bars a number-led pattern.
        padded = np.append(codes, _PAD)
        after = padded[digit_ends]
        then = np.where(table[after] & _SPACE, padded[digit_ends + 1], _NOTHING)
        lengths = np.minimum(digit_ends - digit_starts, 5).astype(np.int64)
        barred = ((one & _BARS_NUMBER) != 0).astype(np.int64)
        keys = (barred << 40) | (lengths << 34) | (after.astype(np.int64) << 17) | then
        alike: dict[tuple[int, str], list[int]] = {}
        for key, start, end in zip(
            keys.tolist(), digit_starts.tolist(), digit_ends.tolist(), strict=True
        ):
            # After a space (a "then"), the word there decides too.
            word = _word_after(text, end) if key & 0x1FFFF != _NOTHING else ""
            alike.setdefault((key, word), []).append(start)
        for (key, word), starts in alike.items():
            kinds, goes_on = _digit_kinds_of(key, word)
            for kind in kinds:
                places[kind] += starts
            if goes_on:
                _add_numbers(places, text, starts)
        # A currency sign ends just before the number, or one space before it: only
        # where the character there can end one is it looked for.
        maybe = ((one & _ENDS_SIGN) != 0) | (((one & _SPACE) != 0) & ((two & _ENDS_SIGN) != 0))
        currency = places["currency"]
        for start in digit_starts[maybe].tolist():
            for end in (start, start - 1):
                window = text[max(0, end - 4) : end].lower()
                # The signs the window ends with (its last one, two or three characters),
                # each with no letter before it.
                currency += [
                    end - n
                    for n in range(1, min(len(window), 3) + 1)
                    if window[-n:] in _SIGNS and not _is_letter(window[-n - 1 : -n])
                ]
                if not (end and text[end - 1].lower().isspace()):
                    break
    # A key word, or an article before a magnitude, is where a run of letters a-z starts:
    # only runs of a key word's length, first and last letters are read, and only those
    # of an article's ("a", "an", "am", "abn", "anm", "anbn") are tried as one.
    letter_starts, letter_ends = runs_of(classes & _LETTER)
    if len(letter_starts):
        lengths = np.minimum(letter_ends - letter_starts, _LONGEST_SHAPE)
        firsts = classes[letter_starts] >> _LETTER_SHIFT
        lasts = classes[letter_ends - 1] >> _LETTER_SHIFT
        shapes = _shapes()[lengths, firsts, lasts]
        kinds_of = _KINDS_OF_WORD.get
        chosen = ((shapes & _KEY_WORD_SHAPE) != 0).nonzero()[0]
        for start, end in zip(
            letter_starts[chosen].tolist(), letter_ends[chosen].tolist(), strict=True
        ):
            for kind in kinds_of(text[start:end].lower(), ()):
                if kind == "number word":
                    for narrowed in _number_kinds_at(text, end, True):
                        places[narrowed].append(start)
                else:
                    places.setdefault(kind, []).append(start)
        # A currency code is a whole run of three letters ("gbp") just before a number, or
        # one space before it.
        following = np.append(classes, _NO_CLASSES)
        next_1, next_2 = following[letter_ends], following[letter_ends + 1]
        code_runs = ((shapes & _CODE_SHAPE) != 0) & (
            ((next_1 & _DIGIT) != 0) | (((next_1 & _SPACE) != 0) & ((next_2 & _DIGIT) != 0))
        )
        places["currency"] += [
            start
            for start, end in zip(
                letter_starts[code_runs].tolist(), letter_ends[code_runs].tolist(), strict=True
            )
            if text[start:end].lower() in _CODES
        ]
        # An article is a whole run ("abn"), or "a" or "an" before a magnitude.
        articles = [
            start
            for start in letter_starts[(shapes & _ARTICLE_SHAPE) != 0].tolist()
            if _ARTICLE_IN_ANY_CASE.match(text, start)
        ]
        if articles:
            places["article"] = articles
    return places


# The character classes: bits of a uint16, per code point of the plane, of its
# lower-case form. A letter a-z also carries its index (1-26) from _LETTER_SHIFT up.
_DIGIT, _SPACE, _ENDS_SIGN, _LETTER, _NEEDS_FULL_SCAN, _BARS_NUMBER = 1, 2, 4, 8, 16, 32
_LETTER_SHIFT = 6
_NOTHING = PLANE
"""The code past the end of the text: no character."""
_PAD = np.full(2, _NOTHING, dtype=np.uint32)
_NO_CLASSES = np.zeros(3, dtype=np.uint16)
_LONGEST_SHAPE = max(map(len, _KINDS_OF_WORD)) + 1
"""Runs of letters longer than every key word all count as this long."""
_ARTICLE_IN_ANY_CASE = re.compile(_ARTICLE.pattern, re.IGNORECASE)
"""_ARTICLE on the text itself: at a place, the same match as on the lower-cased text, for
a text with none of the characters _FOLDS_TO_ASCII lists (an IGNORECASE pattern matches
those to ASCII letters, which lower-casing does not)."""


@cache
def _char_classes() -> npt.NDArray[np.uint16]:
    """Each character's classes: \\d, white space, a character a currency prefix ends
    with, a letter a-z (with its index), and whether the text must be scanned in full
    (its lower-case form is not one character, or it is one of _FOLDS_TO_ASCII). A few
    tens of milliseconds, once per process."""
    table = np.zeros(_NOTHING + 1, dtype=np.uint16)  # _NOTHING: no class
    sign_ends = {p[-1] for p in _SIGNS}
    digit = re.compile(r"\d")
    for code in range(PLANE):
        char = chr(code)
        lower = char.lower()
        if len(lower) != 1 or _FOLDS_TO_ASCII.match(char):
            table[code] = _NEEDS_FULL_SCAN
            continue
        bits = 0
        if digit.match(lower):
            bits |= _DIGIT
        if lower.isspace():
            bits |= _SPACE
        if _bars_number(lower):
            bits |= _BARS_NUMBER
        if lower in sign_ends:
            bits |= _ENDS_SIGN
        if _is_letter(lower):
            bits |= _LETTER | _letter_index(lower) << _LETTER_SHIFT
        table[code] = bits
    return table


_KEY_WORD_SHAPE, _ARTICLE_SHAPE, _CODE_SHAPE = 1, 2, 4
_SHAPED = {
    _KEY_WORD_SHAPE: tuple(_KINDS_OF_WORD),
    _CODE_SHAPE: tuple(_CODES),
    _ARTICLE_SHAPE: ("a", "an", "am", "abn", "anm", "anbn"),  # the runs _ARTICLE starts
}


def _letter_index(char: str) -> int:
    return ord(char) - ord("a") + 1


@cache
def _shapes() -> npt.NDArray[np.uint8]:
    """Which of _SHAPED's words have this length, first letter and last letter (by
    index): a run of letters of no such shape is none of them."""
    shapes = np.zeros((_LONGEST_SHAPE + 1, 27, 27), dtype=np.uint8)
    for shape, words in _SHAPED.items():
        for word in words:
            shapes[len(word), _letter_index(word[0]), _letter_index(word[-1])] |= shape
    return shapes


@lru_cache(maxsize=4096)
def _digit_kinds_of(key: int, word: str) -> tuple[tuple[str, ...], bool]:
    """_digit_kinds for digits keyed as _places keys them: whether they are barred, the
    length, and the codes of the character after and (after a space) the one after
    that; and the word there."""
    after, then = key >> 17 & 0x1FFFF, key & 0x1FFFF
    return _digit_kinds(
        key >> 34 & 0x3F,
        "" if after == _NOTHING else chr(after).lower(),
        "" if then == _NOTHING else chr(then).lower(),
        word,
        bool(key >> 40),
    )


def _places_plain(text: str) -> dict[str, list[int]] | None:
    """Where each kind of match can begin; None if this text needs a full scan.

    ``_places`` finds the same places faster; this is what it is tested against, and
    what it falls back to for text beyond the Basic Multilingual Plane.
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


# -- matchers --------------------------------------------------------------------

Found = tuple[int, int, str, str, str]
"""start, end, kind, value, unit."""


def _money(scan: _Scan) -> Iterator[Found]:
    for m in scan(_MONEY_PREFIXED):
        value = _amount(m["num"], m["mag"] or "")
        if value is not None:  # always: a prefixed sum has digits
            yield m.start(), m.end(), "MONEY", value, _CURRENCY_PREFIX[_folded(m["cur"])]
    for m in scan(_MONEY_SUFFIXED):
        unit = _CURRENCY_WORD[_folded(m["word"])]
        hundredths = unit in ("GBX", "USX")  # pence and cents
        value = _amount(m["num"], m["mag"] or "", hundredths)
        if value is None:
            continue
        if hundredths:
            unit = {"GBX": "GBP", "USX": "USD"}[unit]
        yield m.start(), m.end(), "MONEY", value, unit


def _percent(scan: _Scan) -> Iterator[Found]:
    for m in scan(_PERCENT):
        value = _amount(m["num"])
        if value is not None:
            yield m.start(), m.end(), "PERCENT", value, "pp" if m["pp"] else "%"


def _iso(year: str | None, month: int, day: str | None) -> str:
    parts = [year or "", f"{month:02d}"]
    if day is not None:
        parts.append(f"{int(day):02d}")
    return "-".join(parts) if year else "--" + "-".join(parts[1:])


def _dates(scan: _Scan) -> Iterator[Found]:
    yield from _periods(scan)
    if next(scan(_MONTH_HINT), None):
        yield from _calendar_dates(scan)


def _calendar_dates(scan: _Scan) -> Iterator[Found]:
    for pattern in (_DATE_DMY, _DATE_MDY):
        for m in scan(pattern):
            day = int(m["day"])
            if not 1 <= day <= 31:
                continue
            month = _MONTHS[_folded(m["month"])]
            yield m.start(), m.end(), "DATE", _iso(m["year"], month, m["day"]), ""
    for m in scan(_DATE_MY):
        yield m.start(), m.end(), "DATE", _iso(m["year"], _MONTHS[_folded(m["month"])], None), ""
    for m in scan(_MONTH_ALONE):
        yield m.start(), m.end(), "DATE", f"--{_MONTHS[_folded(m['month'])]:02d}", ""


def _periods(scan: _Scan) -> Iterator[Found]:
    for m in scan(_DATE_ISO):
        if 1 <= int(m["month"]) <= 12 and 1 <= int(m["day"]) <= 31:
            yield m.start(), m.end(), "DATE", f"{m['year']}-{m['month']}-{m['day']}", ""
    for m in scan(_SEASON):
        start = int(m["year"])
        end = start // 100 * 100 + int(m["to"])
        if end == start + 1:
            yield m.start(), m.end(), "DATE", f"{start}/{end}", ""
    for m in scan(_YEAR):
        yield m.start(), m.end(), "DATE", m["year"] + ("s" if m.group(0).endswith("s") else ""), ""
    for m in scan(_PERIOD):
        value = _amount(m["num"])
        if value is None:
            continue
        unit = _folded(m["unit"]).rstrip("s")
        unit = "century" if unit.startswith("centur") else unit
        if m.group(0).endswith("-old") and unit == "year":
            # "the 29-year-old" states the same age as "Rewiti, 29": a count of years.
            yield m.start(), m.end(), "CARDINAL", value, ""
            continue
        yield m.start(), m.end(), "DATE", value, f"period:{unit}"
    for m in scan(_RELATIVE):
        phrase = _folded(m["day"] or f"{m['rel']} {m['unit']}")
        yield m.start(), m.end(), "DATE", phrase, "relative"
    for m in scan(_WEEKDAY):
        if scan.text[m.start()].isupper():
            yield m.start(), m.end(), "DATE", _folded(m["day"]), "weekday"


def _times(scan: _Scan) -> Iterator[Found]:
    for m in scan(_CLOCK):
        seconds = int(m["s"] or 0)
        if int(m["m"]) < 60 and seconds < 60:
            clock = int(m["h"]) * 3600 + int(m["m"]) * 60 + seconds
            yield m.start(), m.end(), "TIME", str(clock), "s"
    for m in scan(_DURATION):
        minutes = m["m"] or m["m_only"]
        if sum(1 for part in (m["h"], minutes, m["s"]) if part) < 2:
            continue  # a single "3 hours" is a period, not a race time
        total = Decimal(m["h"] or 0) * 3600 + Decimal(minutes or 0) * 60 + Decimal(m["s"] or 0)
        end = m.start() + len(m.group(0).rstrip(" ,"))
        yield m.start(), end, "TIME", decimal_text(total), "s"


def _measures(scan: _Scan) -> Iterator[Found]:
    for m in scan(_MEASURE):
        unit = _folded(m["unit"])
        if unit in ("c", "f", "m", "g") and not m["num"][0].isdigit():
            continue  # "five m" is not five metres
        if unit in ("c", "f") and scan.text[m.end("num")] == " ":
            continue  # "1.5C" is a temperature; "25 C" rarely
        value = _amount(m["num"])
        if value is not None:
            yield m.start(), m.end(), "QUANTITY", value, _UNIT_CANON[unit]


def _ordinals(scan: _Scan) -> Iterator[Found]:
    for m in scan(_ORDINAL):
        value = int(m["digits"]) if m["digits"] else _ORDINALS[_folded(m["word"])]
        yield m.start(), m.end(), "ORDINAL", str(value), ""


def _cardinals(scan: _Scan) -> Iterator[Found]:
    for m in scan(_SCORE):
        yield m.start(), m.end(), "CARDINAL", f"{m['a']}-{m['b']}", "score"
    for m in scan(_CARDINAL):
        num, article, mag, short = m.group("num", "a", "mag", "short")
        if not mag:
            if article:
                continue  # a bare "a" is an article
            if not num[0].isdigit() and _folded(num) == "one":
                continue  # "one of", "no one": too often not a count
        value = _amount(num or "1", mag or short or "")
        if value is not None:
            yield m.start(), m.end(), "CARDINAL", value, ""


# In priority order: an earlier matcher wins an overlap.
_MATCHERS: tuple[Callable[[_Scan], Iterator[Found]], ...] = (
    _money, _percent, _dates, _times, _measures, _ordinals, _cardinals,
)  # fmt: skip


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, non-overlapping, in reading order.

    Overlaps are resolved by priority (the matchers' order), then length (longest
    first), then place, then the order found: the candidates are taken in that order,
    each unless it overlaps one taken before. All of a matcher's candidates come before
    those of the next, so the matchers are run one after another and each one's choice
    is final before the next runs: a later matcher's match that begins inside a chosen
    quantity could never be chosen, and is not even read (``_Scan.taken``).
    """
    scan = _Scan(text)
    taken = scan.taken
    chosen: list[Found] = []
    for matcher in _MATCHERS:
        candidates = [
            (found[0] - found[1], found[0], order, found)
            for order, found in enumerate(matcher(scan))
            if found[1] > found[0]
        ]
        candidates.sort()
        for _, start, _, found in candidates:
            end = found[1]
            if taken.find(1, start, end) >= 0:
                continue
            taken[start:end] = b"\x01" * (end - start)
            chosen.append(found)
    chosen.sort()
    return [Quantity(kind, value, unit, s, e, text[s:e]) for s, e, kind, value, unit in chosen]
