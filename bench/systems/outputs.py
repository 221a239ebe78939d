"""``outputs``: paraphrases someone already produced, read from a JSONL/CSV/.txt file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.data.article import Article
from bench.data.dataset import Dataset
from bench.data.readers import FieldMap, read_articles
from bench.errors import BenchError
from bench.specs import SystemSpec
from bench.systems.base import System


def check_coverage(path: Path | str, output_ids: list[str], dataset: Dataset) -> None:
    """An outputs file must cover the dataset exactly: no missing ids, no unknown ones."""
    expected = set(dataset.ids())
    found = set(output_ids)
    missing = [i for i in dataset.ids() if i not in found]
    unknown = [i for i in output_ids if i not in expected]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(
                f"{len(missing)} article id(s) of dataset {dataset.name!r} missing: "
                + ", ".join(missing[:5])
                + (" ..." if len(missing) > 5 else "")
            )
        if unknown:
            parts.append(
                f"{len(unknown)} id(s) not in dataset {dataset.name!r}: "
                + ", ".join(unknown[:5])
                + (" ..." if len(unknown) > 5 else "")
            )
        raise BenchError("; ".join(parts), path=path)


class OutputsSystem(System):
    """Paraphrases made elsewhere, read from a file with one per article id: how a system
    that cannot run here (or already ran) is scored."""

    type_name = "outputs"
    cacheable = False
    summary = "precomputed paraphrases from a file (option: path; id_field, text_field)"

    def __init__(
        self, spec: SystemSpec, *, path: str, id_field: str = "id", text_field: str = "text"
    ) -> None:
        super().__init__(spec)
        self.path = Path(path)
        self.fields = FieldMap(id=id_field, text=text_field)
        self._texts: dict[str, str] = {}

    def prepare(self, dataset: Dataset) -> None:
        """Read the file and check it has exactly the dataset's ids, before any scoring."""
        outputs = read_articles(self.path, self.fields, allow_empty_text=True)
        check_coverage(self.path, [o.id for o in outputs], dataset)
        self._texts = {o.id: o.text for o in outputs}

    def paraphrase(self, article: Article) -> str:
        return self._texts[article.id]

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "file": str(self.path)}
