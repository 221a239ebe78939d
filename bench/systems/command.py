"""``command``: any program that reads an article on stdin and writes its paraphrase to stdout.

The program is started from an argument list, never through a shell, so
nothing in a config is ever interpreted by one. It runs in a process group of
its own: the paraphrase is what it wrote by the time it exited (a background
child that keeps stdout open does not hold the article up), and when it exits
or times out the whole group is ended, so no child outlives the article.
Its output is read up to the system's output limit (see
:meth:`bench.systems.base.System.output_limit`); beyond that it is stopped.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import time
from typing import IO, Any

from bench.data.article import Article
from bench.errors import BenchError
from bench.process import die_with_parent
from bench.specs import SystemSpec
from bench.systems.base import System, SystemFailure

_TAIL = 300
_BLOCK = 65536
_DRAIN = 1.0
"""Seconds to read what is left in the pipes once the group has been ended."""


def exit_reason(code: int) -> str:
    """A non-zero exit status in words: the code, or the signal that killed the program."""
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with code {code}"


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the program's process group (itself and every child it left behind)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


class _Exchange:
    """Feed the article to stdin and collect stdout and stderr, without blocking on any."""

    def __init__(self, process: subprocess.Popen[bytes], data: bytes) -> None:
        assert process.stdin and process.stdout and process.stderr
        self.out = bytearray()
        self.err = bytearray()
        self._stdin = process.stdin
        self._data = memoryview(data)
        self._selector = selectors.DefaultSelector()
        self._targets = {process.stdout: self.out, process.stderr: self.err}
        for pipe in self._targets:
            self._selector.register(pipe, selectors.EVENT_READ)
        os.set_blocking(self._stdin.fileno(), False)
        if data:
            self._selector.register(self._stdin, selectors.EVENT_WRITE)
        else:
            self._stdin.close()

    @property
    def reading(self) -> bool:
        """True while stdout or stderr may still bring data."""
        return any(key.fileobj in self._targets for key in self._selector.get_map().values())

    def step(self, timeout: float) -> None:
        """Move whatever the pipes allow within ``timeout`` seconds."""
        for key, _ in self._selector.select(timeout):
            pipe: IO[bytes] = key.fileobj  # type: ignore[assignment]
            if pipe is self._stdin:
                self._write()
                continue
            chunk = os.read(pipe.fileno(), _BLOCK)
            if not chunk:
                self._selector.unregister(pipe)
                continue
            buffer = self._targets[pipe]
            buffer += chunk
            if buffer is self.err and len(buffer) > 4 * _TAIL:
                del buffer[: -4 * _TAIL]

    def _write(self) -> None:
        try:
            written = os.write(self._stdin.fileno(), self._data[:_BLOCK])
        except BlockingIOError:
            return  # the pipe filled up again: try on the next step
        except BrokenPipeError:
            written = len(self._data)  # the program stopped reading: it has all it wanted
        self._data = self._data[written:]
        if not self._data:
            self._selector.unregister(self._stdin)
            self._stdin.close()

    def close(self) -> None:
        self._selector.close()
        if not self._stdin.closed:
            self._stdin.close()


class CommandSystem(System):
    """Any program as a paraphraser: it gets one article on stdin and writes its paraphrase
    to stdout, once per article, so it can be written in any language."""

    type_name = "command"
    summary = "runs a program: article on stdin, paraphrase on stdout (options: argv, timeout, cwd)"

    def __init__(
        self,
        spec: SystemSpec,
        *,
        argv: list[str],
        timeout: float = 60.0,
        cwd: str | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        super().__init__(spec)
        if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
            raise BenchError(f"system {spec.name!r}: 'argv' must be a non-empty list of strings")
        if not isinstance(timeout, int | float) or timeout <= 0:
            raise BenchError(f"system {spec.name!r}: 'timeout' must be a positive number")
        self.argv = argv
        self.timeout = float(timeout)
        self.cwd = cwd
        self.env = env

    def paraphrase(self, article: Article) -> str:
        """Run the program on one article. It fails the article, with the reason, when it
        cannot start, runs past ``timeout``, writes more than the output limit, exits
        with an error (its stderr's end is kept) or writes something that is not UTF-8.
        The program and anything it started are ended in every case."""
        env = {**os.environ, **self.env} if self.env else None
        try:
            process = subprocess.Popen(
                self.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=self.cwd,
                env=env,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        except OSError as exc:
            raise SystemFailure(f"cannot start {self.argv[0]!r}: {exc.strerror}") from None
        limit = self.output_limit(article)
        exchange = _Exchange(process, article.text.encode("utf-8"))
        try:
            deadline = time.monotonic() + self.timeout
            while process.poll() is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SystemFailure(f"timed out after {self.timeout:g} s")
                if exchange.reading:
                    exchange.step(min(left, 0.05))
                else:  # both pipes closed: nothing to do but wait for the exit
                    try:
                        process.wait(timeout=left)
                    except subprocess.TimeoutExpired:
                        continue
                if len(exchange.out) > limit:
                    raise SystemFailure(self.too_long(limit))
            _end_group(process)
            drain_until = time.monotonic() + _DRAIN
            while exchange.reading and time.monotonic() < drain_until:
                exchange.step(0.05)
        finally:
            _end_group(process)
            exchange.close()
            for pipe in (process.stdout, process.stderr):
                if pipe is not None:
                    pipe.close()
        if len(exchange.out) > limit:
            raise SystemFailure(self.too_long(limit))
        if process.returncode != 0:
            stderr = exchange.err.decode("utf-8", "replace").strip()[-_TAIL:]
            raise SystemFailure(f"{exit_reason(process.returncode)}: {stderr}")
        try:
            return exchange.out.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SystemFailure(f"output is not UTF-8 (offset {exc.start})") from None

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "argv": self.argv, "timeout": self.timeout}
