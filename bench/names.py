"""Looking names up in registries, with "did you mean" for typos."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

from bench.errors import BenchError

T = TypeVar("T")

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$")


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the closest choice, else the list of choices."""
    options = sorted(choices)
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    if close:
        return f'; did you mean "{close[0]}"?'
    return f"; choose from: {', '.join(options)}" if options else ""


def lookup(kind: str, name: str, registry: Mapping[str, T]) -> T:
    """``registry[name]``, or a BenchError naming the kind and the nearest name."""
    try:
        return registry[name]
    except KeyError:
        raise BenchError(f"unknown {kind} {name!r}{did_you_mean(name, registry)}") from None


def check_safe_name(kind: str, name: str) -> str:
    """Names become file names in results/: letters, digits and ._+- only."""
    if not _SAFE_NAME.match(name):
        raise BenchError(
            f"{kind} name {name!r} is not usable as a file name: use letters, digits and ._+- "
            "(at most 100 characters, not starting with a dot or dash)"
        )
    return name
