"""A progress bar on stderr (rich's), silent unless stdout and stderr are terminals.

A run piped to a file or collected by CI shows no bar, so its logs hold only
what the run reports. In a terminal the bar is drawn on stderr, redrawn at
most every ``every`` seconds (not from a thread of its own, so nothing runs
beside the worker processes), and wiped when the work is done.
"""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bar


class Progress:
    """Counts ``total`` steps under ``label``; ``advance`` after each, ``close`` at the end."""

    def __init__(self, label: str, total: int, *, every: float = 0.2) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.every = every
        self._last = 0.0
        self._bar: Bar | None = None
        if total > 0 and sys.stdout.isatty() and sys.stderr.isatty():
            self._bar = Bar(
                TextColumn("{task.description}", markup=False),  # "[news] ...": not markup
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=sys.stderr),
                auto_refresh=False,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._task = self._bar.add_task(label, total=total)
            self._bar.start()

    def advance(self) -> None:
        self.done += 1
        if self._bar is None:
            return
        now = time.monotonic()
        self._bar.advance(self._task)
        if now - self._last >= self.every or self.done == self.total:
            self._last = now
            self._bar.refresh()

    def close(self) -> None:
        """Wipe the bar (and give the cursor back); closing twice is harmless."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
