"""WordNet for the synonym spinner: the shared reader in ``metrics.wordnet``, with a
missing database reported as a BenchError (one ``error:`` line, exit 2)."""

from __future__ import annotations

from pathlib import Path

from bench.errors import BenchError
from metrics.wordnet import DEFAULT_DIRS, POS, WordNet, WordNetMissing, load

__all__ = ["DEFAULT_DIRS", "POS", "WordNet", "load", "locate"]


def locate(folder: str | None = None) -> Path:
    """The WordNet database folder: the option if given, else $WORDNET_DIR, else Debian's."""
    from metrics.wordnet import locate as find

    try:
        return find(folder)
    except WordNetMissing as exc:
        raise BenchError(str(exc)) from None
