"""The analysis's shortcuts give exactly what the plain computations they replace give.

Each shortcut is checked against the plain way on news text, on text built from the
words the shortcut keys on, and on arbitrary Unicode:

- the quantity parser trying its patterns only where they can begin, its word lists
  written as letter trees, and its numbers read atomically;
- capitalised runs found from the capitals alone (characters beyond the plane found
  from the UTF-16 length), and name spans read from each word's roles;
- keys looked for among the folded words instead of in a keyed copy of the text, and
  located without the pattern's lookbehind;
- near misses scored for all names at once against the distinct candidates (whose
  choices are checked against values worked out by hand);
- a whole-word search without a regular expression;
- diacritics stripped (each distinct character decomposed on its own) or folded without
  translating every character, from the non-ASCII characters found in UTF-8; acronym
  dots found from the dot;
- artefacts ruled out by substring search, and words counted without splitting;
- the quantity parser choosing among one matcher's candidates at a time, and not
  reading a match that begins inside a quantity already chosen;
- names keyed by lower-casing when nothing else would fold, long texts case-folded
  through their UTF-8, and the near misses of invented names looked for all at once.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from metrics.artefacts.metric import _MARKS, PATTERNS, _has_mark, find_artefacts, word_count
from metrics.facts import capitals, match, paraphrase, quantities, quantity_forms, quantity_places
from metrics.facts.extract import Fact, ReferenceFacts
from metrics.facts.fast import alternation, beyond_plane
from metrics.facts.match import NAME_SIMILARITY, _nearest
from metrics.facts.names import (
    ACRONYM_DOT,
    canonical,
    casefold,
    name_key,
    name_key_plain,
    non_ascii,
    strip_diacritics,
)
from metrics.facts.paraphrase import (
    Paraphrase,
    find_word,
    is_word_char,
    key_tokens,
    keyed_plain,
)
from metrics.facts.quantities import find_quantities
from tests.fact_reference import locate_plain, name_spans_plain

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = [
    json.loads(line)["text"]
    for path in (ROOT / "datasets").glob("*/articles.jsonl")
    for line in path.open(encoding="utf-8")
]

UNICODE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",),
                           include_characters="£$€¥₹%,.-–:/ \n٣²"),
    max_size=200,
)  # fmt: skip
QUANTITY_WORDS = st.lists(
    st.sampled_from([*quantity_forms.UNITS, *quantity_forms.TENS, *quantity_forms.MONTHS,
                     *quantity_forms.ORDINALS, *quantity_forms.CURRENCY_PREFIX,
                     *quantity_forms.CURRENCY_WORD, *quantity_forms.UNIT_CANON,
                     *quantity_forms.WEEKDAYS, "a", "an", "am", "abn", "and", "of", "per cent",
                     "percentage points", "last", "this", "today", "years", "-old", "hours",
                     "minutes", "seconds", "st", "th", "bn", "m", "k", "million", "1", "14",
                     "2025", "1,600", "1.6", "2024-25", "2025-03-14", "12:30", "٣", "-", ",",
                     ".", "%", "$", "£", "€", "Sept.", "MARCH", "Twenty-Five", "US$", "GBP",
                     "and a half", "tenfold", "10-fold", "fold", "3D", "dimensional", "prior",
                     "preceding", "of", "yuan", "USD", "COVID-19", "Boeing", ")", "\n3)"]),
    max_size=30,
).map(lambda words: " ".join(words) if len(words) % 2 else "".join(words))  # fmt: skip


def _scanned_everywhere(text: str) -> list[quantities.Quantity]:
    with mock.patch.object(quantity_places, "places", return_value=None):
        return find_quantities(text)


@pytest.mark.parametrize("index", range(len(ARTICLES)))
def test_quantity_scan_finds_what_a_full_scan_finds_in_articles(index: int) -> None:
    text = ARTICLES[index]
    assert quantity_places.places(text) is not None  # the shortcut is taken
    assert find_quantities(text) == _scanned_everywhere(text)


@settings(max_examples=400)
@given(QUANTITY_WORDS | UNICODE)
@example("5 centſ and 5 per centſ")  # "cent" with a long s: the gap a KeyError guard once hid
def test_quantity_scan_finds_what_a_full_scan_finds(text: str) -> None:
    assert find_quantities(text) == _scanned_everywhere(text)


def _chosen_in_one_order(text: str) -> list[quantities.Quantity]:
    """The plain resolution of overlaps: every matcher's candidates read (nothing taken
    while they are found), sorted all together by priority, length, place and order
    found, and each taken unless it overlaps one taken before."""
    scan = quantity_places.Scan(text)
    candidates = []
    for priority, matcher in enumerate(quantities._MATCHERS):
        for found in matcher(scan):
            if found[1] > found[0]:
                candidates.append((priority, found[0] - found[1], found[0], len(candidates), found))
    candidates.sort()
    taken: set[int] = set()
    chosen = []
    for *_, found in candidates:
        span = range(found[0], found[1])
        if taken.isdisjoint(span):
            taken.update(span)
            chosen.append(found)
    return [
        quantities.Quantity(kind, value, unit, s, e, text[s:e])
        for s, e, kind, value, unit in sorted(chosen)
    ]


@pytest.mark.parametrize("index", range(len(ARTICLES)))
def test_quantities_chosen_matcher_by_matcher_are_those_chosen_in_one_order_in_articles(
    index: int,
) -> None:
    text = ARTICLES[index]
    assert find_quantities(text) == _chosen_in_one_order(text)


@settings(max_examples=400)
@given(QUANTITY_WORDS | UNICODE)
@example("5 centſ and 5 per centſ")
def test_quantities_chosen_matcher_by_matcher_are_those_chosen_in_one_order(text: str) -> None:
    assert find_quantities(text) == _chosen_in_one_order(text)


def test_only_the_listed_characters_fold_to_ascii_letters() -> None:
    """The shortcut reads lower-cased letters; these four would be missed, so they opt out."""
    ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    folding = {chr(c) for c in range(128, sys.maxunicode + 1) if ascii_letter.match(chr(c))}
    assert folding == set(quantity_places._FOLDS_TO_ASCII.pattern[1:-1])
    assert all(len(chr(c).lower()) == 1 for c in range(sys.maxunicode + 1) if chr(c) not in folding)


def test_word_characters_are_what_backslash_w_matches() -> None:
    word = re.compile(r"\w")
    assert all(is_word_char(chr(c)) == bool(word.match(chr(c))) for c in range(sys.maxunicode + 1))


@settings(max_examples=300)
@given(UNICODE | QUANTITY_WORDS, st.sampled_from(["Keir", "UK", "a", "1.6", "é", "_", "&", ""]))
def test_whole_word_search_finds_what_the_pattern_finds(text: str, word: str) -> None:
    text = f"{text}{word}x {word}_{word} {word}"
    found = re.search(r"(?<![\w])" + re.escape(word) + r"(?![\w])", text)
    assert find_word(text, word) == (found.start() if found else -1)


def _without_marks(text: str) -> str:
    """The plain way: the whole text's NFKD, then every combining mark dropped."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@pytest.mark.parametrize("index", range(len(ARTICLES)))
