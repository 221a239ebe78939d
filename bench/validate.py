"""``bench validate``: check a dataset folder or an articles/outputs file and list every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench.data.dataset import load_dataset
from bench.data.manifest import MANIFEST_NAME, read_manifest
from bench.data.readers import FieldMap, read_records, records_to_articles
from bench.data.records import Problems
from bench.errors import BenchError
from bench.specs import DatasetSpec


@dataclass
class Report:
    """What ``bench validate`` found: every problem, and a few lines on what was read."""

    path: Path
    problems: list[BenchError] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong (the command then exits 0)."""
        return not self.problems


def _check_outputs(path: Path, ids: list[str], dataset_name: str, problems: Problems) -> int:
    """Record each article of the dataset with no output and each output for no article;
    return how many outputs the file holds."""
    found = records_to_articles(
        read_records(path, FieldMap(), problems), FieldMap(), problems, allow_empty_text=True
    )
    found_ids = {o.id for o in found}
    expected = set(ids)
    for missing in (i for i in ids if i not in found_ids):
        problems.add(f"no output for article of {dataset_name!r}", path=path, article=missing)
    for output in found:
        if output.id not in expected:
            problems.add(f"id not in dataset {dataset_name!r}", path=path, article=output.id)
    return len(found)


def validate_path(path: Path, *, against: str | None = None) -> Report:
    """Every problem of a dataset folder, or of a file (checked against a dataset if given)."""
    report = Report(path)
    problems = Problems()
    if path.is_dir() and (path / MANIFEST_NAME).is_file():
        manifest = read_manifest(path, problems)
        if manifest is not None:
            articles = records_to_articles(
                read_records(manifest.articles, FieldMap(), problems),
                FieldMap(),
                problems,
                allow_empty_text=False,
            )
            ids = [a.id for a in articles]
            report.summary.append(
                f"dataset {manifest.name} {manifest.version}: "
                f"{len(articles)} articles, licence {manifest.licence}"
            )
            for system in manifest.systems.values():
                n = _check_outputs(system.file, ids, manifest.name, problems)
                report.summary.append(f"system {system.name}: {n} outputs")
    elif against is not None:
        dataset = load_dataset(DatasetSpec(against))
        n = _check_outputs(path, dataset.ids(), dataset.name, problems)
        report.summary.append(f"outputs file: {n} outputs for dataset {dataset.name}")
    else:
        articles = records_to_articles(
            read_records(path, FieldMap(), problems), FieldMap(), problems, allow_empty_text=False
        )
        if not articles and not problems:
            problems.add("no articles found", path=path)
        report.summary.append(f"articles file: {len(articles)} articles")
    report.summary += [f"warning: {note}" for note in problems.notes]
    report.problems = problems.items
    return report
