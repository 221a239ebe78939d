"""A word's antonym in the same form: "rose" -> "fell", "increased" -> "decreased".

WordNet links lemmas ("rise" <-> "fall"); text holds inflected forms. A form
is taken back to its lemmas by WordNet's own morphology (its lists of
irregular forms, then its suffix rules, as its ``morphy`` does), the
antonym is looked up, and the antonym is put into the same form: the
irregular form of the same kind when WordNet lists one ("fell" for a past,
"fallen" for a participle), else the regular suffix.
"""

from __future__ import annotations

from bench.systems.wordnet import WordNet

# WordNet's detachment rules per part of speech: (suffix, ending of the lemma, form).
_RULES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "verb": (("ies", "y", "s"), ("es", "e", "s"), ("es", "", "s"), ("s", "", "s"),
             ("ed", "e", "ed"), ("ed", "", "ed"), ("ing", "e", "ing"), ("ing", "", "ing")),
    "adj": (("est", "e", "est"), ("est", "", "est"), ("er", "e", "er"), ("er", "", "er")),
    "noun": (("ies", "y", "s"), ("ches", "ch", "s"), ("shes", "sh", "s"), ("xes", "x", "s"),
             ("ses", "s", "s"), ("s", "", "s")),
    "adv": (),
}  # fmt: skip
_PARTICIPLE_AFTER = frozenset("has have had having is are was were be been being".split())
_VOWELS = "aeiou"


def _form_of_irregular(form: str, pos: str) -> str:
    """The kind of an irregular form: 'ing', a participle 'en' ("fallen"), a past 'ed'."""
    if pos == "adj" or pos == "adv":
        return "est" if form.endswith("st") else "er"
    if form.endswith("ing"):
        return "ing"
    return "en" if form.endswith("n") else "ed"


def lemmas(wordnet: WordNet, word: str, pos: str) -> list[tuple[str, str]]:
    """``(lemma, form)`` readings of ``word`` as a ``pos``; form '' is the lemma itself."""
    found: list[tuple[str, str]] = []
    if wordnet.has(word, pos):
        found.append((word, ""))
    for lemma in wordnet.exceptions.get(pos, {}).get(word, ()):
        if lemma != word:  # the lists also hold forms that are their own lemma ("after")
            found.append((lemma, _form_of_irregular(word, pos)))
    # "after" is not "aft" + "er", nor "offer" "off" + "er" ("offer" is a noun).
    others = [p for p in _RULES if p != pos]
    rules = () if (pos == "adj" and any(wordnet.has(word, p) for p in others)) else None
    for suffix, ending, form in _RULES[pos] if rules is None else rules:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            lemma = word[: -len(suffix)] + ending
            if wordnet.has(lemma, pos) and (lemma, form) not in found:
                found.append((lemma, form))
    return found


def _doubles(lemma: str) -> bool:
    """A short lemma ending consonant-vowel-consonant doubles it: 'stop' -> 'stopped'."""
    return (
        (len(lemma) == 3 or (len(lemma) == 4 and lemma[0] not in _VOWELS))
        and lemma[-1] not in _VOWELS + "wxy"
        and lemma[-2] in _VOWELS
        and lemma[-3] not in _VOWELS
    )


def inflect(wordnet: WordNet, lemma: str, pos: str, form: str) -> str | None:
    """``lemma`` put into ``form`` ('', 's', 'ed', 'en', 'ing', 'er', 'est'); None for
    the comparison of a long adjective, which takes "more" and is not one word."""
    if not form:
        return lemma
    irregular = [f for f, ls in wordnet.exceptions.get(pos, {}).items() if lemma in ls]
    if form in ("ed", "en"):
        # A past and a participle that both end in n: 'began' / 'begun', 'ran' / 'run'.
        past = form == "ed"
        same = sorted(
            (f for f in irregular if _form_of_irregular(f, pos) in ("ed", "en")),
            key=lambda f: (f.endswith("n") == past, ("u" if past else "a") in f, len(f)),
        )
    else:
        same = sorted(f for f in irregular if _form_of_irregular(f, pos) == form)
    if same:
        return same[0]
    if form in ("er", "est") and len(lemma) > 5:  # "distanter": not one word
        return None
    if form == "s":
        if lemma.endswith(("s", "x", "z", "ch", "sh", "o")):
            return lemma + "es"
        return (
            lemma[:-1] + "ies" if lemma.endswith("y") and lemma[-2] not in _VOWELS else lemma + "s"
        )
    suffix = {"ed": "ed", "en": "ed", "ing": "ing", "er": "er", "est": "est"}[form]
    if lemma.endswith("e") and suffix != "ing":
        return lemma + suffix[1:]
    if lemma.endswith("e") and not lemma.endswith("ee"):
        return lemma[:-1] + suffix
    if lemma.endswith("y") and lemma[-2] not in _VOWELS and suffix != "ing":
        return lemma[:-1] + "i" + suffix
    return lemma + lemma[-1] + suffix if _doubles(lemma) else lemma + suffix


def antonym(wordnet: WordNet, word: str, previous: str = "") -> str | None:
    """``word``'s antonym in the same form, or None.

    A verb form ("rose", "lost", "increased") is read as a verb first, then
    adjectives and adverbs ("better" is "good", not the verb "to better"), a
    verb's own lemma, and nouns last (verbs first after "to" or an auxiliary).
    Antonyms that contain the word ("expected" -> "unexpected", "cut" ->
    "uncut") are skipped: on a participle or a preposition they rarely make
    sense. ``previous`` (the word before) tells a participle
    ("has risen") from a past ("rose") when the form alone cannot.
    """
    readings = [("verb", lemma, form) for lemma, form in lemmas(wordnet, word, "verb") if form]
    verb_first = previous.lower() == "to" or previous.lower() in _PARTICIPLE_AFTER
    for pos in ("verb", "adj", "adv", "noun") if verb_first else ("adj", "adv", "verb", "noun"):
        readings += [(pos, lemma, form) for lemma, form in lemmas(wordnet, word, pos)]
    for pos, lemma, form in readings:
        found = [
            a
            for a in wordnet.antonyms_as(lemma, pos)
            if a.isalpha() and a.islower() and lemma not in a
        ]
        if form == "ed" and previous.lower() in _PARTICIPLE_AFTER:
            form = "en"
        for opposite in found:
            inflected = inflect(wordnet, opposite, pos, form)
            if inflected is not None:
                return inflected
    return None