def test_stripping_diacritics_character_by_character_is_the_plain_way_in_articles(
    index: int,
) -> None:
    text = ARTICLES[index]
    for variant in (
        text,
        text.replace("e", "\u00e9").replace("a", "a\u0328\u0303"),  # é, a with two marks
        text.replace(" ", "\u0301 "),  # a combining acute before every space
    ):
        assert strip_diacritics(variant) == _without_marks(variant)


@settings(max_examples=500)
@given(
    UNICODE
    | st.text(st.characters(codec="utf-8"), max_size=50)
    | st.sampled_from(["Zürich", "Ångström", "naïve café", "Łódź", "ﬁnance", "e\u0301\u0323x",
                       "ẹ́ é", "한국어 ㈜", "…½ ǅ ﬃ", "\u0344\u0301a"])
)  # fmt: skip
def test_stripping_diacritics_drops_every_combining_mark_and_nothing_else(text: str) -> None:
    assert strip_diacritics(text) == _without_marks(text)


@settings(max_examples=300)
@given(UNICODE | st.sampled_from(["Zürich’s £5", "Ångström and Ǆ", "ﬁnance ǖ ø", "x\u0344y"]))
def test_folding_diacritics_keeps_length_and_equals_translating(text: str) -> None:
    table = {ord(c): strip_diacritics(c)[:1] or c for c in set(text) if not c.isascii()}
    folded = Paraphrase(text).folded
    assert folded == text.translate(table)
    assert len(folded) == len(text)


