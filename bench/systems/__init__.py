"""Paraphrasers ("systems") and the registry that builds them from specs."""

from __future__ import annotations

import inspect

from bench.config import SystemSpec
from bench.data.dataset import Dataset
from bench.errors import BenchError
from bench.names import did_you_mean, lookup
from bench.systems.base import System, SystemFailure
from bench.systems.command import CommandSystem
from bench.systems.corruptions import CORRUPTIONS
from bench.systems.identity import IdentitySystem
from bench.systems.openai import OpenAISystem
from bench.systems.outputs import OutputsSystem

__all__ = ["SYSTEM_TYPES", "System", "SystemFailure", "build_system", "systems_for"]

_BUILT_IN: tuple[type[System], ...] = (
    IdentitySystem, OutputsSystem, CommandSystem, OpenAISystem, *CORRUPTIONS,
)  # fmt: skip
SYSTEM_TYPES: dict[str, type[System]] = {cls.type_name: cls for cls in _BUILT_IN}


def build_system(spec: SystemSpec) -> System:
    """A system from its spec; unknown types and options get "did you mean"."""
    cls = lookup("system type", spec.type, SYSTEM_TYPES)
    parameters = inspect.signature(cls.__init__).parameters
    accepted = {n for n, p in parameters.items() if p.kind is p.KEYWORD_ONLY}
    for option in spec.options:
        if option not in accepted:
            raise BenchError(
                f"system {spec.name!r} ({spec.type}): unknown option {option!r}"
                f"{did_you_mean(option, accepted)}"
            )
    required = {n for n in accepted if parameters[n].default is inspect.Parameter.empty}
    missing = sorted(required - set(spec.options))
    if missing:
        raise BenchError(f"system {spec.name!r} ({spec.type}): missing option(s) {missing}")
    return cls(spec, **spec.options)


def systems_for(dataset: Dataset, specs: tuple[SystemSpec, ...], *, bundled: bool) -> list[System]:
    """The configured systems, plus the dataset's precomputed ones when ``bundled``."""
    systems = [build_system(spec) for spec in specs]
    if bundled:
        taken = {s.name for s in systems}
        for name, entry in dataset.systems.items():
            if name not in taken:
                systems.append(build_system(SystemSpec(name, "outputs", {"path": str(entry.file)})))
    for system in systems:
        system.prepare(dataset)
    return systems
