"""The type of a decoded JSON value, as ``APIStatusError.body`` holds it."""

from __future__ import annotations

from typing import TypeAlias

__all__ = ["JSONValue"]

# Recursive alias: mypy narrows it with ``isinstance`` (``dict`` -> ``dict[str, JSONValue]``),
# so a caller can read any part of a body without ``cast``. A body that is not JSON is kept as
# its text (a ``str``), which is also a ``JSONValue``.
JSONValue: TypeAlias = dict[str, "JSONValue"] | list["JSONValue"] | str | int | float | bool | None
