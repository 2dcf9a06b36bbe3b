"""Every operation of the pinned document, with valid arguments for its generated function.

Nothing here is written per operation: the walk over ``paths`` finds each operation, the
generator's own naming rules (``openapi_python_client.utils``) find its generated module and the
Python names of its parameters, and the values are synthesized from the parameter and request-body
schemas. A request body is built as JSON from its component schema and turned into the generated
model with that model's ``from_dict``, so the generated serializer (``to_dict``/``to_multipart``)
is what puts it on the wire.

Two flavours of arguments (``Variant``):

* ``minimal``: required parameters and required body fields only; ``anyOf``/``oneOf`` take their
  first alternative.
* ``full``: every documented parameter and body field; enums and ``anyOf``/``oneOf`` take the
  value or alternative chosen by the variant's index, so several Prism runs cover several.

Multipart bodies leave optional array properties out (``multipart_example``): Prism cannot validate
them. A schema keyword the synthesizer does not handle raises ``SchemaNotSupported`` instead of
producing a value that might be invalid.
"""

from __future__ import annotations

import importlib
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from openapi_python_client.utils import PythonIdentifier, snake_case

from spheron_api_client.types import Unset

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "openapi" / "spheron-api.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# openapi-python-client's default ``field_prefix``: generator-config.yaml does not change it.
FIELD_PREFIX = "field_"

Json = Any


@cache
def load_document() -> dict[str, Any]:
    with DOCUMENT.open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.safe_load(handle)
    return document


def resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow local ``$ref`` pointers (``#/components/...``) until a real node is reached."""
    seen: set[str] = set()
    while "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(f"unsupported or circular $ref {ref!r}")
        seen.add(ref)
        target: Any = load_document()
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


@dataclass(frozen=True)
class Variant:
    """Which arguments to synthesize: ``full`` adds every optional field and parameter."""

    full: bool = False
    index: int = 0

    @property
    def label(self) -> str:
        return f"full#{self.index}" if self.full else "minimal"


MINIMAL = Variant()


# --------------------------------------------------------------------------------------------
# Values from schemas
# --------------------------------------------------------------------------------------------

_FORMATS: dict[str, Json] = {
    "date-time": "2024-05-01T12:00:00Z",
    "date": "2024-05-01",
    "time": "12:00:00Z",
    "email": "contract@example.com",
    "uri": "https://example.com/contract",
    "url": "https://example.com/contract",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "byte": "Y29udHJhY3Q=",
    "binary": b"contract test bytes\n",
    "int32": 1,
    "int64": 1,
    "float": 1.5,
    "double": 1.5,
}
_UNSUPPORTED = ("pattern", "not", "multipleOf", "uniqueItems", "minProperties", "maxProperties")


class SchemaNotSupported(Exception):
    """The synthesizer cannot build a valid value for this schema: extend it, do not skip."""


def example(schema: Mapping[str, Any], variant: Variant = MINIMAL, *, name: str = "value") -> Json:
    """A value that is valid for ``schema``; ``name`` (the property or parameter) seeds strings."""
    return _example(schema, variant, name, depth=0)


def _example(schema: Mapping[str, Any], variant: Variant, name: str, depth: int) -> Json:
    if depth > 12:
        raise SchemaNotSupported(f"{name}: schema nests deeper than 12 levels (recursive?)")
    schema = resolve(schema)
    for keyword in _UNSUPPORTED:
        if keyword in schema:
            raise SchemaNotSupported(f"{name}: keyword {keyword!r} is not synthesized yet")
    if "enum" in schema:
        values = [v for v in schema["enum"] if v is not None]
        if not values:  # the null branch of a nullable union (`enum: [null]`)
            return None
        return values[variant.index % len(values)] if variant.full else values[0]
    for keyword in ("example", "default"):
        if keyword in schema and schema[keyword] is not None:
            return schema[keyword]
    if "allOf" in schema:
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in schema["allOf"]:
            part = resolve(part)
            merged["properties"].update(part.get("properties", {}))
            merged["required"].extend(part.get("required", []))
        return _example(merged, variant, name, depth + 1)
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            choices = schema[keyword]
            pick = choices[variant.index % len(choices)] if variant.full else choices[0]
            return _example(pick, variant, name, depth + 1)
    kind = schema.get("type")
    if kind is None and "properties" in schema:
        kind = "object"
    if kind == "object":
        return _object(schema, variant, depth)
    if kind == "array":
        count = max(1, int(schema.get("minItems", 1)))
        return [_example(schema.get("items", {}), variant, name, depth + 1) for _ in range(count)]
    if kind == "string":
        return _string(schema, name)
    if kind in ("integer", "number"):
        return _number(schema, integer=kind == "integer")
    if kind == "boolean":
        return True
    raise SchemaNotSupported(f"{name}: no 'type' to synthesize from in {dict(schema)!r}")


def _object(schema: Mapping[str, Any], variant: Variant, depth: int) -> dict[str, Json]:
    properties: Mapping[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    missing = required - set(properties)
    if missing:
        raise SchemaNotSupported(f"required properties without a schema: {sorted(missing)}")
    value: dict[str, Json] = {}
    for prop, prop_schema in properties.items():
        if prop in required or variant.full:
            if resolve(prop_schema).get("readOnly"):
                continue
            value[prop] = _example(prop_schema, variant, prop, depth + 1)
    return value


def _string(schema: Mapping[str, Any], name: str) -> Json:
    fmt = schema.get("format")
    if fmt in _FORMATS:
        return _FORMATS[fmt]
    text = f"contract-{name}"
    low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
    text = text.ljust(low, "x")
    return text[: int(high)] if high is not None else text


def _number(schema: Mapping[str, Any], *, integer: bool) -> int | float:
    value: float = _FORMATS.get(str(schema.get("format")), 1 if integer else 1.5)
    if "minimum" in schema:
        value = max(value, schema["minimum"] + (1 if schema.get("exclusiveMinimum") else 0))
    if "maximum" in schema:
        value = min(value, schema["maximum"] - (1 if schema.get("exclusiveMaximum") else 0))
    return int(value) if integer else float(value)


def multipart_example(schema: Mapping[str, Any], variant: Variant = MINIMAL) -> dict[str, Json]:
    """A form for a ``multipart/form-data`` body that Prism can validate.

    * Optional array properties are left out: Prism (5.x) keeps only the last part of a repeated
      name and then reports "must be array" (stoplightio/prism#2654). A *required* array is still
      sent; the test reports the resulting violation as a Prism limitation.
    * A form needs at least one part (an empty one sends no body at all), so when nothing is
      required, one part for ``additionalProperties`` (or the first property) is added.
    """
    schema = resolve(schema)
    properties: Mapping[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    form: dict[str, Json] = {}
    for prop, prop_schema in properties.items():
        is_array = resolve(prop_schema).get("type") == "array"
        if prop in required or (variant.full and not is_array):
            form[prop] = example(prop_schema, variant, name=prop)
    if not form:
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping):
            form["contract-part"] = example(extra, variant, name="contract-part")
        elif properties:
            prop, prop_schema = next(iter(properties.items()))
            form[prop] = example(prop_schema, variant, name=prop)
    return form


# --------------------------------------------------------------------------------------------
# Operations and their generated functions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    schema: Mapping[str, Any]


@dataclass(frozen=True)
class Operation:
    """One operation of the document and where the generator put its function."""

    operation_id: str
    method: str
    path: str
    tag: str
    parameters: tuple[Parameter, ...]
    body_media_type: str | None
    body_schema: Mapping[str, Any] | None
    body_required: bool
    responses: Mapping[str, Any] = field(repr=False)
    deprecated: bool = False

    @property
    def route(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def module_name(self) -> str:
        tag = PythonIdentifier(value=self.tag, prefix="tag")
        return f"spheron_api_client.api.{tag}.{snake_case(self.operation_id)}"

    def module(self) -> types.ModuleType:
        return importlib.import_module(self.module_name)

    @property
    def success_statuses(self) -> frozenset[int]:
        """The documented 2xx and 3xx statuses (``2XX`` ranges expanded)."""
        found: set[int] = set()
        for code in self.responses:
            text = str(code).upper()
            if text.endswith("XX") and text[0] in "23":
                found.update(range(int(text[0]) * 100, int(text[0]) * 100 + 100))
            elif text.isdigit() and 200 <= int(text) < 400:
                found.add(int(text))
        return frozenset(found)

    def media_types(self, status: int) -> tuple[str, ...]:
        response = self.responses.get(str(status)) or self.responses.get(f"{str(status)[0]}XX")
        if response is None:
            return ()
        return tuple(resolve(response).get("content", {}))


def operations() -> list[Operation]:
    """Every operation of the document, in document order."""
    document = load_document()
    found: list[Operation] = []
    for path, item in document["paths"].items():
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            if method not in item:
                continue
            op = item[method]
            params: dict[tuple[str, str], Parameter] = {}
            for raw in [*shared, *op.get("parameters", [])]:
                node = resolve(raw)
                params[(node["in"], node["name"])] = Parameter(
                    name=node["name"],
                    location=node["in"],
                    required=bool(node.get("required", node["in"] == "path")),
                    schema=node.get("schema", {}),
                )
            media_type = body_schema = None
            body_required = False
            if "requestBody" in op:
                body = resolve(op["requestBody"])
                media_type, media = next(iter(body["content"].items()))
                body_schema = media.get("schema", {})
                body_required = bool(body.get("required", False))
            found.append(
                Operation(
                    operation_id=op["operationId"],
                    method=method,
                    path=path,
                    tag=(op.get("tags") or ["default"])[0],
                    parameters=tuple(params.values()),
                    body_media_type=media_type,
                    body_schema=body_schema,
                    body_required=body_required,
                    responses=op.get("responses", {}),
                    deprecated=bool(op.get("deprecated", False)),
                )
            )
    return found


@dataclass
class Call:
    """Arguments for one generated ``sync_detailed``/``asyncio_detailed`` call."""

    operation: Operation
    variant: Variant
    kwargs: dict[str, Any]
    wire: dict[str, Json]  # what the arguments mean, for messages: {"path": {...}, ...}

    def sync(self, client: Any) -> Any:
        function: Callable[..., Any] = self.operation.module().sync_detailed
        return function(client=client, **self.kwargs)

    async def asyncio(self, client: Any) -> Any:
        function: Callable[..., Any] = self.operation.module().asyncio_detailed
        return await function(client=client, **self.kwargs)


def build_call(operation: Operation, variant: Variant = MINIMAL) -> Call:
    """Valid arguments for the operation's generated function, synthesized from the document."""
    function = operation.module().sync_detailed
    signature = inspect.signature(function)
    hints = typing.get_type_hints(function)
    kwargs: dict[str, Any] = {}
    wire: dict[str, Json] = {}
    for parameter in operation.parameters:
        if not (parameter.required or variant.full):
            continue
        python_name = str(PythonIdentifier(value=parameter.name, prefix=FIELD_PREFIX))
        if python_name not in signature.parameters:
            raise LookupError(
                f"{operation.operation_id}: no argument {python_name!r} for {parameter.location} "
                f"parameter {parameter.name!r} in {operation.module_name}.sync_detailed"
            )
        raw = example(parameter.schema, variant, name=parameter.name)
        value = _python_value(hints[python_name], raw)
        wire.setdefault(parameter.location, {})[parameter.name] = raw
        kwargs[python_name] = value  # path parameters too: they are positional-or-keyword
    if operation.body_schema is not None and (operation.body_required or variant.full):
        if operation.body_media_type == "multipart/form-data":
            raw_body = multipart_example(operation.body_schema, variant)
        else:
            raw_body = example(operation.body_schema, variant, name="body")
        model = _model_class(hints["body"])
        kwargs["body"] = model.from_dict(raw_body) if hasattr(model, "from_dict") else raw_body
        wire["body"] = raw_body
    missing = [
        name
        for name, slot in signature.parameters.items()
        if slot.default is inspect.Parameter.empty and name != "client" and name not in kwargs
    ]
    if missing:
        raise LookupError(f"{operation.operation_id}: no value for required argument(s) {missing}")
    return Call(operation=operation, variant=variant, kwargs=kwargs, wire=wire)


def _concrete(annotation: Any) -> list[Any]:
    """The members of ``X | Unset`` (or ``Union[...]``) other than ``Unset`` and ``None``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = typing.get_args(annotation)
    else:
        members = (annotation,)
    return [m for m in members if m not in (Unset, type(None))]


def _model_class(annotation: Any) -> Any:
    members = _concrete(annotation)
    if len(members) != 1:
        raise SchemaNotSupported(f"ambiguous body annotation {annotation!r}")
    return members[0]


def _python_value(annotation: Any, raw: Json) -> Any:
    """The generated function's argument for a raw parameter value (enums become members)."""
    if isinstance(raw, list) and any(typing.get_origin(m) is list for m in _concrete(annotation)):
        return raw  # a list branch (a query key repeated once per value)
    for member in _concrete(annotation):
        if isinstance(member, type) and issubclass(member, Enum):
            return member(raw)
        if isinstance(member, type) and hasattr(member, "from_dict"):
            return member.from_dict(raw)
    return raw
