"""Facts of an article: named entities and quantities, how to find them, and how to match them.

Shared by the entity, quantity and artefact metric modules:

- ``quantities``: our parser for money, percentages, measurements, counts,
  ordinals, dates and times, each normalised to ``(kind, value, unit)``;
- ``names``: normalising names (case, "the", possessives, diacritics, aliases);
- ``extract``: the reference-side extractor (spaCy NER + the quantity parser),
  with a content-hash cache;
- ``spacy_ner``: spaCy as the named-entity engine (the pinned English model, or
  phrase rules for tests);
- ``paraphrase``: one reading of a paraphrase (capitalised runs, name spans,
  near-miss candidates, folded words), each part worked out when first needed;
- ``match``: what happened to each reference fact in a paraphrase, and which
  names and amounts the paraphrase invented;
- ``fidelity``: the metric body the entity and quantity metrics share;
- ``fast``: what the parsers' fast paths share (letter-tree word lists, numpy
  character classes).
"""
