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
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import NamedTuple

from metrics.facts.capitals import FUNCTION_WORDS, MONTHS_DAYS, starts_sentence
from metrics.facts.quantity_forms import (
    CARDINAL,
    CLOCK,
    CURRENCY_PREFIX,
    CURRENCY_WORD,
    DATE_DMY,
    DATE_ISO,
    DATE_MDY,
    DATE_MY,
    DURATION,
    FOLD,
    MEASURE,
    MONEY_PREFIXED,
    MONEY_SUFFIXED,
    MONTH_ALONE,
    MONTH_HINT,
    MONTHS,
    ORDINAL,
    ORDINALS,
    PERCENT,
    PERIOD,
    RELATIVE,
    SCORE,
    SEASON,
    UNIT_CANON,
    WEEKDAY,
    YEAR,
    amount,
    decimal_text,
    folded,
    parse_number,
)
from metrics.facts.quantity_places import Scan

PARSER_VERSION = "2"

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


__all__ = ["KINDS", "PARSER_VERSION", "Quantity", "find_quantities", "parse_number"]


# -- matchers --------------------------------------------------------------------

Found = tuple[int, int, str, str, str]
"""start, end, kind, value, unit."""


def _money(scan: Scan) -> Iterator[Found]:
    for m in scan(MONEY_PREFIXED):
        value = amount(m["num"], m["mag"] or "")
        if value is not None:  # always: a prefixed sum has digits
            yield m.start(), m.end(), "MONEY", value, CURRENCY_PREFIX[folded(m["cur"])]
    for m in scan(MONEY_SUFFIXED):
        unit = CURRENCY_WORD[folded(m["word"])]
        hundredths = unit in ("GBX", "USX")  # pence and cents
        value = amount(m["num"], m["mag"] or "", hundredths)
        if value is None:
            continue
        if hundredths:
            unit = {"GBX": "GBP", "USX": "USD"}[unit]
        yield m.start(), m.end(), "MONEY", value, unit


def _percent(scan: Scan) -> Iterator[Found]:
    for m in scan(PERCENT):
        value = amount(m["num"])
        if value is not None:
            yield m.start(), m.end(), "PERCENT", value, "pp" if m["pp"] else "%"


def _iso(year: str | None, month: int, day: str | None) -> str:
    parts = [year or "", f"{month:02d}"]
    if day is not None:
        parts.append(f"{int(day):02d}")
    return "-".join(parts) if year else "--" + "-".join(parts[1:])


def _dates(scan: Scan) -> Iterator[Found]:
    yield from _periods(scan)
    if next(scan(MONTH_HINT), None):
        yield from _calendar_dates(scan)


def _calendar_dates(scan: Scan) -> Iterator[Found]:
    for pattern in (DATE_DMY, DATE_MDY):
        for m in scan(pattern):
            day = int(m["day"])
            if not 1 <= day <= 31:
                continue
            month = MONTHS[folded(m["month"])]
            yield m.start(), m.end(), "DATE", _iso(m["year"], month, m["day"]), ""
    for m in scan(DATE_MY):
        yield m.start(), m.end(), "DATE", _iso(m["year"], MONTHS[folded(m["month"])], None), ""
    for m in scan(MONTH_ALONE):
        yield m.start(), m.end(), "DATE", f"--{MONTHS[folded(m['month'])]:02d}", ""


def _periods(scan: Scan) -> Iterator[Found]:
    for m in scan(DATE_ISO):
        if 1 <= int(m["month"]) <= 12 and 1 <= int(m["day"]) <= 31:
            yield m.start(), m.end(), "DATE", f"{m['year']}-{m['month']}-{m['day']}", ""
    for m in scan(SEASON):
        start = int(m["year"])
        end = start // 100 * 100 + int(m["to"])
        if end == start + 1:
            yield m.start(), m.end(), "DATE", f"{start}/{end}", ""
    for m in scan(YEAR):
        yield m.start(), m.end(), "DATE", m["year"] + ("s" if m.group(0).endswith("s") else ""), ""
    for m in scan(PERIOD):
        value = amount(m["num"], m["mag"] or "")
        if value is None:
            continue
        unit = folded(m["unit"]).rstrip("s")
        unit = "century" if unit.startswith("centur") else unit
        if m.group(0).endswith("-old") and unit == "year":
            # "the 29-year-old" states the same age as "Rewiti, 29": a count of years.
            yield m.start(), m.end(), "CARDINAL", value, ""
            continue
        yield m.start(), m.end(), "DATE", value, f"period:{unit}"
    for m in scan(RELATIVE):
        rel = m["rel"] and _SAME_RELATION.get(folded(m["rel"]), m["rel"])
        phrase = folded(m["day"] or f"{rel} {m['unit']}")
        yield m.start(), m.end(), "DATE", phrase, "relative"
    for m in scan(WEEKDAY):
        if scan.text[m.start()].isupper():
            yield m.start(), m.end(), "DATE", folded(m["day"]), "weekday"


def _times(scan: Scan) -> Iterator[Found]:
    for m in scan(CLOCK):
        seconds = int(m["s"] or 0)
        if int(m["m"]) < 60 and seconds < 60:
            clock = int(m["h"]) * 3600 + int(m["m"]) * 60 + seconds
            yield m.start(), m.end(), "TIME", str(clock), "s"
    for m in scan(DURATION):
        minutes = m["m"] or m["m_only"]
        if sum(1 for part in (m["h"], minutes, m["s"]) if part) < 2:
            continue  # a single "3 hours" is a period, not a race time
        total = Decimal(m["h"] or 0) * 3600 + Decimal(minutes or 0) * 60 + Decimal(m["s"] or 0)
        end = m.start() + len(m.group(0).rstrip(" ,"))
        yield m.start(), end, "TIME", decimal_text(total), "s"


