"""Recompute the sha256 of every file listed in a dataset's manifest.json.

Usage: python tools/rehash_dataset.py datasets/<name>

Run it after editing a dataset's files on purpose; `bench validate` then
passes again. It only rewrites the "files" table of the manifest.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path


def main(folder: Path) -> None:
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for relative in manifest["files"]:
        manifest["files"][relative] = hashlib.sha256((folder / relative).read_bytes()).hexdigest()
    manifest_path.write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"{manifest_path}: {len(manifest['files'])} file(s) rehashed")


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        main(Path(argument))
