"""A dataset folder's manifest.json: what the dataset is, and the sha256 of every file.

Schema (all keys required unless marked optional)::

    {
      "name": "news",                      # registry name, used in results/
      "version": "1.0.0",
      "licence": "CC-BY-4.0",
      "description": "...",
      "language": "en",                    # optional
      "articles": "articles.jsonl",        # optional, this is the default
      "files": {"articles.jsonl": "<sha256 hex>", ...},
      "systems": {                         # optional: precomputed outputs
        "wild-spinner": {"file": "outputs/wild-spinner.jsonl", "description": "..."}
      }
    }

Every file the dataset uses must be listed in ``files`` with its sha256 and
lie inside the dataset folder.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.data.records import JSONProblem, Problems, parse_json, read_text
from bench.errors import BenchError
from bench.names import check_safe_name

MANIFEST_NAME = "manifest.json"
_REQUIRED = ("name", "version", "licence", "description", "files")
_KNOWN = {*_REQUIRED, "language", "articles", "systems"}


@dataclass(frozen=True)
class BundledSystem:
    """Precomputed outputs shipped inside a dataset."""

    name: str
    file: Path
    description: str


@dataclass(frozen=True)
class Manifest:
    """A dataset's manifest.json, read and checked: what the dataset is, where its
    articles are, the sha256 of every file, and the precomputed systems it ships."""

    folder: Path
    name: str
    version: str
    licence: str
    description: str
    language: str | None
    articles: Path
    files: dict[str, str]
    systems: dict[str, BundledSystem] = field(default_factory=dict)

    @property
    def articles_sha256(self) -> str:
        """The articles file's sha256 as the manifest records it: the dataset's identity
        in run manifests, and what ``resume`` and ``compare`` check."""
        return self.files[self.articles.relative_to(self.folder).as_posix()]


def sha256_file(path: Path) -> str:
    """A file's sha256 in hex, read a megabyte at a time (a file may be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _key(relative: str) -> str:
    return Path(relative).as_posix()


def _inside(folder: Path, relative: str, where: Path, problems: Problems) -> Path | None:
    candidate = (folder / relative).resolve()
    if Path(relative).is_absolute() or not candidate.is_relative_to(folder.resolve()):
        problems.add(f"file {relative!r} points outside the dataset folder", path=where)
        return None
    return folder / relative


def read_manifest(folder: Path, problems: Problems, *, verify: bool = True) -> Manifest | None:
    """Parse and check ``folder/manifest.json``; with ``verify``, check every file's sha256."""
    path = folder / MANIFEST_NAME
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        raw: Any = parse_json(text)
    except JSONProblem as exc:
        problems.add(f"malformed JSON ({exc.message})", path=path, line=exc.line)
        return None
    if not isinstance(raw, dict):
        problems.add("manifest must be a JSON object", path=path)
        return None
    before = len(problems.items)
    for key in _REQUIRED:
        if key not in raw:
            problems.add(f"missing key {key!r}", path=path)
    for key in sorted(set(raw) - _KNOWN):
        problems.add(f"unknown key {key!r} (known: {', '.join(sorted(_KNOWN))})", path=path)
    for key in ("name", "version", "licence", "description", "language", "articles"):
        if key in raw and not isinstance(raw[key], str):
            problems.add(f"{key!r} must be a string", path=path)
    files = raw.get("files", {})
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        problems.add('"files" must map file names to sha256 strings', path=path)
        files = {}
    # "./a.jsonl" and "a.jsonl" name the same file: compare names in one form.
    files = {_key(k): v for k, v in files.items()}
    systems_raw = raw.get("systems", {})
    if not isinstance(systems_raw, dict):
        problems.add('"systems" must be an object', path=path)
        systems_raw = {}
    if len(problems.items) > before:
        return None
    try:
        check_safe_name("dataset", raw["name"])
    except Exception as exc:
        problems.add(str(exc), path=path)
        return None

    outside: set[str] = set()
    for relative, expected in files.items():
        target = _inside(folder, relative, path, problems)
        if target is None:
            outside.add(relative)
            continue
        if not target.is_file():
            problems.add(f"listed file {relative!r} does not exist", path=path)
        elif verify and sha256_file(target) != expected.lower():
            problems.add(
                f"sha256 of {relative!r} does not match the manifest "
                f"(manifest {expected[:12]}..., file {sha256_file(target)[:12]}...)",
                path=path,
            )

    articles_name = _key(raw.get("articles", "articles.jsonl"))
    if articles_name not in files:
        problems.add(f'articles file {articles_name!r} is not listed in "files"', path=path)
        return None
    if articles_name in outside:
        return None  # reported above; never read a file outside the folder
    systems: dict[str, BundledSystem] = {}
    for name, entry in systems_raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            problems.add(f'system {name!r} needs a "file" string', path=path)
            continue
        try:
            check_safe_name("system", name)
        except BenchError as exc:
            problems.add(exc.message, path=path)
            continue
        entry = {**entry, "file": _key(entry["file"])}
        if entry["file"] in outside:
            continue  # reported above
        if entry["file"] not in files:
            problems.add(
                f'system {name!r}: file {entry["file"]!r} is not listed in "files"', path=path
            )
            continue
        target = _inside(folder, entry["file"], path, problems)
        if target is not None:
            systems[name] = BundledSystem(name, target, str(entry.get("description", "")))
    return Manifest(
        folder=folder,
        name=raw["name"],
        version=raw["version"],
        licence=raw["licence"],
        description=raw["description"],
        language=raw.get("language"),
        articles=folder / articles_name,
        files=dict(files),
        systems=systems,
    )
