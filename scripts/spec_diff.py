"""Compare two OpenAPI 3 documents; classify each change as breaking or not for a client.

Rules (from a client's point of view): removing anything (operation, parameter, field,
schema, enum value, 2xx response), changing a type, or making a request input required is
breaking; adding optional inputs, anything to responses, new operations, new enum values and
deprecations are not. A response field becoming optional is breaking (the client may no longer
get it). Component schemas are classified by where they are used (request and/or response,
following ``$ref``s); a schema used nowhere is treated as both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from scripts.spec_io import Document

KINDS: tuple[str, ...] = (
    "operation-added",
    "operation-removed",
    "operation-deprecated",
    "parameter-added",
    "parameter-removed",
    "request-body-added",
    "request-body-removed",
    "response-added",
    "response-removed",
    "schema-added",
    "schema-removed",
    "field-added",
    "field-removed",
    "made-required",
    "made-optional",
    "type-changed",
    "enum-value-added",
    "enum-value-removed",
)
"""Every ``Change.kind`` this module emits."""

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
REQUEST: frozenset[str] = frozenset({"request"})
RESPONSE: frozenset[str] = frozenset({"response"})
BOTH: frozenset[str] = REQUEST | RESPONSE
_SCHEMA_PREFIX = "#/components/schemas/"
_MAX_DEPTH = 64


@dataclass(frozen=True)
class Change:
    """One difference between two documents."""

    kind: str
    location: str
    detail: str
    breaking: bool


@dataclass
class _Ctx:
    """Both documents plus state shared by one comparison."""

    old: Document
    new: Document
    usage: dict[str, frozenset[str]]
    seen: set[tuple[str, str]] = field(default_factory=set)


# --- document helpers -------------------------------------------------------------------


def _pointer(doc: Document, ref: str) -> Any:
    """Follow a local JSON pointer (``#/a/b``); a dangling one yields an empty schema."""
    node: Any = doc
    for raw in ref[2:].split("/") if ref != "#" else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return {}
        node = node[part]
    return node


def _ref_of(node: Any) -> str | None:
    ref = node.get("$ref") if isinstance(node, dict) else None
    return ref if isinstance(ref, str) else None


def _resolve(doc: Document, node: Any) -> Any:
    """Follow local ``$ref`` chains."""
    for _ in range(_MAX_DEPTH):
        ref = _ref_of(node)
        if ref is None or not ref.startswith("#"):
            return node
        node = _pointer(doc, ref)
    return node


def _mapping(value: Any) -> dict[str, Any]:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def _unwrap(schema: Any) -> Any:
    """Treat ``{allOf: [X]}`` (how NestJS wraps a described ``$ref``) as ``X``."""
    if isinstance(schema, dict):
        parts = schema.get("allOf")
        if isinstance(parts, list) and len(parts) == 1 and "properties" not in schema:
            return parts[0]
    return schema


def _flatten(doc: Document, schema: Any, depth: int = 0) -> dict[str, Any]:
    """Resolve ``$ref`` and merge ``allOf`` parts into one schema."""
    schema = _resolve(doc, schema)
    if not isinstance(schema, dict):
        return {}
    parts = schema.get("allOf")
    if not isinstance(parts, list) or depth > _MAX_DEPTH:
        return schema
    merged: dict[str, Any] = {}
    props: dict[str, Any] = {}
    required: list[Any] = []
    for part in [*parts, {k: v for k, v in schema.items() if k != "allOf"}]:
        flat = _flatten(doc, part, depth + 1)
        props.update(_mapping(flat.get("properties")))
        required.extend(flat.get("required") or [])
        for key, value in flat.items():
            if key not in ("properties", "required"):
                merged.setdefault(key, value)
    if props:
        merged["properties"] = props
    if required:
        merged["required"] = required
    return merged


def _type_sig(schema: Mapping[str, Any]) -> str:
    """A short type description such as ``string(date-time)`` or ``oneOf(Cat | Dog)``."""
    ref = _ref_of(schema)
    if ref is not None:
        return f"ref({ref})"
    for key in ("oneOf", "anyOf"):
        variants = schema.get(key)
        if isinstance(variants, list):
            names = sorted(_variant_name(v) for v in variants)
            return f"{key}({' | '.join(names)})"
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = "|".join(sorted(str(k) for k in kind))
    elif kind is None:
        if "properties" in schema or "additionalProperties" in schema:
            kind = "object"
        else:
            kind = "array" if "items" in schema else "any"
    fmt = schema.get("format")
    return f"{kind}({fmt})" if isinstance(fmt, str) else str(kind)


def _variant_name(variant: Any) -> str:
    """A ``oneOf``/``anyOf`` member: its component name, else its type."""
    if not isinstance(variant, dict):
        return "any"
    return (_ref_of(variant) or "").rsplit("/", 1)[-1] or _type_sig(variant)


def _operations(doc: Document) -> dict[tuple[str, str], tuple[str, dict[str, Any], dict[str, Any]]]:
    """Map (path with anonymous ``{}`` params, METHOD) to (path, operation, path item)."""
    result: dict[tuple[str, str], tuple[str, dict[str, Any], dict[str, Any]]] = {}
    for path, raw_item in _mapping(doc.get("paths")).items():
        item = _resolve(doc, raw_item)
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                result[(re.sub(r"\{[^}]*\}", "{}", path), method.upper())] = (path, op, item)
    return result


def _schema_usage(doc: Document) -> dict[str, set[str]]:
    """Which component schemas each operation direction reaches, following ``$ref``s."""
    usage: dict[str, set[str]] = {}
    seen: set[tuple[str, str]] = set()

    def walk(node: Any, direction: str, depth: int) -> None:
        if depth > 4 * _MAX_DEPTH:
            return
        if isinstance(node, list):
            for value in node:
                walk(value, direction, depth + 1)
        elif isinstance(node, dict):
            ref = _ref_of(node)
            if ref is not None and ref.startswith("#") and (ref, direction) not in seen:
                seen.add((ref, direction))
                if ref.startswith(_SCHEMA_PREFIX):
                    usage.setdefault(ref[len(_SCHEMA_PREFIX) :], set()).add(direction)
                walk(_pointer(doc, ref), direction, depth + 1)
            for value in node.values():
                walk(value, direction, depth + 1)

    for _path, op, item in _operations(doc).values():
        walk([item.get("parameters"), op.get("parameters"), op.get("requestBody")], "request", 0)
        walk(op.get("responses"), "response", 0)
    return usage


def _json(value: Any) -> str:
    return json.dumps(value, default=str, sort_keys=True)


# --- schema comparison ------------------------------------------------------------------


def _compare_schema(
    ctx: _Ctx, old: Any, new: Any, loc: str, dirs: frozenset[str], depth: int = 0
) -> Iterator[Change]:
    """Compare two schemas at ``loc``; same-name component refs are compared elsewhere."""
    old, new = _unwrap(old), _unwrap(new)
    old_ref, new_ref = _ref_of(old), _ref_of(new)
    if old_ref is not None and old_ref == new_ref and old_ref.startswith(_SCHEMA_PREFIX):
        return
    if depth > _MAX_DEPTH:
        return
    if old_ref is not None or new_ref is not None:
        pair = (old_ref or loc, new_ref or loc)
        if pair in ctx.seen:
            return
        ctx.seen.add(pair)
    o, n = _flatten(ctx.old, old), _flatten(ctx.new, new)
    old_type, new_type = _type_sig(o), _type_sig(n)
    if old_type != new_type:
        yield Change("type-changed", loc, f"type changed from `{old_type}` to `{new_type}`", True)
        return
    yield from _compare_enum(o, n, loc)
    yield from _compare_properties(ctx, o, n, loc, dirs, depth)
    for key, suffix in (("items", "[]"), ("additionalProperties", "{}")):
        if isinstance(o.get(key), dict) and isinstance(n.get(key), dict):
            yield from _compare_schema(ctx, o[key], n[key], loc + suffix, dirs, depth + 1)


def _compare_enum(old: Mapping[str, Any], new: Mapping[str, Any], loc: str) -> Iterator[Change]:
    old_values, new_values = old.get("enum"), new.get("enum")
    if not isinstance(old_values, list) or not isinstance(new_values, list):
        return
    old_keys, new_keys = {_json(v) for v in old_values}, {_json(v) for v in new_values}
    for value in old_values:
        if _json(value) not in new_keys:
            yield Change("enum-value-removed", loc, f"enum value `{_json(value)}` removed", True)
    for value in new_values:
        if _json(value) not in old_keys:
            yield Change("enum-value-added", loc, f"enum value `{_json(value)}` added", False)


def _field_dirs(ctx: _Ctx, schema: Any, dirs: frozenset[str]) -> frozenset[str]:
    """Narrow directions for ``readOnly`` (response only) / ``writeOnly`` (request only)."""
    flat = _flatten(ctx.new, schema)
    flags = {k for k in ("readOnly", "writeOnly") if True in (_mapping(schema).get(k), flat.get(k))}
    if "readOnly" in flags:
        return dirs & RESPONSE
    if "writeOnly" in flags:
        return dirs & REQUEST
    return dirs


def _compare_properties(
    ctx: _Ctx,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    loc: str,
    dirs: frozenset[str],
    depth: int,
) -> Iterator[Change]:
    old_props, new_props = _mapping(old.get("properties")), _mapping(new.get("properties"))
    old_req, new_req = set(old.get("required") or []), set(new.get("required") or [])
    for name in old_props:
        if name not in new_props:
            yield Change("field-removed", f"{loc}.{name}", "field removed", True)
    for name, schema in new_props.items():
        where, fdirs = f"{loc}.{name}", _field_dirs(ctx, schema, dirs)
        if name not in old_props:
            required = name in new_req
            detail = f"{'required' if required else 'optional'} field added"
            yield Change("field-added", where, detail, required and "request" in fdirs)
            continue
        if name in new_req and name not in old_req:
            yield Change("made-required", where, "field is now required", "request" in fdirs)
        elif name in old_req and name not in new_req:
            detail = "field is no longer required"
            yield Change("made-optional", where, detail, "response" in fdirs)
        yield from _compare_schema(ctx, old_props[name], schema, where, fdirs, depth + 1)


# --- operation comparison ---------------------------------------------------------------


def _parameters(doc: Document, item: Mapping[str, Any], op: Mapping[str, Any]) -> dict[str, Any]:
    """Path-item and operation parameters keyed ``in.name`` (the operation's win)."""
    params: dict[str, Any] = {}
    for source in (item.get("parameters"), op.get("parameters")):
        for raw in source if isinstance(source, list) else []:
            param = _resolve(doc, raw)
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                params[f"{param.get('in')}.{param['name']}"] = param
    return params


def _compare_parameters(
    ctx: _Ctx, loc: str, old: dict[str, Any], new: dict[str, Any]
) -> Iterator[Change]:
    for key in old:
        if key not in new:
            where = f"{loc} parameter {key}"
            yield Change("parameter-removed", where, "parameter removed", True)
    for key, param in new.items():
        where, required = f"{loc} parameter {key}", param.get("required") is True
        if key not in old:
            detail = f"{'required' if required else 'optional'} parameter added"
            yield Change("parameter-added", where, detail, required)
            continue
        was_required = old[key].get("required") is True
        if required and not was_required:
            yield Change("made-required", where, "parameter is now required", True)
        elif was_required and not required:
            yield Change("made-optional", where, "parameter is no longer required", False)
        old_schema, new_schema = old[key].get("schema", {}), param.get("schema", {})
        yield from _compare_schema(ctx, old_schema, new_schema, where, REQUEST)


def _compare_content(
    ctx: _Ctx, old: Any, new: Any, loc: str, dirs: frozenset[str]
) -> Iterator[Change]:
    """Compare the schemas of media types present on both sides."""
    old_content, new_content = _mapping(old.get("content")), _mapping(new.get("content"))
    for media, entry in new_content.items():
        if media in old_content and isinstance(entry, dict):
            where = loc if media == "application/json" else f"{loc}[{media}]"
            old_schema = _mapping(old_content[media]).get("schema", {})
            yield from _compare_schema(ctx, old_schema, entry.get("schema", {}), where, dirs)


def _compare_request_body(
    ctx: _Ctx, loc: str, old_op: Mapping[str, Any], new_op: Mapping[str, Any]
) -> Iterator[Change]:
    old = _resolve(ctx.old, old_op.get("requestBody"))
    new = _resolve(ctx.new, new_op.get("requestBody"))
    where = f"{loc} requestBody"
    if not isinstance(old, dict) and isinstance(new, dict):
        required = new.get("required") is True
        detail = f"{'required' if required else 'optional'} request body added"
        yield Change("request-body-added", where, detail, required)
    elif isinstance(old, dict) and not isinstance(new, dict):
        yield Change("request-body-removed", where, "request body removed", True)
    elif isinstance(old, dict) and isinstance(new, dict):
        required, was_required = new.get("required") is True, old.get("required") is True
        if required and not was_required:
            yield Change("made-required", where, "request body is now required", True)
        elif was_required and not required:
            yield Change("made-optional", where, "request body is no longer required", False)
        yield from _compare_content(ctx, old, new, where, REQUEST)


def _compare_responses(
    ctx: _Ctx, loc: str, old_op: Mapping[str, Any], new_op: Mapping[str, Any]
) -> Iterator[Change]:
    old, new = _mapping(old_op.get("responses")), _mapping(new_op.get("responses"))
    for code in old:
        if code not in new:
            breaking = code.startswith("2") or code == "default"
            where = f"{loc} responses.{code}"
            yield Change("response-removed", where, f"{code} response removed", breaking)
    for code, response in new.items():
        where = f"{loc} responses.{code}"
        if code not in old:
            yield Change("response-added", where, f"{code} response added", False)
            continue
        old_resp, new_resp = _resolve(ctx.old, old[code]), _resolve(ctx.new, response)
        if isinstance(old_resp, dict) and isinstance(new_resp, dict):
            yield from _compare_content(ctx, old_resp, new_resp, where, RESPONSE)


def _compare_operations(ctx: _Ctx) -> Iterator[Change]:
    old_ops, new_ops = _operations(ctx.old), _operations(ctx.new)
    order = {m.upper(): i for i, m in enumerate(HTTP_METHODS)}
    for op_key in sorted(old_ops.keys() | new_ops.keys(), key=lambda k: (k[0], order[k[1]])):
        if op_key not in new_ops:
            loc = f"{op_key[1]} {old_ops[op_key][0]}"
            yield Change("operation-removed", loc, "operation removed", True)
            continue
        path, new_op, new_item = new_ops[op_key]
        loc = f"{op_key[1]} {path}"
        if op_key not in old_ops:
            yield Change("operation-added", loc, "operation added", False)
            continue
        _old_path, old_op, old_item = old_ops[op_key]
        if new_op.get("deprecated") is True and old_op.get("deprecated") is not True:
            yield Change("operation-deprecated", loc, "operation deprecated", False)
        yield from _compare_parameters(
            ctx, loc, _parameters(ctx.old, old_item, old_op), _parameters(ctx.new, new_item, new_op)
        )
        yield from _compare_request_body(ctx, loc, old_op, new_op)
        yield from _compare_responses(ctx, loc, old_op, new_op)


def _compare_components(ctx: _Ctx) -> Iterator[Change]:
    old = _mapping(_mapping(ctx.old.get("components")).get("schemas"))
    new = _mapping(_mapping(ctx.new.get("components")).get("schemas"))
    for name in sorted(old.keys() | new.keys()):
        loc = f"schemas.{name}"
        if name not in new:
            yield Change("schema-removed", loc, "schema removed", True)
        elif name not in old:
            yield Change("schema-added", loc, "schema added", False)
        else:
            dirs = ctx.usage.get(name, BOTH)
            yield from _compare_schema(ctx, old[name], new[name], loc, dirs)


# --- public API -------------------------------------------------------------------------


def diff_documents(old: Document, new: Document) -> list[Change]:
    """Return every change from ``old`` to ``new`` (operations first, then schemas)."""
    old_usage, new_usage = _schema_usage(old), _schema_usage(new)
    usage = {
        name: frozenset(old_usage.get(name, set()) | new_usage.get(name, set()))
        for name in old_usage.keys() | new_usage.keys()
    }
    ctx = _Ctx(old=old, new=new, usage=usage)
    return [*_compare_operations(ctx), *_compare_components(ctx)]


def summary_line(changes: list[Change]) -> str:
    """``N changes (B breaking, K non-breaking)``."""
    breaking = sum(c.breaking for c in changes)
    noun = "change" if len(changes) == 1 else "changes"
    return f"{len(changes)} {noun} ({breaking} breaking, {len(changes) - breaking} non-breaking)"


def render_text(changes: list[Change]) -> str:
    """Plain-text report: a summary line, then breaking and non-breaking changes."""
    if not changes:
        return "No API changes.\n"
    lines = [summary_line(changes)]
    for title, flag in (("Breaking", True), ("Non-breaking", False)):
        group = [c for c in changes if c.breaking is flag]
        if group:
            lines.append(f"{title}:")
            lines.extend(f"  [{c.kind}] {c.location}: {c.detail}" for c in group)
    return "\n".join(lines) + "\n"


def render_markdown(changes: list[Change], title: str = "API changes", level: int = 3) -> str:
    """Changelog-ready Markdown section grouped Breaking / Non-breaking."""
    head = "#" * level
    lines = [f"{head} {title}", ""]
    if not changes:
        return "\n".join([*lines, "No API changes.", ""])
    for group_title, flag in (("Breaking", True), ("Non-breaking", False)):
        group = [c for c in changes if c.breaking is flag]
        if group:
            lines += [f"{head}# {group_title}", ""]
            lines += [f"- `{c.location}`: {c.detail}" for c in group]
            lines.append("")
    return "\n".join(lines)
