"""Finding and loading datasets: bundled ones by name, folders with a manifest, users' files."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from bench.data.article import Dataset as Dataset
from bench.data.manifest import MANIFEST_NAME, read_manifest, sha256_file
from bench.data.readers import FieldMap, read_articles
from bench.data.records import Problems
from bench.errors import BenchError
from bench.names import check_safe_name, did_you_mean
from bench.specs import DatasetSpec

ENV_DATASETS = "SPINBENCH_DATASETS"


def dataset_search_path() -> list[Path]:
    """Folders searched for bundled datasets: $SPINBENCH_DATASETS, then the bundled ones."""
    paths = [Path(p) for p in os.environ.get(ENV_DATASETS, "").split(os.pathsep) if p]
    package = Path(__file__).resolve().parents[1]
    installed = package / "bundled_datasets"
    source_tree = package.parent / "datasets"
    if installed.is_dir():
        paths.append(installed)
    elif (package.parent / "pyproject.toml").is_file() and source_tree.is_dir():
        paths.append(source_tree)
    return paths


def bundled_datasets() -> dict[str, Path]:
    """Dataset name -> folder, for every folder with a manifest on the search path."""
    found: dict[str, Path] = {}
    for root in dataset_search_path():
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if (folder / MANIFEST_NAME).is_file():
                found.setdefault(folder.name, folder)
    return found


def bundled_dataset_names() -> list[str]:
    """The names ``--dataset`` accepts without a path, sorted (for help and "did you mean")."""
    return sorted(bundled_datasets())


def load_manifest_dataset(folder: Path, *, verify: bool = True) -> Dataset:
    """A dataset folder with a manifest.json: its articles, version and bundled systems.

    Every problem of the manifest is reported at once. ``verify`` checks each file
    against the sha256 the manifest records, so a run never scores articles other than
    the ones named; ``bench list`` skips it, since it only shows what is there.
    """
    problems = Problems()
    manifest = read_manifest(folder, problems, verify=verify)
    problems.raise_if_any()
    assert manifest is not None
    articles = read_articles(manifest.articles)
    return Dataset(
        name=manifest.name,
        version=manifest.version,
        sha256=manifest.articles_sha256,
        articles=tuple(articles),
        location=str(folder),
        licence=manifest.licence,
        description=manifest.description,
        systems=manifest.systems,
    )


def _digest_of(path: Path) -> str:
    if path.is_file():
        return sha256_file(path)
    digest = hashlib.sha256()
    for file in sorted(p for p in path.iterdir() if p.is_file()):
        digest.update(file.name.encode() + b"\0" + sha256_file(file).encode())
    return digest.hexdigest()


def load_dataset(spec: DatasetSpec) -> Dataset:
    """Load what a DatasetSpec points at, verifying bundled datasets' sha256 sums."""
    if spec.hf:
        from bench.data.huggingface import load_hf_dataset

        return load_hf_dataset(spec)
    path = Path(spec.source)
    if path.is_dir() and (path / MANIFEST_NAME).is_file():
        return load_manifest_dataset(path)
    if path.exists():
        fields = FieldMap(id=spec.id_field, text=spec.text_field, title=spec.title_field)
        articles = read_articles(path, fields)
        name = check_safe_name("dataset", spec.name or path.stem)
        return Dataset(
            name=name,
            version="file",
            sha256=_digest_of(path),
            articles=tuple(articles),
            location=str(path),
        )
    bundled = bundled_datasets()
    if spec.source in bundled:
        return load_manifest_dataset(bundled[spec.source])
    looks_like_path = os.sep in spec.source or "." in spec.source
    if looks_like_path:
        raise BenchError("no such file or folder", path=spec.source)
    raise BenchError(f"unknown dataset {spec.source!r}{did_you_mean(spec.source, bundled)}")
