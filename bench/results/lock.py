"""One process at a time in a run folder: an OS lock on ``<run>/.lock``.

Two ``bench run --resume`` of one folder at once would both paraphrase the
missing articles (paying twice, and journaling more lines than articles).
``fcntl.flock`` on a lock file inside the folder prevents it: the kernel
releases the lock when its process ends, however it ends, so a killed run can
be resumed at once, and no stale lock file ever needs removing. The file holds
the holder's pid, for the error the second process prints.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.errors import BenchError, RunFailure

LOCK = ".lock"


@contextmanager
def holding(run_dir: Path) -> Iterator[None]:
    """Hold ``run_dir`` for the block; RunFailure naming the holder if another process does."""
    path = run_dir / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)  # not inherited by children
    except OSError as exc:
        raise BenchError(
            f"cannot write in the run folder ({exc.strerror}); a run folder must be writable",
            path=run_dir,
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            raise RunFailure(
                f"run folder is in use by another bench process (pid {holder}); "
                "wait for it to finish, or stop it, then resume",
                path=run_dir,
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _holder(fd: int) -> str:
    """The pid in the lock file; the holder writes it just after taking the lock, so a
    pid that is not running (the last holder's) is read again after a moment."""
    for _ in range(20):
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        if text.isdigit() and Path(f"/proc/{text}").exists():
            return text
        time.sleep(0.01)
    return text or "unknown"


def sweep_temporary(run_dir: Path) -> int:
    """Remove the ``.*.tmp`` files a run stopped by a crash left behind; how many there were.

    Only called while holding the folder: no other process can be writing them.
    """
    removed = 0
    for tmp in run_dir.rglob(".*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            continue
        removed += 1
    return removed