def _measures(scan: Scan) -> Iterator[Found]:
    for m in scan(MEASURE):
        unit = folded(m["unit"])
        if unit in ("c", "f", "m", "g", "d") and not m["num"][0].isdigit():
            continue  # "five m" is not five metres
        if unit in ("c", "f", "d") and scan.text[m.end("num")] == " ":
            continue  # "1.5C" is a temperature, "3D" dimensions; "25 C", "5 d" rarely
        value = amount(m["num"])
        if value is not None:
            yield m.start(), m.end(), "QUANTITY", value, UNIT_CANON[unit]


def _ordinals(scan: Scan) -> Iterator[Found]:
    text = scan.text
    for m in scan(ORDINAL):
        if m["word"] and _not_an_ordinal(text, m.start(), m.end()):
            continue
        value = int(m["digits"]) if m["digits"] else ORDINALS[folded(m["word"])]
        yield m.start(), m.end(), "ORDINAL", str(value), ""


def _cardinals(scan: Scan) -> Iterator[Found]:
    for m in scan(FOLD):
        value = amount(m["digits"] or m["word"])
        if value is not None:
            yield m.start(), m.end(), "CARDINAL", value, ""
    for m in scan(SCORE):
        yield m.start(), m.end(), "CARDINAL", f"{m['a']}-{m['b']}", "score"
    for m in scan(CARDINAL):
        num, article, mag, short = m.group("num", "a", "mag", "short")
        if num and not mag and not short and _in_a_name(scan.text, m.start(), num):
            continue
        if num and _LIST_MARK.match(scan.text, m.end()) and _starts_line(scan.text, m.start()):
            continue  # "3) The document..." numbers a list
        if not mag:
            if article:
                continue  # a bare "a" is an article
            if not num[0].isdigit() and folded(num) == "one":
                continue  # "one of", "no one": too often not a count
        value = amount(num or "1", mag or short or "")
        if value is not None:
            yield m.start(), m.end(), "CARDINAL", value, ""


_LIST_MARK = re.compile(r"[.)]\s")


def _starts_line(text: str, start: int) -> bool:
    """Whether only spacing stands between ``start`` and the start of its line."""
    return not text[text.rfind("\n", 0, start) + 1 : start].strip()


_SAME_RELATION = {"previous": "last", "preceding": "last", "prior": "last", "past": "last",
                  "coming": "next"}  # fmt: skip
"""Words that place a period the same way: "the previous year" is "last year"."""


def _not_an_ordinal(text: str, start: int, end: int) -> bool:
    """Whether an ordinal word is no rank of anything: a list's "First," or "Second," (or
    "First of all") at the start of a sentence, or the "second" of "per second" and of
    "for a second" before no word or a function word (a unit of time)."""
    if starts_sentence(text, start) and (
        text[end : end + 1] == "," or text[end : end + 7].lower() == " of all"
    ):
        return True
    if folded(text[start:end]) != "second":
        return False
    before = text[max(0, start - 4) : start].lower()
    if before.endswith("per "):
        return True
    after = _NEXT_WORD.match(text, end)
    return before.endswith("a ") and (after is None or after.group(1).lower() in FUNCTION_WORDS)


_NEXT_WORD = re.compile(r"[ \t]+([a-z]+)\b")
"""The lower-case word after one space: "a second lander" ranks a lander, "for a second
the ..." is a moment."""


_NAME_WORD = re.compile(r"(?:^|(?<=[^\w'’.&-]))[A-Z][\w'’.&]*[A-Za-z\d]\s$")
"""A capitalised word, and one space, just before a number: "Boeing 737"."""


def _in_a_name(text: str, start: int, number: str) -> bool:
    """Whether a bare number is part of a name, not a count: joined by a hyphen to letters
    ("COVID-19", "F-35"); a number word written with a capital inside a sentence ("the
    Group of Seven", "the Big Four"); or up to four digits after a capitalised word that
    is no month, day or function word, inside a sentence ("Boeing 737", "Windows 11")."""
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha():
        return True
    if not number[0].isdigit():
        return number[0].isupper() and not starts_sentence(text, start)
    if len(number) > 4 or not number.isdigit():
        return False
    before = _NAME_WORD.search(text, max(0, start - 40), start)
    if before is None:
        return False
    word = before.group().strip()
    return (
        not starts_sentence(text, before.start())
        and word.lower() not in MONTHS_DAYS
        and word.lower() not in FUNCTION_WORDS
        and not word.isupper()  # a currency code ("GBP 5") or an acronym's count
    )


# In priority order: an earlier matcher wins an overlap.
_MATCHERS: tuple[Callable[[Scan], Iterator[Found]], ...] = (
    _money, _percent, _dates, _times, _measures, _ordinals, _cardinals,
)  # fmt: skip


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, non-overlapping, in reading order.

    Overlaps are resolved by priority (the matchers' order), then length (longest
    first), then place, then the order found: the candidates are taken in that order,
    each unless it overlaps one taken before. All of a matcher's candidates come before
    those of the next, so the matchers are run one after another and each one's choice
    is final before the next runs: a later matcher's match that begins inside a chosen
    quantity could never be chosen, and is not even read (``Scan.taken``).
    """
    scan = Scan(text)
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
