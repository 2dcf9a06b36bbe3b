"""Complete a test's response body with the keys the pinned document requires.

A test writes the keys it is about (``{"_id": "p1", "name": "site"}``); ``complete`` adds every
other key the document marks ``required`` (recursively, in nested objects and array items) with
a placeholder of the right type, so the body decodes. Keys already there are kept as they are,
wrong types included: a test of a bad body still sees its bad value. Tests of a *missing* key
build their body without this helper.
"""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path
from typing import Any

import yaml

DOCUMENT = Path(__file__).resolve().parent.parent / "openapi" / "spheron-api.yaml"
REF = "#/components/schemas/"
PLACEHOLDER_TIME = "2024-01-01T00:00:00+00:00"  # as isoformat() writes it back


@functools.cache
def _document() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(DOCUMENT.read_text())
    return doc


@functools.cache
def _routes() -> list[tuple[str, re.Pattern[str], int, dict[str, Any]]]:
    out = []
    for path, item in _document()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
        for method, op in item.items():
            if isinstance(op, dict) and "responses" in op:
                out.append((method.upper(), pattern, path.count("{"), op))
    # A literal segment wins over a parameter (`/bucket/count` before `/bucket/{id}`).
    out.sort(key=lambda r: r[2])
    return out


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _document()["components"]["schemas"][schema["$ref"][len(REF) :]]
    return schema


def response_schema(method: str, path: str) -> dict[str, Any] | None:
    """The JSON schema of the 2xx answer of the operation at ``method path``, if any."""
    for m, pattern, _, op in _routes():
        if m == method.upper() and pattern.match(path):
            for status, answer in sorted(op["responses"].items()):
                if str(status).startswith("2"):
                    schema = (answer.get("content") or {}).get("application/json", {}).get("schema")
                    if schema is not None:
                        return dict(schema)
            return None
    return None


def _object_parts(schema: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    schema = _resolve(schema)
    props: dict[str, Any] = dict(schema.get("properties") or {})
    required: list[str] = list(schema.get("required") or [])
    for part in schema.get("allOf") or []:
        more_props, more_required = _object_parts(part)
        props.update(more_props)
        required.extend(more_required)
    return props, required


def _is_object(schema: dict[str, Any]) -> bool:
    schema = _resolve(schema)
    return schema.get("type") == "object" or "properties" in schema or "allOf" in schema


def _branches(schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema)
    return [
        b for b in (schema.get("anyOf") or schema.get("oneOf") or []) if b.get("enum") != [None]
    ]


def placeholder(schema: dict[str, Any]) -> Any:
    """A value of the schema's type with every required key."""
    schema = _resolve(schema)
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None)
    branches = _branches(schema)
    if branches:
        return placeholder(branches[0])
    if _is_object(schema):
        return fill(schema, {})
    kind = schema.get("type")
    if kind == "string":
        return PLACEHOLDER_TIME if schema.get("format") == "date-time" else "placeholder"
    if kind in ("integer", "number"):
        return 0
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    return None


def fill(schema: dict[str, Any], value: Any) -> Any:
    """``value`` with the required keys ``schema`` asks for added, recursively."""
    schema = _resolve(schema)
    branches = _branches(schema)
    if branches:
        if isinstance(value, dict):
            objects = [b for b in branches if _is_object(b)]
            if objects:
                best = max(objects, key=lambda b: len(set(_object_parts(b)[0]) & set(value)))
                return fill(best, value)
        if isinstance(value, list):
            arrays = [b for b in branches if _resolve(b).get("type") == "array"]
            if arrays:
                return fill(arrays[0], value)
        return value
    if isinstance(value, list) and schema.get("type") == "array":
        return [fill(schema.get("items") or {}, item) for item in value]
    if isinstance(value, dict) and _is_object(schema):
        props, required = _object_parts(schema)
        out = dict(value)
        for key in required:
            if key not in out:
                out[key] = placeholder(props.get(key, {}))
        for key, sub in list(out.items()):
            if key in props and sub is not None:
                out[key] = fill(props[key], sub)
        return out
    return value


def complete(schema_name: str, body: Any) -> Any:
    """``body`` completed for the component schema ``schema_name`` (a deep copy)."""
    return fill({"$ref": REF + schema_name}, copy.deepcopy(body))


def complete_answer(method: str, path: str, body: Any) -> Any:
    """``body`` completed for the 2xx answer of ``method path``; unchanged for unknown routes."""
    schema = response_schema(method, path)
    return body if schema is None else fill(schema, copy.deepcopy(body))


def project_json(project_id: str = "p1", **extra: Any) -> bytes:
    """A complete ``Project`` answer as JSON bytes (``_id`` and ``extra`` keys as given)."""
    import json

    return json.dumps(complete("Project", {"_id": project_id, **extra})).encode()