@settings(max_examples=300)
@given(UNICODE | st.text(max_size=50) | st.sampled_from(["a\ud800b", "\udfff£", "𝐀’é"]))
def test_the_non_ascii_characters_are_those_a_pattern_finds(text: str) -> None:
    assert non_ascii(text) == set(re.findall(r"[^\x00-\x7f]", text))


@settings(max_examples=300)
@given(st.text(alphabet="ab.é \n", max_size=30) | UNICODE)
def test_acronym_dots_go_as_the_plain_pattern_removes_them(text: str) -> None:
    plain = re.sub(r"\b([a-z])\.(?=[a-z]\.|\s|$)", r"\1", text)
    assert ACRONYM_DOT.sub("", text) == plain


NAME_WORDS = st.lists(
    st.sampled_from(["Keir", "Starmer", "Ursula", "von", "der", "Leyen", "of", "Bank", "England",
                     "the", "The", "THE", "&", "AT&T", "-", " - ", "'s", "’", "U.S.", "eBay",
                     "McDonald", "O'Brien", "Anglo-American", "al-Assad", "de", "for", "bin",
                     "said", "PM", "Prime", "Minister", "Mr", "1,600", "£5", ",", ".", ":", "\n",
                     "  ", "_", "_X", "É", "Łódź", "İ", "ǅ", "Ⓐ", "𝐀", "ß", "x", "\u00a0"]),
    max_size=30,
).map(lambda words: " ".join(words) if len(words) % 2 else "".join(words))  # fmt: skip


def _runs(runs: list[list[paraphrase.Token]]) -> list[list[tuple[str, int, int]]]:
    return [[(t.text, t.start, t.end) for t in run] for run in runs]


@pytest.mark.parametrize("index", range(len(ARTICLES)))
def test_capitalised_runs_from_the_capitals_are_the_plain_runs_in_articles(index: int) -> None:
    text = ARTICLES[index]
    assert _runs(capitals.capitalised_runs(text)) == _runs(capitals.capitalised_runs_plain(text))


@settings(max_examples=500)
@given(NAME_WORDS | UNICODE)
def test_capitalised_runs_from_the_capitals_are_the_plain_runs(text: str) -> None:
    assert _runs(capitals.capitalised_runs(text)) == _runs(capitals.capitalised_runs_plain(text))


@settings(max_examples=300)
@given(
    st.text(st.characters(codec="utf-8"), max_size=50)
    | st.sampled_from(["", "\ud800", "a\udfff\U0001d400", "\uffff", "\U00010000", "’ 𝐀"])
)
def test_characters_beyond_the_plane_are_found_from_utf16_length(text: str) -> None:
    beyond = re.compile("[\U00010000-\U0010ffff]")
    for variant in (text, text + "’", text + "\ud800"):
        assert beyond_plane(variant) == bool(beyond.search(variant))


def test_the_capital_letters_are_every_upper_case_letter_or_digit_of_the_plane() -> None:
    pattern = capitals._capitalised_word()
    for code in range(0x10000):
        char = chr(code)
        assert bool(pattern.match(char)) == (char.isupper() and char.isalnum()), hex(code)


def test_near_miss_choices_are_each_key_once_with_its_first_candidate() -> None:
    """Worked by hand: the runs are [Keir Starmer] [Starmer] [Bank of England]; the
    candidates, shorter first within each run, are Keir, Starmer, "Keir Starmer",
    Starmer (again: its key is taken), Bank, of, England, "Bank of", "of England",
    "Bank of England"; the one-word ones are those without a space."""
    text = "Keir Starmer met Starmer at the Bank of England."
    runs = capitals.capitalised_runs(text)
    (keys, firsts), (one_keys, one_firsts) = paraphrase.near_choices(text, runs)
    assert keys == ["keir", "starmer", "keir starmer", "bank", "of", "england", "bank of",
                    "of england", "bank of england"]  # fmt: skip
    assert [(t.text, t.start) for t in firsts][:3] == [("Keir", 0), ("Starmer", 5),
                                                       ("Keir Starmer", 0)]  # fmt: skip
    assert one_keys == ["keir", "starmer", "bank", "of", "england"]
    assert [t.start for t in one_firsts] == [0, 5, 32, 37, 40]


