"""The plain ways of reading a paraphrase, which the package reads faster.

``metrics/facts/paraphrase.py`` finds capitalised runs from the capitals alone, judges
name spans by word roles looked up once, and locates a key without the regex
lookbehind. These are the same readings written the plain way, to say what each part
is; ``tests/test_fast_paths.py`` checks that the package's readings equal them.
"""

from __future__ import annotations

from metrics.facts.names import name_key
from metrics.facts.paraphrase import (
    CONNECTORS,
    FUNCTION_WORDS,
    MONTHS_DAYS,
    Token,
    _locator,
    _UsedInsideSentence,
    is_title,
    starts_sentence,
)


def name_spans_plain(text: str, runs: list[list[Token]], vocabulary: frozenset[str]) -> list[Token]:
    """Runs split at titles and trimmed of sentence-initial function words: the names used."""
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


def locate_plain(folded: str, key: str) -> tuple[int, int] | None:
    """Where the words of ``key`` first stand in ``folded``, in any case, with any
    punctuation or spacing between them, and no word character either side."""
    found = _locator(key).search(folded)
    return found.span() if found else None
