"""What the parsers share: word lists written as letter-tree regexes (``alternation``),
and whether a text has characters beyond the Basic Multilingual Plane (``beyond_plane``:
the capital-letter pattern lists the plane's capitals, and reads other text the plain
way)."""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str]) -> str:
    """A pattern matching any of ``words``, the longest first, written as a letter tree.

    It matches exactly what ``"|".join(sorted(words, key=len, reverse=True))`` matches,
    and prefers the same word: two words can both match at one place only if one is a
    prefix of the other, and the tree tries the longer one first, as the sorted list
    does. The plain list makes the regex engine try every word at every place; the
    tree rules out all words but those sharing the letters read so far.
    """
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + pattern(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


def beyond_plane(text: str) -> bool:
    """Whether ``text`` has a character beyond the Basic Multilingual Plane: in UTF-16
    each of those is two code units, every other character one. A C pass over the text,
    where a regex for the range tests each character in the regex engine."""
    return not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)
