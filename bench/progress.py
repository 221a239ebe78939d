"""A one-line progress bar on stderr, silent unless stdout and stderr are terminals (CI logs)."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, label: str, total: int, *, every: float = 0.2) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.every = every
        self._last = 0.0
        self._live = total > 0 and sys.stdout.isatty() and sys.stderr.isatty()

    def advance(self) -> None:
        self.done += 1
        now = time.monotonic()
        if self._live and (now - self._last >= self.every or self.done == self.total):
            self._last = now
            width = 30
            filled = width * self.done // self.total
            bar = "#" * filled + "-" * (width - filled)
            sys.stderr.write(f"\r{self.label} [{bar}] {self.done}/{self.total}")
            sys.stderr.flush()

    def close(self) -> None:
        if self._live:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