@pytest.mark.parametrize("index", range(len(ARTICLES)))
def test_name_spans_by_word_roles_are_the_plain_spans_in_articles(index: int) -> None:
    text = ARTICLES[index]
    runs = capitals.capitalised_runs(text)
    vocabulary = frozenset(name_key(t.text) for run in runs[::3] for t in run)
    assert _runs([paraphrase.name_spans(text, runs, vocabulary)]) == _runs(
        [name_spans_plain(text, runs, vocabulary)]
    )


@settings(max_examples=500)
@given(NAME_WORDS | UNICODE, st.lists(NAME_WORDS, max_size=4))
def test_name_spans_by_word_roles_are_the_plain_spans(text: str, known: list[str]) -> None:
    for variant in (text, f"{text}. {text}", f"The {text}\nOf {text}"):
        runs = capitals.capitalised_runs(variant)
        vocabulary = frozenset(name_key(w) for w in known)
        assert _runs([paraphrase.name_spans(variant, runs, vocabulary)]) == _runs(
            [name_spans_plain(variant, runs, vocabulary)]
        )


@settings(max_examples=500)
@given(NAME_WORDS | UNICODE, NAME_WORDS)
def test_a_key_is_found_among_the_folded_words_where_the_keyed_text_has_it(
    text: str, name: str
) -> None:
    key = name_key(name)
    if not key:
        return
    tokens = key_tokens(key)
    for haystack in (text, f"{text} {name}", f"{name}'s {text}", f"x{name}x"):
        assert Paraphrase(haystack).has_key(key, tokens) == (tokens in keyed_plain(haystack))


@settings(max_examples=500)
@given(NAME_WORDS | UNICODE, NAME_WORDS)
def test_a_key_is_located_where_the_pattern_with_its_lookbehind_finds_it(
    text: str, name: str
) -> None:
    key = name_key(name)
    if not key:
        return
    for haystack in (text, f"{text} {name}", f"x{name} {name}", f"{name}x_{name.upper()}"):
        paraphrase = Paraphrase(haystack)
        assert paraphrase.locate(key) == locate_plain(paraphrase.folded, key)


def _plain_alternation(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)


WORD_LISTS = [list(quantity_forms.CURRENCY_PREFIX), list(quantity_forms.CURRENCY_WORD),
              list(quantity_forms.UNIT_CANON), list(quantity_forms.MONTHS),
              list(quantity_forms.ORDINALS),
              list(quantity_forms.MAGNITUDE), [*quantity_forms.UNITS, *quantity_forms.TENS],
              list(quantity_places._KINDS_OF_WORD)]  # fmt: skip


@settings(max_examples=300)
@given(st.sampled_from(range(len(WORD_LISTS))), QUANTITY_WORDS | UNICODE)
def test_a_letter_tree_matches_what_the_longest_first_list_matches(which: int, text: str) -> None:
    words = WORD_LISTS[which]
    tree = re.compile(alternation(words), re.I)
    plain = _plain_alternation(words)
    text = f"{text} {' '.join(words[:: max(1, len(words) // 7)])}"
    for at in range(len(text)):
        found, expected = tree.match(text, at), plain.match(text, at)
        assert (found and found.group()) == (expected and expected.group())


@settings(max_examples=300)
@given(QUANTITY_WORDS | UNICODE)
def test_numbers_read_atomically_match_what_they_match_with_backtracking(text: str) -> None:
    for pattern in quantity_places._BEGINS:
        backtracking = re.compile(pattern.pattern.replace("(?>", "(?:"), pattern.flags)
        assert [m.span() for m in pattern.finditer(text)] == [
            m.span() for m in backtracking.finditer(text)
        ]


