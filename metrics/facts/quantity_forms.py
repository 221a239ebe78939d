"""What a quantity is: the number words, magnitudes, currencies and units of English news
text, how a number is read, and the patterns of every kind of quantity.

``quantities`` finds these patterns in a text (``quantity_places`` says where each can
begin) and resolves their overlaps; this module only says what each one matches and
how its parts read: "1.6bn" is 1600000000, "pounds" is GBP, "14th" is a day.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from metrics.facts.fast import alternation
from metrics.facts.memo import memo

# -- numbers -----------------------------------------------------------------

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {
    "hundred": Decimal(100),
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}
MAGNITUDE = {
    "k": Decimal(10) ** 3, "thousand": Decimal(10) ** 3,
    "m": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "mln": Decimal(10) ** 6,
    "million": Decimal(10) ** 6,
    "bn": Decimal(10) ** 9, "b": Decimal(10) ** 9, "billion": Decimal(10) ** 9,
    "tn": Decimal(10) ** 12, "trillion": Decimal(10) ** 12,
}  # fmt: skip
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    "fortieth": 40, "fiftieth": 50, "hundredth": 100,
}  # fmt: skip
MONTHS = {
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
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT_WORD = alternation([*UNITS, *TENS])
_WORDS = (
    rf"(?:(?:{_UNIT_WORD})(?:[- ](?:{_UNIT_WORD}))?)(?:\sand\sa\shalf)?"
    r"(?:\s(?:hundred|thousand|million|billion|trillion)(?:\sand\s(?:" + _UNIT_WORD + r"))?)*"
)
NUMBER = rf"(?:(?>{DIGITS})|\b{_WORDS}\b)"
_MAG = rf"(?:{alternation(MAGNITUDE)})\b"


_IGNORECASE_TWINS = str.maketrans({"ſ": "s", "ı": "i", "İ": "i", "\u212a": "k"})
"""Non-ASCII letters that a case-insensitive pattern matches to ASCII ones ("centſ" is
"cents" to the regex), folded so that the matched word finds its table entry."""


def folded(word: str) -> str:
    """A matched word as the key of the lookup tables."""
    return word.translate(_IGNORECASE_TWINS).lower()


def _words_to_decimal(text: str) -> Decimal:
    """'twenty-five' -> 25, 'twelve thousand' -> 12000, 'one hundred and five' -> 105,
    'two and a half million' -> 2500000."""
    total = Decimal(0)
    current = Decimal(0)
    for word in re.split(r"[\s-]+", folded(text)):
        if word in ("", "and", "a"):
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "half":
            current += Decimal("0.5")
        elif word == "hundred":
            current = (current or Decimal(1)) * 100
        elif word in SCALES:
            total += (current or Decimal(1)) * SCALES[word]
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


@memo(4096)  # the same amounts come back in every paraphrase of an article
def amount(number: str, magnitude: str = "", hundredths: bool = False) -> str | None:
    """The decimal text of a number ("1.6", "five") times its magnitude ("bn"), in
    hundredths for pence and cents; None if the number cannot be read."""
    try:
        value = parse_number(number)
    except ValueError:
        return None
    if magnitude:
        value *= MAGNITUDE[folded(magnitude)]
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

CURRENCY_PREFIX = {
    "us$": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD", "nz$": "NZD",
    "hk$": "HKD", "£": "GBP", "$": "USD", "€": "EUR", "¥": "CNY/JPY", "₹": "INR",
    "gbp": "GBP", "usd": "USD", "eur": "EUR", "chf": "CHF", "aud": "AUD", "cad": "CAD",
    "jpy": "JPY", "nzd": "NZD", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "pln": "PLN",
    "inr": "INR", "cny": "CNY",
}  # fmt: skip
CURRENCY_WORD = {
    "pounds sterling": "GBP", "pounds": "GBP", "pound": "GBP", "sterling": "GBP",
    "euros": "EUR", "euro": "EUR", "us dollars": "USD", "dollars": "USD", "dollar": "USD",
    "swiss francs": "CHF", "francs": "CHF", "franc": "CHF", "yen": "JPY",
    "australian dollars": "AUD", "canadian dollars": "CAD", "rupees": "INR",
    "pence": "GBX", "p": "GBX", "cents": "USX",
    "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "rupee": "INR",
}  # fmt: skip
CURRENCY_WORD.update({code: unit for code, unit in CURRENCY_PREFIX.items() if code.isalpha()})
"""A currency code also follows the amount: "5 billion USD" is "$5 billion"."""

UNIT_FAMILIES = {"CNY/JPY": frozenset({"CNY", "JPY"}), "deg": frozenset({"degC", "degF"})}
"""Units that leave open which of several they are: "¥300 million" may be yuan or yen, and
states the same sum as "300 million yuan" and as "300 million yen"; "44 degrees" may be
Celsius or Fahrenheit."""

LOOSE_KINDS = frozenset({"CARDINAL", "PERCENT", "QUANTITY", "MONEY"})
"""Kinds whose bare number states the same amount: "60 or 65 percent" gives the 60 no unit
of its own, "60% or 65%" does; a count of 120 and "120 degrees" agree."""


def units_agree(kind: str, unit: str, other_kind: str, other_unit: str) -> bool:
    """Whether two quantities of the same value state the same amount, one of them less
    precisely: a bare number (a count with no unit) and an amount of the kinds above, or
    a unit and one of its family ("deg" and "degC")."""
    if kind not in LOOSE_KINDS or other_kind not in LOOSE_KINDS:
        return False
    if (kind == "CARDINAL" and unit == "") or (other_kind == "CARDINAL" and other_unit == ""):
        return True
    return kind == other_kind and (
        unit == other_unit
        or unit in UNIT_FAMILIES.get(other_unit, ())
        or other_unit in UNIT_FAMILIES.get(unit, ())
    )


UNIT_CANON = {
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
    "barrels": "bbl", "teu": "TEU", "d": "dim", "dimensional": "dim",
}  # fmt: skip


_PREFIX = alternation(CURRENCY_PREFIX)
_CURWORD = alternation(CURRENCY_WORD)
_UNIT = alternation(UNIT_CANON)
_MONTH = alternation(list(MONTHS))
_ORDINAL_WORD = alternation(list(ORDINALS))

_FLAGS = re.IGNORECASE


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _FLAGS)


MONEY_PREFIXED = _compile(
    rf"(?<![\w$£€])(?P<cur>{_PREFIX})\s?(?P<num>{DIGITS})(?:\s?(?P<mag>{_MAG}))?"
)
MONEY_SUFFIXED = _compile(
    rf"(?<![\w.,])(?P<num>{NUMBER})(?:\s?(?P<mag>{_MAG}))?\s(?P<word>{_CURWORD})\b"
)
PERCENT = _compile(
    rf"(?<![\w.,])(?P<num>{NUMBER})\s?(?:(?P<pct>%|per\s?cent\b|percent\b)"
    rf"|(?P<pp>percentage\s+points?\b|points?\b(?=\s+(?:of|above|below|higher|lower)\b)))"
)
DATE_DMY = _compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\.?"
    rf"(?:,?\s+(?P<year>(?:1[89]|20)\d{{2}}))?\b"
)
DATE_MDY = _compile(
    rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:,?\s+(?P<year>(?:1[89]|20)\d{{2}}))?\b"
)
DATE_MY = _compile(rf"\b(?P<month>{_MONTH})(?:\s+of)?\s+(?P<year>(?:1[89]|20)\d{{2}})\b")
DATE_ISO = _compile(r"\b(?P<year>(?:1[89]|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
SEASON = _compile(r"\b(?P<year>(?:19|20)\d{2})[-/–](?P<to>\d{2})\b(?![-/–]\d)")
YEAR = _compile(r"(?<![\w$£€.,])(?P<year>(?:1[89]|20)\d{2})s?\b(?![.,]\d|\s?%)")
PERIOD = _compile(
    rf"(?<![\w.,])(?P<num>{NUMBER})(?:\s(?P<mag>thousand|million|billion|trillion))?"
    r"(?:\s?-\s?|\s)(?P<unit>years?|months?|weeks?|days?|decades?|centur(?:y|ies))\b(?:-old)?"
)
RELATIVE = _compile(
    r"\b(?P<rel>last|next|this|previous|preceding|prior|coming|past)\s+(?P<unit>year|month|week|decade|quarter"
    r"|season|summer|winter|spring|autumn|weekend)\b|\b(?P<day>yesterday|today|tomorrow)\b"
)
WEEKDAY = _compile(rf"\b(?P<day>{alternation(WEEKDAYS)})s?\b")
CLOCK = _compile(r"\b(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\b")
DURATION = _compile(
    r"\b(?:(?P<h>\d+)\s?(?:hours?|hrs?|h)\b[\s,]*(?:(?P<m>\d+)\s?(?:minutes?|mins?)\b)?"
    r"|(?P<m_only>\d+)\s?(?:minutes?|mins?)\b)"
    r"(?:[\s,]*(?:and\s)?(?P<s>\d+(?:\.\d+)?)\s?(?:seconds?|secs?|s)\b)?"
)
MEASURE = _compile(rf"(?<![\w.,])(?P<num>{NUMBER})(?:\s?|-)(?P<unit>{_UNIT})(?![\w])")
ORDINAL = _compile(rf"\b(?:(?P<digits>\d+)(?:st|nd|rd|th)|(?P<word>{_ORDINAL_WORD}))\b")
FOLD = _compile(rf"\b(?:(?P<digits>\d+)-?|(?P<word>{_UNIT_WORD}))fold\b")
"""A multiple in one word: "tenfold", "10-fold" (ten times)."""
SCORE = _compile(r"(?<![\w.,-])(?P<a>\d{1,3})-(?P<b>\d{1,3})(?![\w.,-])")
CARDINAL = _compile(
    rf"(?<![\w.,])(?:(?P<num>{NUMBER})|(?P<a>an?))"
    rf"(?:\s(?P<mag>thousand|million|billion|trillion)\b|(?P<short>bn|m)\b)?(?![\w]|[.,]\d)"
)
MONTH_HINT = _compile(rf"\b(?:{_MONTH})\b")
MONTH_ALONE = _compile(
    r"\b(?P<month>January|February|March|April|June|July|August|September|October|November"
    r"|December)\b"
)
