"""Facts of an article: named entities and quantities, how to find them, and how to match them.

Shared by the entity, quantity and artefact metric modules:

- ``quantities``: our parser for money, percentages, measurements, counts,
  ordinals, dates and times, each normalised to ``(kind, value, unit)``;
  ``quantity_forms`` says what each kind of quantity is (number words, units,
  currencies, patterns), ``quantity_places`` where one can begin;
- ``names``: normalising names (case, "the", possessives, diacritics, aliases);
- ``extract``: the reference-side extractor (spaCy NER + the quantity parser),
  with a content-hash cache;
- ``spacy_ner``: spaCy as the named-entity engine (the pinned English model, or
  phrase rules for tests);
- ``capitals``: capitalised runs, and the word lists that say which capitalised
  words are no names (titles, function words, months);
- ``paraphrase``: one reading of a paraphrase (name spans, near-miss candidates,
  folded words), each part worked out when first needed;
- ``demonyms``: places and the adjectives of their people (France / French);
- ``memo``: every memo cache of the package, and ``clear()`` to empty them all;
- ``match``: what happened to each reference fact in a paraphrase, and which
  names and amounts the paraphrase invented;
- ``fidelity``: the metric body the entity and quantity metrics share;
- ``fast``: what the parsers share (letter-tree word lists, characters beyond the
  Basic Multilingual Plane).
"""
