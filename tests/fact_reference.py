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
    MONTHS_DAYS,
    Starts,
    Token,
    _locator,
    _UsedInsideSentence,
    is_function_word,
    is_title,
    title_at,
)


def name_spans_plain(text: str, runs: list[list[Token]], vocabulary: frozenset[str]) -> list[Token]:
    """Runs split at titles and trimmed of sentence-initial function words: the names used;
    in a headline in Title Case, only names each of whose words is known."""
    starts = Starts(text)
    used_inside_sentence = _UsedInsideSentence(text, runs, starts)

    spans = []
    for run in runs:
        pieces: list[list[Token]] = []
        if len(run) == 1:  # most runs
            if not is_title(run[0].text):
                pieces.append(run)
        else:
            piece: list[Token] = []
            for i, token in enumerate(run):
                if title_at(run, i):
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
                or (is_function_word(lower) and starts(piece[first].start))
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
                if is_function_word(lower) or lower in MONTHS_DAYS or word == "I":
                    continue
                if not (word.isalpha() or any(c.isalpha() for c in word)):
                    continue
                if (
                    starts(piece[first].start)
                    and name_key(word) not in vocabulary
                    and not used_inside_sentence(word)
                ):
                    continue  # a capital that only marks the start of a sentence
            if starts.in_headline(piece[first].start) and any(
                name_key(t.text) not in vocabulary and not used_inside_sentence(t.text)
                for t in piece[first:last]
                if t.text.lower() not in CONNECTORS
            ):
                continue  # a headline's capitals tell nothing
            start, end = piece[first].start, piece[last - 1].end
            spans.append(Token(text[start:end], start, end))
    return spans


def locate_plain(folded: str, key: str) -> tuple[int, int] | None:
    """Where the words of ``key`` first stand in ``folded``, in any case, with any
    punctuation or spacing between them, and no word character either side."""
    found = _locator(key).search(folded)
    return found.span() if found else None
