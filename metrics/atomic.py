"""Replacing a file whole, so that it holds either its old content or the new one, never half.

Every file spinbench writes whole goes through ``replacing``: a run's results
(``bench/results/store.py``) and the on-disk caches (clean articles' facts, system
outputs). The text goes to a temporary file beside the target,
``.<name>.<random>.tmp``, which is flushed and fsynced, then renamed over the target.
A rename within a folder is atomic, so a crash at any moment leaves the old file or
the new one; an error, or a signal turned into an exception, also removes the
temporary file, and only a SIGKILL can leave one behind (``bench run --resume``
sweeps those of a run folder).

The caches pass ``sync=False``: an fsync costs milliseconds a file, many times the
write itself, and a cache entry that a power cut loses or damages is only a miss.

Errors are OSErrors, unless the caller gives ``fail``, which turns one into the
exception to raise instead: the results store names the file it was writing (a full
disk's ``[Errno 28]`` names none), and the caches ignore errors (a cache that cannot
be written only costs time). The module lives in metrics/ because the metrics' caches
use it, and metrics/ never imports bench/.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

Fail = Callable[[OSError], BaseException]
"""Turns an OSError into the exception to raise instead."""


def _same(exc: OSError) -> BaseException:
    return exc


def _default_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give a new file under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def replacing(path: Path, fail: Fail = _same, *, sync: bool = True) -> Iterator[TextIO]:
    """A UTF-8 text file (``\\n`` line ends) that replaces ``path`` when the block ends
    without an error; the folder is made if it is missing. Errors of opening, flushing,
    fsyncing, closing and renaming go through ``fail``; the block's own writes are the
    caller's (``write_atomic`` passes theirs through ``fail`` too)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise fail(exc) from None
    tmp = Path(name)
    try:
        os.fchmod(fd, _default_mode())  # mkstemp makes 0600 files; results are for sharing
        with closing(os.fdopen(fd, "w", encoding="utf-8", newline="\n"), fail) as handle:
            yield handle
            try:
                handle.flush()
                if sync:
                    os.fsync(handle.fileno())
            except OSError as exc:
                raise fail(exc) from None
        try:
            tmp.replace(path)
        except OSError as exc:
            raise fail(exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def closing(handle: TextIO, fail: Fail = _same) -> Iterator[TextIO]:
    """Close ``handle`` when the block ends. Closing writes what is still buffered, and on
    a full disk fails again: after an error that failure is dropped (the first error says
    what happened), else it goes through ``fail``."""
    try:
        yield handle
    except BaseException:
        with contextlib.suppress(OSError):
            handle.close()
        raise
    try:
        handle.close()
    except OSError as exc:
        raise fail(exc) from None


def write_atomic(path: Path, text: str, fail: Fail = _same, *, sync: bool = True) -> None:
    """Write ``text`` so that ``path`` holds either the old content or the new, never half."""
    with replacing(path, fail, sync=sync) as handle:
        try:
            handle.write(text)
        except OSError as exc:
            raise fail(exc) from None
