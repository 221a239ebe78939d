"""What became of each quantity of the clean article in a paraphrase.

A quantity is kept when the paraphrase states the same kind, value and unit, as
written (``preserved``) or in another form (``normalized``); also when a form that
says the same amount in other words does (a bare number for an amount with its unit,
"both" for two); ``mangled`` when a near value of the same kind and unit stands
there instead; else ``dropped``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from metrics.facts.extract import Fact
from metrics.facts.outcomes import Outcome
from metrics.facts.quantities import Quantity
from metrics.facts.quantity_forms import units_agree

_NON_DIGITS = re.compile(r"\D")


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


class QuantityForms(NamedTuple):
    """What a paraphrase's quantities are compared with for one fact: worked out once."""

    fact: Fact
    kind: str
    value: str
    unit: str
    exact: bool
    """Dates, times, ordinals and scores: a near miss is one edit away in the value."""
    digits: str
    """The value's digits, for the others: a near miss has one (counts) or two changed."""
    number: Decimal | None
    """The value as a number, for amounts within a factor of two."""


def quantity_forms(fact: Fact) -> QuantityForms:
    """A quantity fact split out of its key (``kind|value|unit``) into what the
    comparisons need, once per fact rather than once per paraphrase."""
    kind, value, unit = fact.key.split("|")
    return QuantityForms(
        fact=fact,
        kind=kind,
        value=value,
        unit=unit,
        exact=kind in ("DATE", "TIME", "ORDINAL") or unit == "score",
        digits=_NON_DIGITS.sub("", value),
        number=_decimal(value),
    )


def _near(ref: QuantityForms, hyp: Quantity, hyp_digits: str) -> bool:
    """Whether ``hyp`` is a near miss of ``ref``: same kind and unit, a slightly changed value."""
    if hyp.kind != ref.kind or hyp.unit != ref.unit:
        return False
    if ref.exact:
        return Levenshtein.distance(ref.value, hyp.value) <= 1
    if Levenshtein.distance(ref.digits, hyp_digits) <= (1 if ref.kind == "CARDINAL" else 2):
        return True
    if ref.kind == "CARDINAL" or not ref.number or ref.number <= 0:
        return False
    b = _decimal(hyp.value)
    return bool(b and Decimal("0.5") <= b / ref.number <= 2)


IMPLIED_WORDS = {
    "CARDINAL|2|": ("both", "pair", "couple"),
    "DATE|today|relative": ("now", "nowadays", "currently"),
    "DATE|tomorrow|relative": ("next day", "following day"),
    "ORDINAL|1|": ("initial", "opening", "former"),
    "ORDINAL|2|": ("latter",),
}
"""Quantities that words state without a number: "both" holes are two, "now" is today,
"the former" is the first of two."""
_IMPLIED = {
    key: re.compile(rf"\b(?:{'|'.join(words)})\b", re.IGNORECASE)
    for key, words in IMPLIED_WORDS.items()
}


def _implied(key: str, text: str) -> re.Match[str] | None:
    """The word of ``text`` that states the quantity ``key`` without a number, if any."""
    pattern = _IMPLIED.get(key)
    return pattern.search(text) if pattern is not None else None


def classify_quantities(
    facts: tuple[QuantityForms, ...],
    found: list[Quantity],
    keys: list[str],
    claimed: frozenset[str],
    text: str,
) -> list[Outcome]:
    """Each quantity fact's outcome, among the paraphrase's quantities (``keys``: theirs,
    as a fact's key is written; ``claimed``: the facts' keys)."""
    by_key: dict[str, list[Quantity]] = {}
    for key, q in zip(keys, found, strict=True):
        by_key.setdefault(key, []).append(q)
    unclaimed: list[tuple[Quantity, str]] | None = None  # with their digits, when first needed
    outcomes = []
    for ref in facts:
        fact = ref.fact
        same_value = by_key.get(fact.key)
        if same_value:
            for q in same_value:
                if q.text in fact.surfaces:
                    outcomes.append(Outcome(fact, "preserved", q.text, q.start))
                    break
            else:
                first = same_value[0]
                outcomes.append(Outcome(fact, "normalized", first.text, first.start))
            continue
        loose = loosely_same(ref.kind, ref.value, ref.unit, found)
        if loose is not None:
            outcomes.append(Outcome(fact, "normalized", loose.text, loose.start))
            continue
        word = _implied(fact.key, text)
        if word is not None:
            outcomes.append(Outcome(fact, "normalized", word.group(), word.start()))
            continue
        if unclaimed is None:
            unclaimed = [
                (q, _NON_DIGITS.sub("", q.value))
                for key, q in zip(keys, found, strict=True)
                if key not in claimed
            ]
        for q, digits in unclaimed:
            if q.kind == ref.kind and q.unit == ref.unit and _near(ref, q, digits):
                outcomes.append(Outcome(fact, "mangled", q.text, q.start))
                break
        else:
            outcomes.append(Outcome(fact, "dropped"))
    return outcomes


def loosely_same(kind: str, value: str, unit: str, among: Sequence[Quantity]) -> Quantity | None:
    """The first of ``among`` with the same value whose unit agrees (``units_agree``)."""
    for q in among:
        if q.value == value and units_agree(kind, unit, q.kind, q.unit):
            return q
    return None
