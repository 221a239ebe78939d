"""``command``: any program that reads an article on stdin and writes its paraphrase to stdout.

The program is started from an argument list, never through a shell, so
nothing in a config is ever interpreted by one.
"""

from __future__ import annotations

import os
import subprocess
from typing import Any

from bench.data.article import Article
from bench.errors import BenchError
from bench.process import die_with_parent
from bench.specs import SystemSpec
from bench.systems.base import System, SystemFailure

_TAIL = 300


class CommandSystem(System):
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
        env = {**os.environ, **self.env} if self.env else None
        try:
            done = subprocess.run(
                self.argv,
                input=article.text.encode("utf-8"),
                capture_output=True,
                timeout=self.timeout,
                cwd=self.cwd,
                env=env,
                check=False,
                preexec_fn=die_with_parent,
            )
        except subprocess.TimeoutExpired:
            raise SystemFailure(f"timed out after {self.timeout:g} s") from None
        except OSError as exc:
            raise SystemFailure(f"cannot start {self.argv[0]!r}: {exc.strerror}") from None
        if done.returncode != 0:
            stderr = done.stderr.decode("utf-8", "replace").strip()[-_TAIL:]
            raise SystemFailure(f"exited with code {done.returncode}: {stderr}")
        try:
            return done.stdout.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SystemFailure(f"output is not UTF-8 (offset {exc.start})") from None

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "argv": self.argv, "timeout": self.timeout}
