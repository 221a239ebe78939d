"""Reading plain data (parsed JSON or TOML) into the typed classes, with pydantic.

The run configuration and the results schema are plain dataclasses whose fields
carry their types and limits; pydantic checks data against them when it is read
(``validate``), and their JSON Schema comes from the same classes. Its errors are
long and list every problem; ``describe`` turns the first into one line naming
the key and what was expected, as every spinbench error does.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import ConfigDict, GetPydanticSchema, TypeAdapter, ValidationError, WithJsonSchema
from pydantic_core import core_schema

STRICT = ConfigDict(extra="forbid", use_attribute_docstrings=True)
"""How stored records are read: no unknown key; attribute docstrings describe the keys."""

_T = TypeVar("_T")


Number = Annotated[
    int | float,
    GetPydanticSchema(
        lambda _type, _handler: core_schema.union_schema(
            [core_schema.int_schema(strict=True), core_schema.float_schema(strict=True)],
            custom_error_type="number_type",
            custom_error_message="Input should be a valid number",
        )
    ),
    WithJsonSchema({"type": "number"}),
]
"""An integer or a float, kept as it is (a count stays an integer); not a boolean, nor a
number written as a string. Written out because pydantic's own ``int | float`` names the
union member that failed in its errors (``min.int``)."""


def validate(adapter: TypeAdapter[_T], data: Any) -> _T:
    """``data`` as the adapter's type, or ValueError naming the first wrong key."""
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise ValueError(describe(exc)) from None


def describe(error: ValidationError) -> str:
    """Pydantic's first error in one line: which key, and what was expected."""
    first = error.errors()[0]
    key = repr(key_path(first["loc"]))
    if first["type"] == "missing":
        return f"missing key {key}"
    if first["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
        return f"unknown key {key}"
    message = first["msg"][0].lower() + first["msg"][1:]
    return f"{key}: {message}" if first["loc"] else message


def key_path(loc: tuple[int | str, ...]) -> str:
    """``("datasets", 0, "articles")`` as ``datasets[0].articles``."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")
