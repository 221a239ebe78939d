"""Paraphrasers ("systems") and the registry that builds them from specs.

Third-party paraphrasers register through the ``spinbench.systems`` entry
point group; in their package's pyproject.toml::

    [project.entry-points."spinbench.systems"]
    my-rewriter = "my_package.module:MyRewriter"

where ``MyRewriter`` subclasses :class:`bench.systems.base.System` (set
``type_name``, ``summary``; take options as keyword-only arguments; implement
``paraphrase``). Once the package is installed, ``type = "my-rewriter"`` works
in configs and ``-s mine=my-rewriter`` on the command line.
"""

from __future__ import annotations

import inspect
from importlib.metadata import entry_points

from bench.data.dataset import Dataset
from bench.errors import BenchError
from bench.names import did_you_mean, lookup
from bench.specs import SystemSpec
from bench.systems.base import OUTPUT_RATIO, System, SystemFailure
from bench.systems.command import CommandSystem
from bench.systems.corruptions import CORRUPTIONS
from bench.systems.identity import IdentitySystem
from bench.systems.openai import OpenAISystem
from bench.systems.outputs import OutputsSystem
from bench.systems.roundtrip import RoundTripSystem
from bench.systems.spinner import SpinnerSystem

__all__ = [
    "ENTRY_POINT_GROUP",
    "SYSTEM_TYPES",
    "System",
    "SystemFailure",
    "build_system",
    "system_types",
    "systems_for",
]

_BUILT_IN: tuple[type[System], ...] = (
    IdentitySystem, OutputsSystem, CommandSystem, OpenAISystem, SpinnerSystem, RoundTripSystem,
    *CORRUPTIONS,
)  # fmt: skip
SYSTEM_TYPES: dict[str, type[System]] = {cls.type_name: cls for cls in _BUILT_IN}
ENTRY_POINT_GROUP = "spinbench.systems"


def _load_plugins() -> tuple[dict[str, type[System]], dict[str, str]]:
    """Installed plugins' system types, and why each broken one could not be used."""
    loaded: dict[str, type[System]] = {}
    broken: dict[str, str] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name in SYSTEM_TYPES:
            continue  # built-ins win
        try:
            cls = entry.load()
        except Exception as exc:  # a broken plugin must not break the other systems
            broken[entry.name] = f"plugin {entry.value!r} failed to load: {exc}"
            continue
        if isinstance(cls, type) and issubclass(cls, System):
            loaded[entry.name] = cls
        else:
            broken[entry.name] = f"plugin {entry.value!r} is not a bench.systems.System"
    return loaded, broken


def system_types() -> dict[str, type[System]]:
    """Built-in system types plus those that installed plugins register."""
    return {**SYSTEM_TYPES, **_load_plugins()[0]}


def build_system(spec: SystemSpec) -> System:
    """A system from its spec; unknown types and options get "did you mean"."""
    plugins, broken = _load_plugins()
    if spec.type in broken:
        raise BenchError(f"system {spec.name!r}: {broken[spec.type]}")
    cls = lookup("system type", spec.type, {**SYSTEM_TYPES, **plugins})
    options = dict(spec.options)
    ratio = options.pop("max_output_ratio", OUTPUT_RATIO)
    if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not ratio > 0:
        raise BenchError(f"system {spec.name!r}: 'max_output_ratio' must be a positive number")
    parameters = inspect.signature(cls.__init__).parameters
    accepted = {n for n, p in parameters.items() if p.kind is p.KEYWORD_ONLY}
    for option in options:
        if option not in accepted:
            raise BenchError(
                f"system {spec.name!r} ({spec.type}): unknown option {option!r}"
                f"{did_you_mean(option, accepted)}"
            )
    required = {n for n in accepted if parameters[n].default is inspect.Parameter.empty}
    missing = sorted(required - set(options))
    if missing:
        raise BenchError(f"system {spec.name!r} ({spec.type}): missing option(s) {missing}")
    system = cls(spec, **options)
    system.max_output_ratio = float(ratio)
    return system


def systems_for(dataset: Dataset, specs: tuple[SystemSpec, ...], *, bundled: bool) -> list[System]:
    """The configured systems, plus the dataset's precomputed ones when ``bundled``
    (a configured system may not take a bundled one's name: it would silently replace it)."""
    systems = [build_system(spec) for spec in specs]
    if bundled:
        for name, entry in dataset.systems.items():
            if any(s.name == name for s in systems):
                raise BenchError(
                    f"system {name!r} has the name of a system that dataset {dataset.name!r} "
                    "ships; rename yours, or leave the bundled ones out with "
                    "--no-bundled-outputs (bundled_outputs = false in a config)"
                )
            systems.append(build_system(SystemSpec(name, "outputs", {"path": str(entry.file)})))
    for system in systems:
        system.prepare(dataset)
    return systems
