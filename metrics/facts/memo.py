"""The metrics' in-memory caches, in one place, with one way to clear them all.

Reading facts and meaning repeats itself: every paraphrase of an article is judged
against the same facts, uses the same names, writes the same amounts. Two kinds of
bounded cache keep what was worked out for the next call, both defined here:

- ``memo(maxsize)`` wraps a function in ``functools.lru_cache`` (written in C: the
  fact reader calls these hundreds of thousands of times per run);
- ``Recent(size)`` is a keyed memory an object keeps for itself (the extractor's
  articles, the meaning metric's last pairs), dropping the least recently used entry
  when full.

``clear()`` empties every one of them (and calls ``forget()`` of any object registered
with ``on_clear``): a cache only ever saves time, so a result never depends on what was
scored before, or in which order the metrics asked (``tests/test_fact_memo.py`` checks
it). This module imports nothing from the project, so any metric can use it.
"""

from __future__ import annotations

import functools
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])
_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")

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


class Recent(Generic[_K, _V]):
    """The ``size`` entries used last, by key: a bounded least-recently-used memory that
    ``clear()`` empties. Reading or writing an entry makes it the most recent; writing
    one more than ``size`` drops the oldest."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[_K, _V] = OrderedDict()
        on_clear(self)

    def get(self, key: _K) -> _V | None:
        """The entry for ``key`` (now the most recent), or None."""
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: _K, value: _V) -> None:
        """Remember ``value`` for ``key`` as the most recent entry."""
        self._entries[key] = value
        self._entries.move_to_end(key)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def forget(self) -> None:
        """Drop every entry (``clear()`` calls this)."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


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
