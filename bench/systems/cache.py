"""Outputs of costly systems, cached by content: (spec hash + signature, article text hash).

A rerun, or a run resumed after a crash, never pays twice for the same call:
the cache lives under ``$SPINBENCH_CACHE/outputs`` (``~/.cache/spinbench`` by
default; ``SPINBENCH_CACHE=off`` disables it) and outlives any one run folder.
Each entry is written atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from bench.cache_folder import cache_folder
from bench.data.article import Article
from bench.systems.base import System
from metrics.atomic import write_atomic


class OutputCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def for_system(cls, system: System) -> OutputCache | None:
        root = cache_folder()
        if root is None or not system.cacheable:
            return None
        key = system.spec.spec_hash
        if system.signature:
            key = hashlib.sha256(f"{key}|{system.signature}".encode()).hexdigest()[:16]
        return cls(root / "outputs" / key)

    def _path(self, article: Article) -> Path:
        digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
        return self.folder / digest[:2] / f"{digest}.json"

    def get(self, article: Article) -> str | None:
        try:
            data = json.loads(self._path(article).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        text = data.get("text") if isinstance(data, dict) else None
        return text if isinstance(text, str) else None

    def put(self, article: Article, text: str) -> None:
        entry = json.dumps({"text": text}, ensure_ascii=False)
        # A cache that cannot be written only costs time; a full disk leaves no file behind.
        with contextlib.suppress(OSError):
            write_atomic(self._path(article), entry, sync=False)
