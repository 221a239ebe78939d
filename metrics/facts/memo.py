"""The fact reader's memo caches, in one place, with one way to clear them all.

Reading facts repeats itself: every paraphrase of an article is judged against the same
facts, uses the same names, writes the same amounts. The functions that can keep what
they worked out for the next call are wrapped here with ``memo`` (a bounded
``functools.lru_cache``), and objects that keep their own memory (the extractor's
articles) register a way to forget it with ``on_clear``. ``clear()`` empties every one
of them: a memo only ever saves time, so a result never depends on what was scored
before, or in which order the metrics asked (``tests/test_fact_memo.py`` checks it).
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])

_CACHES: list[Any] = []
"""Every memoised function (each has ``cache_clear``)."""
_FORGETTERS: weakref.WeakSet[Any] = weakref.WeakSet()
"""Objects with a ``forget()`` method, held weakly: an extractor no one uses goes."""


def memo(maxsize: int | None) -> Callable[[_F], _F]:
    """``functools.lru_cache(maxsize)``, registered so that ``clear()`` empties it."""

    def wrap(function: _F) -> _F:
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _CACHES.append(cached)
        return cached  # type: ignore[return-value]

    return wrap


def on_clear(owner: Any) -> None:
    """Have ``clear()`` call ``owner.forget()`` while ``owner`` lives."""
    _FORGETTERS.add(owner)


def clear() -> None:
    """Empty every memo of the fact reader; later results are the same, only slower."""
    for cached in _CACHES:
        cached.cache_clear()
    for owner in list(_FORGETTERS):
        owner.forget()


def sizes() -> dict[str, int]:
    """How many entries each memo holds, by function name (for tests and profiling)."""
    return {
        f"{cached.__module__}.{cached.__qualname__}": cached.cache_info().currsize
        for cached in _CACHES
    }
