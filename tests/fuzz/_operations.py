"""The API document's operations, mapped to their generated modules with valid call arguments.

Every operation in ``openapi/spheron-api.yaml`` becomes an :class:`Operation`: its generated module
``spheron_api_client.api.<tag_snake>.<operation_snake>``, keyword arguments built from the
parameter schemas and a request body made by the body model's ``from_dict`` of a minimal valid
example, and the (resolved) schema of its successful answer, which the body strategies mutate.
"""

from __future__ import annotations

import enum
import functools
import importlib
import inspect
import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from openapi_python_client.utils import PythonIdentifier, snake_case

from spheron_api_client.types import Unset

DOCUMENT_PATH = Path(__file__).resolve().parents[2] / "openapi" / "spheron-api.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

Schema = Mapping[str, Any]


class Document:
    """The pinned document with ``$ref`` resolution."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.schemas: Mapping[str, Schema] = raw["components"]["schemas"]

    def resolve(self, schema: Schema) -> Schema:
        """Follow ``$ref`` (and ``components/responses`` refs) until a concrete schema."""
        seen = 0
        while "$ref" in schema:
            *_, kind, name = schema["$ref"].split("/")
            schema = self.raw["components"][kind][name]
            seen += 1
            if seen > 20:
                raise ValueError(f"reference cycle at {name}")
        return schema

    def merged(self, schema: Schema) -> Schema:
        """An ``allOf`` schema as one object schema (properties and required merged)."""
        schema = self.resolve(schema)
        if "allOf" not in schema:
            return schema
        properties: dict[str, Any] = {}
        required: list[str] = []
        extra: dict[str, Any] = {}
        for part in schema["allOf"]:
            part = self.merged(part)
            properties.update(part.get("properties", {}))
            required.extend(r for r in part.get("required", []) if r not in required)
            if "additionalProperties" in part:
                extra["additionalProperties"] = part["additionalProperties"]
        return {"type": "object", "properties": properties, "required": required, **extra}

    def minimal_example(self, schema: Schema, *, binary: bool = False) -> Any:
        """The smallest value valid for ``schema``: required keys only, first enum member."""
        schema = self.merged(schema)
        if "enum" in schema:
            return schema["enum"][0]
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return self.minimal_example(schema[key][0], binary=binary)
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            props = schema.get("properties", {})
            return {
                name: self.minimal_example(props.get(name, {}), binary=binary)
                for name in schema.get("required", [])
            }
        if kind == "array":
            return []
        if kind == "integer":
            return max(int(schema.get("minimum", 1)), 1)
        if kind == "number":
            return 1.5
        if kind == "boolean":
            return True
        if kind == "string":
            if schema.get("format") == "date-time":
                return "2024-05-01T12:00:00+00:00"
            if schema.get("format") == "binary":
                return b"fuzz-bytes" if binary else "fuzz-bytes"
            return "fuzz-value"
        return "fuzz-value"


@functools.cache
def document() -> Document:
    return Document(yaml.safe_load(DOCUMENT_PATH.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Operation:
    """One API operation and how to call its generated functions."""

    operation_id: str
    method: str
    path: str
    module: types.ModuleType
    arguments: Callable[[], dict[str, Any]] = field(repr=False)
    """Fresh keyword arguments for ``sync``/``asyncio`` (bodies may hold one-shot file objects)."""
    success_schema: Schema | None
    """Resolved schema of the documented 2xx JSON (or text) answer; ``None`` without one."""
    success_media_type: str | None
    returns: Any
    """The ``sync`` return annotation without ``None``: what a decoded 2xx must be."""
    path_pattern: re.Pattern[str] = field(repr=False)

    @property
    def decodes_success(self) -> bool:
        """Whether a 2xx answer is decoded to a value (not ``None``)."""
        return self.success_schema is not None

    def __str__(self) -> str:
        return self.operation_id


def _python_name(name: str) -> str:
    return str(PythonIdentifier(name, prefix="field_"))


def _plain_types(hint: Any) -> list[Any]:
    """The concrete types of an annotation, without ``None`` and ``Unset``."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(hint):
            out.extend(_plain_types(arg))
        return out
    if hint in (type(None), Unset):
        return []
    return [hint]


def _argument(doc: Document, schema: Schema, hint: Any) -> Any:
    """A valid Python value for a parameter or body annotated ``hint`` with ``schema``."""
    example = doc.minimal_example(schema, binary=True)
    for kind in _plain_types(hint):
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return kind(example)
        if isinstance(kind, type) and hasattr(kind, "from_dict"):
            return kind.from_dict(example)
        if kind is bool:
            return bool(example)
        if kind is int:
            return int(example)
        if kind is float:
            return float(example)
        if kind is str:
            return str(example)
    raise TypeError(f"no argument for {hint!r} ({schema!r})")


def _call_kwargs(
    doc: Document, op: Mapping[str, Any], item: Mapping[str, Any], fn: Callable[..., Any]
) -> dict[str, Any]:
    hints = typing.get_type_hints(fn)
    by_name: dict[str, Schema] = {}
    for param in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = doc.resolve(param)
        by_name[_python_name(param["name"])] = param["schema"]
    body_schema: Schema | None = None
    if "requestBody" in op:
        content = doc.resolve(op["requestBody"])["content"]
        body_schema = next(iter(content.values()))["schema"]
    kwargs: dict[str, Any] = {}
    # Optional parameters are passed too, so their serialization runs as well.
    for name in inspect.signature(fn).parameters:
        if name == "client":
            continue
        if name == "body" and body_schema is not None:
            schema = body_schema
        elif name in by_name:
            schema = by_name[name]
        else:
            raise LookupError(f"{op['operationId']}: argument {name!r} is not in the document")
        kwargs[name] = _argument(doc, schema, hints[name])
    return kwargs


def _success(doc: Document, op: Mapping[str, Any]) -> tuple[Schema | None, str | None]:
    for code, response in op["responses"].items():
        if not str(code).startswith("2"):
            continue
        content = doc.resolve(response).get("content") or {}
        for media_type, media in content.items():
            return doc.resolve(media.get("schema", {})), media_type
    return None, None


def _path_pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile(
        "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts) + "$"
    )


@functools.cache
def operations() -> tuple[Operation, ...]:
    """Every operation of the document, in document order."""
    doc = document()
    found: list[Operation] = []
    for path, item in doc.raw["paths"].items():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            op = item[method]
            module = importlib.import_module(
                f"spheron_api_client.api.{snake_case(op['tags'][0])}.{snake_case(op['operationId'])}"
            )
            success_schema, media_type = _success(doc, op)
            _call_kwargs(doc, op, item, module.sync)  # fail at collection, not in every example
            returns = typing.get_type_hints(module.sync)["return"]
            plain = _plain_types(returns)
            found.append(
                Operation(
                    operation_id=op["operationId"],
                    method=method.upper(),
                    path=path,
                    module=module,
                    arguments=functools.partial(_call_kwargs, doc, op, item, module.sync),
                    success_schema=success_schema,
                    success_media_type=media_type,
                    returns=plain[0] if len(plain) == 1 else tuple(plain),
                    path_pattern=_path_pattern(path),
                )
            )
    return tuple(found)


def conforms(value: Any, hint: Any) -> bool:
    """Shallow check that a decoded value has the annotated type (lists: every item)."""
    if isinstance(hint, tuple):
        return any(conforms(value, h) for h in hint)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, h) for h in typing.get_args(hint))
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        return isinstance(value, list) and all(conforms(v, item) for v in value)
    if hint is Any:
        return True
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, hint)
