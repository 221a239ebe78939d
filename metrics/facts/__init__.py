"""Facts of an article: named entities and quantities, how to find them, and how to match them.

Shared by the entity, quantity and artefact metric modules:

- ``quantities``: our parser for money, percentages, measurements, counts,
  ordinals, dates and times, each normalised to ``(kind, value, unit)``;
- ``names``: normalising names (case, "the", possessives, diacritics, aliases);
- ``extract``: the reference-side extractor (spaCy NER + the quantity parser),
  with a content-hash cache;
- ``match``: what happened to each reference fact in a paraphrase, and which
  names and amounts the paraphrase invented.
"""
