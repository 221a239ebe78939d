"""What a run is made of: datasets, systems and metrics as plain specs, and the run defaults.

These classes say *what* to load, build or compute, never how, so every other
module can import them: this one imports nothing from bench, which keeps the
configuration, the systems and the data readers free of import cycles.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict

_READ = ConfigDict(extra="forbid", use_attribute_docstrings=True)
"""How pydantic reads a spec from a stored run (``RunConfig.from_json``): no unknown key."""

DEFAULT_SEED = 12345
"""Seed of everything random (systems, corruptions, resampling) unless one is given."""
MAX_BOOTSTRAP = 100_000
"""Most bootstrap resamples a run or a command accepts."""


class PairedTest(StrEnum):
    """How two systems are compared article by article."""

    bootstrap = "bootstrap"
    ar = "ar"
    """Approximate randomisation."""


@dataclass(frozen=True)
class DatasetSpec:
    """A bundled dataset by name, a dataset folder, a user's file, or a Hugging Face dataset."""

    __pydantic_config__ = _READ

    source: str
    """A bundled dataset's name, a path, or a Hugging Face dataset id (with ``hf``)."""
    name: str | None = None
    """Its name in tables (default: from the source)."""
    id_field: str = "id"
    text_field: str = "text"
    title_field: str = "title"
    hf: bool = False
    """``source`` is a Hugging Face dataset."""
    split: str | None = None
    subset: str | None = None


@dataclass(frozen=True)
class SystemSpec:
    """A paraphraser: its name on the leaderboard, its type, and the type's options."""

    __pydantic_config__ = _READ

    name: str
    """Its row name on the leaderboard."""
    type: str
    """A registered system type, e.g. ``identity``, ``outputs``, ``command``, ``spinner``."""
    options: dict[str, Any] = field(default_factory=dict)
    """The type's options, e.g. ``argv`` and ``timeout`` for ``command``."""

    @property
    def spec_hash(self) -> str:
        """A short content hash of the spec: same spec, same hash."""
        payload = json.dumps(
            {"type": self.type, "options": self.options}, sort_keys=True, default=str
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class MetricSpec:
    """A metric by registry name, with options that override its defaults."""

    __pydantic_config__ = _READ

    name: str
    """The metric's registry name."""
    options: dict[str, Any] = field(default_factory=dict)
    """Options that override its defaults."""

    @property
    def key(self) -> str:
        """Column key on the leaderboard: the name, plus options when there are any."""
        if not self.options:
            return self.name
        extra = ",".join(f"{k}={v}" for k, v in sorted(self.options.items()))
        return f"{self.name}[{extra}]"
