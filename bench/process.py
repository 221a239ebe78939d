"""Child processes that cannot outlive the run that started them."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from pathlib import Path

_PR_SET_PDEATHSIG = 1
RUN_PID = "SPINBENCH_RUN_PID"
"""Set by a run before it starts worker processes: the pid their fork server must outlive."""

_server: int | None = None
"""In a fork server: its own pid, which the workers it forks check their parent against."""


def die_with_parent(parent: int | None = None) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux; elsewhere a no-op).

    Called in paraphraser commands before exec, and in the fork server and
    every worker process, so that a run killed with SIGKILL leaves nothing
    running, or writing, behind it. ``parent``, when known, closes the race of
    a parent that died before the request was made: then this process exits now.
    """
    if sys.platform != "linux":
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def start_fork_server() -> None:
    """In the fork server: die with the run (whose pid the run left in the environment)."""
    global _server
    run = os.environ.get(RUN_PID, "")
    die_with_parent(int(run) if run.isdigit() else None)
    _server = os.getpid()


def start_worker() -> None:
    """In each worker (the pool's initializer): die with the fork server it was forked from."""
    die_with_parent(_server)


def descendants(root: int) -> set[int]:
    """Every process below ``root``, read from /proc (Linux; elsewhere none): what a run
    started, for checking that it leaves nothing behind and for measuring its memory."""
    parents: dict[int, int] = {}
    proc = Path("/proc")
    if not proc.is_dir():
        return set()
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except (OSError, IndexError, ValueError):
                continue
    found, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in found and pid not in found:
                found.add(pid)
                grew = True
    return found - {root}