def _artefacts_by_regex(text: str) -> list[tuple[str, int, str]]:
    with mock.patch.object(
        sys.modules[find_artefacts.__module__], "_MARKS", ("",)
    ):  # every text contains ""
        return find_artefacts(text)


@settings(max_examples=300)
@given(
    st.text(alphabet="{}[]|%sd$ \nab", max_size=40)
    | UNICODE
    | st.sampled_from(["{that a}", "{A|B}", "%s", "%d", "${x}", "[[y]]", "{{z}}", "}{", "5%"])
)
def test_artefacts_ruled_out_by_substring_are_those_the_patterns_miss(text: str) -> None:
    assert len(PATTERNS) == 4  # the marks cover these four patterns
    assert find_artefacts(text) == _artefacts_by_regex(text)
    assert _has_mark(text) == any(mark in text for mark in _MARKS)


SHORT_NAMES = st.lists(
    st.text(alphabet="aeikrmnst -", min_size=0, max_size=9), min_size=0, max_size=25
)


@settings(max_examples=400)
@given(SHORT_NAMES, SHORT_NAMES.map(lambda names: [n for n in names if n]))
def test_near_misses_scored_at_once_are_what_extract_one_picks(
    keys: list[str], targets: list[str]
) -> None:
    """One ``cdist`` over the distinct keys: the same score and the same (first) key as
    one ``extractOne`` per name over every candidate's key, blanks ("": a key not to
    be picked) and repeats included. A name is never blank."""
    from rapidfuzz import fuzz, process

    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key:
            first.setdefault(key, i)
    found = _nearest(targets, (list(first), list(first.values())))
    for target, got in zip(targets, found, strict=True):
        best = process.extractOne(target, keys, scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY)
        assert got == ((best[1], best[2]) if best else None)


@pytest.mark.parametrize("index", range(len(ARTICLES)))
def test_words_counted_without_splitting_are_the_split_words_in_articles(index: int) -> None:
    assert word_count(ARTICLES[index]) == len(ARTICLES[index].split())


@settings(max_examples=500)
@given(
    UNICODE
    | st.text(max_size=40)
    | st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2009\u3000ab\ud800é", max_size=30)
)
def test_words_counted_without_splitting_are_the_split_words(text: str) -> None:
    assert word_count(text) == len(text.split())


@settings(max_examples=500)
@given(NAME_WORDS | UNICODE | st.sampled_from(
    ["the Times", "The  UK", "THE", "the", " the x", "theresa may", "the\tend", "The-Times", ""]
))  # fmt: skip
def test_names_keyed_by_lower_casing_get_the_plain_key(text: str) -> None:
    assert name_key(text) == name_key_plain(text)


@pytest.mark.parametrize("index", range(len(ARTICLES)))
def test_case_folded_through_utf8_is_case_folded_in_articles(index: int) -> None:
    assert casefold(ARTICLES[index]) == ARTICLES[index].casefold()


@settings(max_examples=500)
@given(UNICODE | NAME_WORDS | st.sampled_from(["Straße’s €5", "İstanbul", "ǅ ﬁ ß", "a\ud800B"]))
def test_case_folded_through_utf8_is_case_folded(text: str) -> None:
    for variant in (text, f"{text} Keir Starmer’s £1.6bn — ok"):
        assert casefold(variant) == variant.casefold()


@settings(max_examples=300)
@given(SHORT_NAMES.map(lambda names: [n for n in names if n]), SHORT_NAMES)
def test_near_misses_of_invented_names_looked_for_at_once_are_what_extract_one_picks(
    surfaces: list[str], names: list[str]
) -> None:
    """Every surface's key, blanks and repeats included, as ``extractOne`` sees them."""
    from rapidfuzz import fuzz, process

    facts = tuple(
        Fact("entity", "PERSON", canonical(s), s, (s,), 0, 1) for s in dict.fromkeys(surfaces)
    )
    index = match._index(ReferenceFacts("test", facts, (), frozenset()))
    found = match._resembles(names, index)
    for name, got in zip(names, found, strict=True):
        best = process.extractOne(
            name_key(name), index.surface_keys, scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY
        )
        assert got == (index.surface_names[best[2]] if best else None)
