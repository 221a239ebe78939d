"""One typed run configuration, read from bench.toml or ``[tool.bench]`` and overridden by flags.

The file format (every key optional)::

    datasets = ["news", {path = "my.csv", name = "mine", id_field = "doc_id", text_field = "body"}]
    systems = ["identity", {name = "rev", type = "command", argv = ["rev"], timeout = 30}]
    metrics = ["bleu", {name = "chrf", word_order = 2}]
    output_dir = "results"
    seed = 12345
    bundled_outputs = true   # also run the precomputed systems a dataset ships

Relative paths in a file are relative to that file's folder; on the command
line, to the working directory. A flag given on the command line replaces the
file's value for that key.
"""

from __future__ import annotations

import json
import shlex
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError

from bench.errors import BenchError
from bench.names import check_safe_name, did_you_mean, lookup
from bench.specs import DEFAULT_SEED, MAX_BOOTSTRAP
from bench.specs import DatasetSpec as DatasetSpec
from bench.specs import MetricSpec as MetricSpec
from bench.specs import SystemSpec as SystemSpec
from bench.validation import STRICT, Number, describe, validate

CONFIG_FILE = "bench.toml"
DEFAULT_DATASET = "news"
DEFAULT_METRICS = (
    "ranking", "bleu", "chrf", "entities", "quantities", "meaning", "artefacts", "pinc",
    "edit_distance",
)  # fmt: skip


@dataclass(frozen=True)
class GateSpec:
    """A CI gate: a floor (``min`` for higher-is-better metrics, ``max`` for lower) and/or a
    largest allowed regression against the baseline run, which fails only when the drop
    is also statistically significant. ``system`` and ``dataset`` narrow it (default: all
    contestants of all datasets)."""

    __pydantic_config__ = STRICT

    metric: str
    """The metric's column key."""
    system: str | None = None
    """Only this system (default: every contestant)."""
    dataset: str | None = None
    """Only this dataset (default: every dataset)."""
    min: Number | None = None
    """The lowest score allowed (for a higher-is-better metric)."""
    max: Number | None = None
    """The highest score allowed (for a lower-is-better metric)."""
    max_regression: Number | None = None
    """The largest significant drop allowed against the baseline run."""

    def describe(self) -> str:
        parts = [self.metric]
        if self.min is not None:
            parts.append(f">= {self.min:g}")
        if self.max is not None:
            parts.append(f"<= {self.max:g}")
        if self.max_regression is not None:
            parts.append(f"drops at most {self.max_regression:g} vs baseline")
        return " ".join(parts)


@dataclass(frozen=True)
class RunConfig:
    """Everything a run needs to be repeated: the manifest stores it (``to_json``), and
    ``bench run --resume`` reruns exactly it. The limits on each field are checked by
    pydantic when a config file, the flags or a stored manifest are read."""

    __pydantic_config__ = STRICT

    datasets: tuple[DatasetSpec, ...] = (DatasetSpec(DEFAULT_DATASET),)
    systems: tuple[SystemSpec, ...] = (SystemSpec("identity", "identity"),)
    metrics: tuple[MetricSpec, ...] = tuple(MetricSpec(m) for m in DEFAULT_METRICS)
    output_dir: Path = Path("results")
    """Where runs are written (each in a folder named by its run id)."""
    seed: Annotated[int, Field(strict=True, ge=0)] = DEFAULT_SEED
    """Seed of every random choice (systems, corruptions, resampling)."""
    bundled_outputs: Annotated[bool, Field(strict=True)] = True
    """Also run the precomputed systems a dataset ships."""
    run_id: str | None = None
    """The run's folder name (default: the start time and a digest of the config)."""
    bootstrap: Annotated[int, Field(strict=True, ge=0, le=MAX_BOOTSTRAP)] = 1000
    """Bootstrap resamples for intervals and paired tests (0: no uncertainty)."""
    test: Literal["bootstrap", "ar"] = "bootstrap"
    """Paired test: ``bootstrap`` or ``ar`` (approximate randomisation)."""
    alpha: Annotated[float, Field(strict=True, gt=0, lt=1)] = 0.05
    """Significance level of the paired tests."""
    gates: tuple[GateSpec, ...] = ()
    """CI gates checked when the run ends (see docs/ci.md)."""
    baseline: Path | None = None
    """A stored run to compare with, for ``max_regression`` gates."""

    def to_json(self) -> dict[str, Any]:
        """The config as JSON data (paths as strings), as the manifest stores it."""
        data: dict[str, Any] = _CONFIG.dump_python(self, mode="json")
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunConfig:
        """A stored config; ValueError naming the first wrong key. A run stored before
        uncertainty existed has no "bootstrap" key: it had none, so 0."""
        return validate(_CONFIG, {"bootstrap": 0, **data})


_CONFIG = TypeAdapter(RunConfig)
_GATE = TypeAdapter(GateSpec)
_FILE_KEYS = {f.name for f in fields(RunConfig)}
_EXPECTED = {
    "seed": "a non-negative integer",
    "bundled_outputs": "true or false",
    "bootstrap": f"an integer from 0 to {MAX_BOOTSTRAP}",
    "test": '"bootstrap" or "ar"',
    "alpha": "a number between 0 and 1",
}
"""What the settings that need no parsing must be, in the words of their error."""


