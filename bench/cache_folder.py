"""Where spinbench keeps what it can compute again: system outputs, scores, facts.

One folder for every cache, so that one setting moves or disables them all:
``$SPINBENCH_CACHE`` when set, ``off`` for no cache at all, else
``~/.cache/spinbench``. The fact extractor in ``metrics`` reads the same
variable the same way (metrics cannot import bench).
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "SPINBENCH_CACHE"


def cache_folder() -> Path | None:
    """The cache folder, or None when ``SPINBENCH_CACHE=off`` disables caching."""
    configured = os.environ.get(CACHE_ENV)
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    return Path.home() / ".cache" / "spinbench"
