"""Articles from a Hugging Face dataset (optional extra: ``pip install 'spinbench[hf]'``).

Accepts a folder written by ``Dataset.save_to_disk`` or anything
``datasets.load_dataset`` accepts (a local data folder or file, or a Hub name
when the user is online). Nothing here runs unless a config asks for it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from bench.data.article import Article, Dataset
from bench.data.readers import FieldMap, records_to_articles
from bench.data.records import Problems
from bench.errors import BenchError
from bench.names import check_safe_name
from bench.specs import DatasetSpec


def _import_datasets() -> Any:
    try:
        import datasets
    except ImportError:
        raise BenchError(
            "reading a Hugging Face dataset needs the 'hf' extra: pip install 'spinbench[hf]'"
        ) from None
    return datasets


def load_hf_dataset(spec: DatasetSpec) -> Dataset:
    """A Hugging Face dataset as a spinbench dataset: a folder saved with ``save_to_disk``,
    or a name or path handed to ``datasets.load_dataset``.

    The spec names the split (default "test") and the id, text and title columns. The
    version is the library's, or "hf"; the sha256 is taken over the articles' ids and
    texts, so a run can tell when the data changed.
    """
    hf = _import_datasets()
    path = Path(spec.source)
    try:
        if path.is_dir() and any((path / n).is_file() for n in ("state.json", "dataset_dict.json")):
            loaded = hf.load_from_disk(str(path))
            if isinstance(loaded, hf.DatasetDict):
                split = spec.split or "test"
                if split not in loaded:
                    raise BenchError(
                        f"no split {split!r}; splits: {', '.join(loaded)}", path=spec.source
                    )
                loaded = loaded[split]
        else:
            loaded = hf.load_dataset(spec.source, spec.subset, split=spec.split or "test")
    except BenchError:
        raise
    except Exception as exc:  # the library raises many types; report them uniformly
        raise BenchError(f"cannot load Hugging Face dataset: {exc}", path=spec.source) from None

    fields = FieldMap(id=spec.id_field, text=spec.text_field, title=spec.title_field)
    for column in (spec.id_field, spec.text_field):
        if column not in loaded.column_names:
            raise BenchError(
                f"no column {column!r}; columns: {', '.join(loaded.column_names)}",
                path=spec.source,
            )
    problems = Problems()
    records = ((path, i + 1, dict(row)) for i, row in enumerate(loaded))
    articles: list[Article] = records_to_articles(records, fields, problems, allow_empty_text=False)
    problems.raise_if_any()
    digest = hashlib.sha256(
        json.dumps([[a.id, a.text] for a in articles], ensure_ascii=False).encode()
    ).hexdigest()
    name = check_safe_name("dataset", spec.name or path.name or "hf")
    return Dataset(
        name=name,
        version=str(getattr(loaded, "version", "") or "hf"),
        sha256=digest,
        articles=tuple(articles),
        location=spec.source,
    )
