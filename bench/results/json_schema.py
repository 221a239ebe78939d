"""The JSON Schema of a run's files, generated from the classes that read them back.

docs/results-schema.json is this module's output: ``python -m bench.results.json_schema``
writes it, and tests/test_results_schema.py fails when it differs from what the classes
generate now, so it cannot go stale. Its root describes ``manifest.json`` (with the run
configuration under ``$defs.RunConfig``); ``$defs.ArticleResult`` describes one line of
``scores/<dataset>/<system>.jsonl``. Any JSON Schema 2020-12 validator can check a
run's files with it, in any language.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from bench.config import RunConfig
from bench.results.schema import SCHEMA_VERSION, ArticleResult, RunManifest

DOCS_FILE = Path("docs") / "results-schema.json"
"""Where the schema is committed, relative to the repository."""


def results_json_schema() -> dict[str, Any]:
    """The schema of manifest.json, with RunConfig and ArticleResult among its ``$defs``."""
    manifest = TypeAdapter(RunManifest).json_schema()
    config = TypeAdapter(RunConfig).json_schema()
    line = TypeAdapter(ArticleResult).json_schema()
    defs = {**manifest.pop("$defs"), **config.pop("$defs"), **line.pop("$defs", {})}
    defs |= {"RunConfig": config, "ArticleResult": line}
    described = manifest["properties"]["config"]["description"]
    manifest["properties"]["config"] = {"$ref": "#/$defs/RunConfig", "description": described}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **manifest,
        "title": f"spinbench run manifest.json, results schema {SCHEMA_VERSION}",
        "$defs": dict(sorted(defs.items())),
    }


def render() -> str:
    """The schema as docs/results-schema.json holds it."""
    return json.dumps(results_json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> None:
    """Write the schema to the file given (docs/results-schema.json by default)."""
    target = Path(argv[0]) if argv else DOCS_FILE
    target.write_text(render(), encoding="utf-8")
    print(f"{target}: results schema {SCHEMA_VERSION} written")


if __name__ == "__main__":
    main(sys.argv[1:])