def parse_dataset(value: Any, base: Path, origin: Path | None) -> DatasetSpec:
    if isinstance(value, str):
        return DatasetSpec(_maybe_path(value, base))
    if not isinstance(value, dict):
        raise BenchError("a dataset must be a name, a path or a table", path=origin)
    known = {"path", "hf", "name", "id_field", "text_field", "title_field", "split", "subset"}
    _reject_unknown(value, known, "dataset", origin)
    for key, item in value.items():
        if not isinstance(item, str):
            raise BenchError(f"dataset key {key!r} must be a string", path=origin)
    if ("path" in value) == ("hf" in value):
        raise BenchError('a dataset table needs exactly one of "path" or "hf"', path=origin)
    is_hf = "hf" in value
    source = str(value["hf"]) if is_hf else _maybe_path(str(value["path"]), base)
    if is_hf and (base / source).exists():
        source = str(base / source)
    options = {k: v for k, v in value.items() if k not in ("path", "hf")}
    return DatasetSpec(source=source, hf=is_hf, **options)


def parse_system(value: Any, base: Path, origin: Path | None) -> SystemSpec:
    """A system from a config entry; its relative paths are anchored at ``base``."""
    if isinstance(value, str):
        spec = parse_system_flag(value)
    elif isinstance(value, dict) and ("type" in value or "name" in value):
        for key in ("name", "type"):
            if key in value and not isinstance(value[key], str):
                raise BenchError(f"system key {key!r} must be a string", path=origin)
        options = {k: v for k, v in value.items() if k not in ("name", "type")}
        type_ = str(value.get("type", value.get("name")))
        name = str(value.get("name", type_))
        spec = SystemSpec(check_safe_name("system", name), type_, options)
    else:
        raise BenchError('a system must be a name or a table with "name" and "type"', path=origin)
    return _anchor_paths(spec, base)


_PATH_OPTIONS = ("path", "cwd")
"""System options that name files or folders: relative to the config that sets them."""


def _anchor_paths(spec: SystemSpec, base: Path) -> SystemSpec:
    options = dict(spec.options)
    for key in _PATH_OPTIONS:
        value = options.get(key)
        if isinstance(value, str) and not Path(value).is_absolute():
            options[key] = str(base / value)
    return replace(spec, options=options)


def parse_system_flag(text: str) -> SystemSpec:
    """``TYPE``, ``NAME=TYPE`` or ``NAME=TYPE:ARG``.

    ARG is the file for ``outputs``, the command line for ``command``, and
    ``KEY=VALUE,...`` options for every other type.
    """
    name, _, rest = text.partition("=")
    if not rest:
        name, rest = text.split(":", 1)[0], text
    type_, _, arg = rest.partition(":")
    options: dict[str, Any] = {}
    if arg:
        from bench.systems import system_types  # imported when needed: it loads every type

        lookup("system type", type_, system_types())
        if type_ == "outputs":
            options["path"] = arg
        elif type_ == "command":
            try:
                options["argv"] = shlex.split(arg)
            except ValueError as exc:
                raise BenchError(
                    f"system {name!r}: cannot split command line {arg!r}: {exc}"
                ) from None
        else:
            options = _flag_options(name, arg)
    return SystemSpec(check_safe_name("system", name), type_, options)


def _flag_options(name: str, text: str, what: str = "system") -> dict[str, Any]:
    """'mode=careful,rate=0.3' -> {"mode": "careful", "rate": 0.3} (JSON values if they parse)."""
    example = f"{name}=spinner:mode=careful,rate=0.3" if what == "system" else f"{name}:key=value"
    options: dict[str, Any] = {}
    for part in text.split(","):
        key, sep, raw = part.partition("=")
        if not sep or not key.strip():
            raise BenchError(
                f"{what} {name!r}: expected KEY=VALUE options after ':', e.g. "
                f"'{example}', not {part!r}"
            )
        try:
            options[key.strip()] = json.loads(raw)
        except ValueError:
            options[key.strip()] = raw
    return options


def parse_gate(value: Any, origin: Path | None) -> GateSpec:
    if not isinstance(value, dict) or not isinstance(value.get("metric"), str):
        raise BenchError('a gate must be a table with a "metric"', path=origin)
    _reject_unknown(value, {f.name for f in fields(GateSpec)}, "gate", origin)
    try:
        gate = _GATE.validate_python(value)
    except ValidationError as exc:
        raise BenchError(f"gate {value['metric']!r}: {describe(exc)}", path=origin) from None
    if gate.min is None and gate.max is None and gate.max_regression is None:
        raise BenchError(
            f"gate {gate.metric!r} needs one of min, max or max_regression", path=origin
        )
    return gate


