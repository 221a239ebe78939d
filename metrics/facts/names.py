"""Normalising names so that different spellings of the same name compare equal.

``name_key`` folds what does not change who or what is named: case,
diacritics, a leading "the", a possessive "'s", dots in acronyms (U.S.),
hyphens and spacing. ``ALIASES`` joins names that differ in letters but not in
referent (UK / Britain / United Kingdom); it is short and written by hand, and
deliberately holds no near-misses: fuzzy similarity never makes two names
equal (it only tells a mangled name from a dropped one).
"""

from __future__ import annotations

import re
import unicodedata

from metrics.facts.memo import memo

NAMES_VERSION = "2"

_ALIAS_GROUPS: tuple[tuple[str, ...], ...] = (
    ("uk", "united kingdom", "britain", "great britain", "gb"),
    ("us", "usa", "united states", "united states of america", "america"),
    ("eu", "european union"),
    ("un", "united nations"),
    ("nato", "north atlantic treaty organization", "north atlantic treaty organisation"),
    ("russia", "russian federation"),
    ("uae", "united arab emirates"),
    ("nhs", "national health service"),
    ("bbc", "british broadcasting corporation"),
    ("ecb", "european central bank"),
    ("imf", "international monetary fund"),
    ("who", "world health organization", "world health organisation"),
    ("mod", "ministry of defence", "ministry of defense"),
    ("fbi", "federal bureau of investigation"),
    ("nasa", "national aeronautics and space administration"),
    ("dprk", "north korea"),
    ("czech republic", "czechia"),
    ("netherlands", "holland"),
    ("kyiv", "kiev"),
    ("celsius", "centigrade"),
)

_ALIASES: dict[str, str] = {}
for _group in _ALIAS_GROUPS:
    for _name in _group:
        _ALIASES[_name] = _group[0]

WORD = re.compile(r"[^\W_](?:[\w'’.&-]*[^\W_])?|&")
"""A word as both sides of the matching read it: letters and digits, with inner ' . & -."""

_DASHES = re.compile(r"[-‐‑‒–—]+")
POSSESSIVE = re.compile(r"'s\b|'$")
ACRONYM_DOT = re.compile(r"\.(?<=\b[a-z]\.)(?=[a-z]\.|\s|$)")
"""The dot after a lone letter: "u.s." -> "us". It starts with the dot, which the regex
engine finds fast, and looks back for the letter."""
_LEADING_THE = re.compile(r"^(?:the\s+)+")
_ASCII_BYTES = bytes(range(128))


def non_ascii(text: str) -> set[str]:
    """The distinct characters of ``text`` outside ASCII.

    Its UTF-8 with every ASCII byte deleted is exactly those characters' UTF-8, in
    order: a few C passes instead of a regex engine testing every character (a fourth
    of the time on a news article)."""
    if text.isascii():
        return set()
    encoded = text.encode("utf-8", "surrogatepass")
    return set(encoded.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))


def strip_diacritics(text: str) -> str:
    """The text's NFKD decomposition without its combining marks: "Zürich" -> "Zurich".

    Worked out one distinct non-ASCII character at a time: with every combining mark
    dropped, the order NFKD would give the marks no longer matters, so the whole is
    each character's own decomposition without its marks. A news article has a few
    distinct non-ASCII characters, most of them their own decomposition (curly
    quotes, "€"); normalising the whole text would read every character.
    """
    if text.isascii():
        return text
    # One str.replace per changed character: str.translate is slow on non-ASCII text.
    # A replacement holds only characters that are their own decomposition, so no later
    # replacement changes it.
    for char in non_ascii(text):
        plain = unicodedata.normalize("NFKD", char)
        if not plain.isascii():
            plain = "".join(c for c in plain if not unicodedata.combining(c))
        if plain != char:
            text = text.replace(char, plain)
    return text


def casefold(text: str) -> str:
    """``text.casefold()``, faster for a long text whose non-ASCII characters all fold to
    themselves (curly quotes, "€", "—"): then only ASCII letters change, and ``bytes.lower`` folds
    those in the UTF-8 (its multi-byte sequences have no ASCII byte) in one C pass,
    where ``str.casefold`` looks every character of a non-ASCII text up."""
    if text.isascii():
        return text.lower()  # the same, for ASCII
    if all(c.casefold() == c for c in non_ascii(text)):
        return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    return text.casefold()


def fold_quotes(text: str) -> str:
    """Curly quotes and backticks as the straight apostrophe."""
    # str.replace, not str.translate: translating is slow on non-ASCII text.
    return text.replace("’", "'").replace("‘", "'").replace("`", "'")


_FOLDED_IN_ASCII = ("'", ".", "-", "`")
"""The ASCII characters name_key_plain's folds act on: quotes, dots and hyphens."""


@memo(65536)
def name_key(text: str) -> str:
    """The form two spellings of one name share: 'the U.S.' and 'US' -> 'us'.

    ``name_key_plain``'s key. Most names are ASCII with none of the characters its
    folds act on (quotes, dots, hyphens): for those, the key is the lower-cased words,
    unless the first is "the"."""
    if text.isascii() and not any(c in text for c in _FOLDED_IN_ASCII):
        words = text.lower().split()
        if not words or words[0] != "the":
            return " ".join(words)
    return name_key_plain(text)


def name_key_plain(text: str) -> str:
    """The form two spellings of one name share, folded step by step."""
    text = strip_diacritics(fold_quotes(text)).casefold()
    text = POSSESSIVE.sub("", text)
    text = ACRONYM_DOT.sub("", text)
    text = text.replace(".", " ")
    text = _DASHES.sub(" ", text)
    text = _LEADING_THE.sub("", text.strip())
    return " ".join(text.split())


@memo(65536)
def variants(text: str) -> tuple[str, ...]:
    """Every key that names the same referent as ``text``: its alias group, or itself
    with each alias inside it written every other way ("us senate" -> "united states
    senate", "usa senate", ...)."""
    key = canonical(text)
    for group in _ALIAS_GROUPS:
        if group[0] == key:
            return group
    found = [key]
    if " " in key:
        padded = f" {key} "
        for group in _ALIAS_GROUPS:
            for alias in group:
                if f" {alias} " in padded:
                    found += [
                        padded.replace(f" {alias} ", f" {other} ", 1).strip()
                        for other in group
                        if other != alias
                    ]
    return tuple(dict.fromkeys(found))


def canonical(text: str) -> str:
    """``name_key`` with aliases resolved: 'Britain' and 'the UK' -> 'uk'."""
    key = name_key(text)
    return _ALIASES.get(key, key)