def parse_metric(value: Any, origin: Path | None) -> MetricSpec:
    """A name, ``NAME:KEY=VALUE,...`` (the ``-m`` flag), or a table with a "name"."""
    if isinstance(value, str):
        name, sep, arg = value.partition(":")
        return MetricSpec(name, _flag_options(name, arg, "metric") if sep else {})
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return MetricSpec(value["name"], {k: v for k, v in value.items() if k != "name"})
    raise BenchError('a metric must be a name or a table with a "name"', path=origin)


def _maybe_path(value: str, base: Path) -> str:
    """Names of bundled datasets stay names; anything that looks like a path is anchored."""
    if "/" in value or "\\" in value or "." in Path(value).name or (base / value).exists():
        return str(base / value) if not Path(value).is_absolute() else value
    return value


def _reject_unknown(table: dict[str, Any], known: set[str], what: str, origin: Path | None) -> None:
    for key in table:
        if key not in known:
            raise BenchError(f"unknown {what} key {key!r}{did_you_mean(key, known)}", path=origin)


def find_config_file(directory: Path) -> Path | None:
    """bench.toml in ``directory``, else its pyproject.toml when it has a [tool.bench] table."""
    candidate = directory / CONFIG_FILE
    if candidate.is_file():
        return candidate
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file() and "bench" in _read_toml(pyproject).get("tool", {}):
        return pyproject
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's table; a UTF-8 BOM (which tomllib refuses) is dropped, like every reader's."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BenchError("config file not found", path=path) from None
    except OSError as exc:
        raise BenchError(f"cannot read config file: {exc.strerror}", path=path) from None
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise BenchError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path=path,
            line=data[: exc.start].count(b"\n") + 1,
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise BenchError(f"malformed TOML: {exc}", path=path) from None
    except ValueError:  # tomllib converts integers of any length
        raise BenchError("malformed TOML: a number with too many digits", path=path) from None
    except RecursionError:
        raise BenchError("malformed TOML: nested too deeply", path=path) from None


def read_config_file(path: Path) -> dict[str, Any]:
    """The settings table of a bench.toml or a pyproject.toml's [tool.bench], parsed."""
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("bench")
        if data is None:
            raise BenchError("no [tool.bench] table", path=path)
    return parse_settings(data, path.parent, path)


def parse_settings(data: dict[str, Any], base: Path, origin: Path | None) -> dict[str, Any]:
    """Validate raw settings (from a file or flags) into RunConfig keyword arguments."""
    try:
        return _parse_settings(data, base, origin)
    except BenchError as exc:
        if exc.path is not None or origin is None:
            raise
        # A name checked deep inside (a system's, the run id) is still the file's problem.
        raise BenchError(exc.message, path=origin) from None


def _parse_settings(data: dict[str, Any], base: Path, origin: Path | None) -> dict[str, Any]:
    _reject_unknown(data, _FILE_KEYS, "setting", origin)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("datasets", "systems", "metrics"):
            if not isinstance(value, list) or not value:
                raise BenchError(f"{key!r} must be a non-empty list", path=origin)
            if key == "datasets":
                out[key] = tuple(parse_dataset(v, base, origin) for v in value)
            elif key == "systems":
                out[key] = tuple(parse_system(v, base, origin) for v in value)
            else:
                out[key] = tuple(parse_metric(v, origin) for v in value)
        elif key in ("output_dir", "baseline"):
            if not isinstance(value, str | Path):
                raise BenchError(f"{key!r} must be a path (a string)", path=origin)
            out[key] = base / value
        elif key == "run_id":
            out[key] = check_safe_name("run", str(value))
        elif key in _EXPECTED:
            out[key] = value
        elif key == "gates":
            if not isinstance(value, list):
                raise BenchError("'gates' must be a list of tables", path=origin)
            out[key] = tuple(parse_gate(g, origin) for g in value)
    # The plain settings are checked against RunConfig's limits; the first wrong one is
    # named in the words of _EXPECTED, with its value as the file spells it.
    try:
        _CONFIG.validate_python({k: v for k, v in out.items() if k in _EXPECTED})
    except ValidationError as exc:
        key = str(exc.errors()[0]["loc"][0])
        shown = json.dumps(data[key], default=str)
        raise BenchError(f"{key!r} must be {_EXPECTED[key]}, not {shown}", path=origin) from None
    _check_unique(out.get("systems", ()), "system", origin)
    return out


def _check_unique(specs: tuple[SystemSpec, ...], what: str, origin: Path | None) -> None:
    seen: set[str] = set()
    for spec in specs:
        if spec.name in seen:
            raise BenchError(f"two {what}s are named {spec.name!r}", path=origin)
        seen.add(spec.name)


def resolve_config(
    config_file: Path | None,
    overrides: dict[str, Any],
    *,
    cwd: Path | None = None,
) -> RunConfig:
    """The run configuration: defaults, then the config file, then ``overrides`` (flags).

    Without ``config_file``, bench.toml or pyproject.toml's [tool.bench] in
    ``cwd`` is used when present.
    """
    cwd = cwd or Path.cwd()
    path = config_file or find_config_file(cwd)
    settings = read_config_file(path) if path else {}
    settings.update(parse_settings(overrides, cwd, None))
    return replace(RunConfig(), **settings)
