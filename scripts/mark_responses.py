"""Mark the response-side object schemas of the pinned document with ``x-spheron-response: true``.

Usage:
    python -m scripts.mark_responses            # rewrite openapi/spheron-api.yaml in place
    python -m scripts.mark_responses --check    # exit 1 if a mark is missing or stale

The model template (``openapi/templates/model.py.jinja``) reads the mark: in a marked model a
field the document does not require is ``T | None`` and reads ``None`` when the key is absent,
while unmarked models (the request models ``*Input``/``*Body`` that ``scripts.relax_requests``
made) keep ``Unset`` to tell "leave out" from "send null".

A schema is marked when it is an object schema reached from a response (following ``$ref``) and
from no request body: every component schema, and every inline object nested in one (properties,
array items, ``allOf``/``anyOf``/``oneOf`` branches, additional properties), because the
generator makes a model of each. ``scripts.relax_requests`` already guarantees that request and
response never share an object schema; this pass refuses a document where they do. The pass is
deterministic and idempotent.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from scripts.relax_requests import DOCUMENT, HTTP_METHODS, REF, dump

MARK = "x-spheron-response"


def _refs(node: Any, schemas: dict[str, Any], acc: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF):
            name = ref[len(REF) :]
            if name not in acc:
                acc.add(name)
                _refs(schemas[name], schemas, acc)
        for value in node.values():
            _refs(value, schemas, acc)
    elif isinstance(node, list):
        for value in node:
            _refs(value, schemas, acc)


def _is_object(schema: dict[str, Any]) -> bool:
    return (
        schema.get("type") == "object"
        or "properties" in schema
        or ("allOf" in schema and "enum" not in schema)
    )


def _inline_objects(schema: Any, out: list[dict[str, Any]], *, top: bool) -> None:
    """Every object schema written inline in ``schema`` (itself included unless ``top``)."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    if not top and _is_object(schema):
        out.append(schema)
    for prop in (schema.get("properties") or {}).values():
        _inline_objects(prop, out, top=False)
    for key in ("items", "additionalProperties"):
        _inline_objects(schema.get(key), out, top=False)
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key) or []:
            _inline_objects(branch, out, top=False)


def mark(doc: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = doc["components"]["schemas"]
    response: set[str] = set()
    request: set[str] = set()
    inline_roots: list[dict[str, Any]] = []
    _refs(doc["components"].get("responses", {}), schemas, response)
    for item in doc["paths"].values():
        for method in HTTP_METHODS:
            op = item.get(method)
            if not op:
                continue
            _refs(op.get("responses", {}), schemas, response)
            _refs(op.get("requestBody", {}), schemas, request)
            for answer in op.get("responses", {}).values():
                for content in (answer.get("content") or {}).values():
                    if "schema" in content:
                        inline_roots.append(content["schema"])
    shared = sorted(
        name
        for name in response & request
        if _is_object(schemas[name]) and "enum" not in schemas[name]
    )
    if shared:
        raise SystemExit(
            f"mark-responses: object schemas used by requests and responses: {', '.join(shared)}; "
            "run scripts.relax_requests first"
        )
    marked: list[dict[str, Any]] = []
    for name in sorted(response):
        if _is_object(schemas[name]):
            marked.append(schemas[name])
            _inline_objects(schemas[name], marked, top=True)
    for root in inline_roots:
        _inline_objects(root, marked, top=False)
    ids = {id(s) for s in marked}
    for schema in schemas.values():
        candidates: list[dict[str, Any]] = [schema] if _is_object(schema) else []
        _inline_objects(schema, candidates, top=True)
        for one in candidates:
            if id(one) not in ids:
                one.pop(MARK, None)
    for one in marked:
        one[MARK] = True
    return doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", type=Path, default=DOCUMENT)
    parser.add_argument("--check", action="store_true", help="fail if the pass changes anything")
    args = parser.parse_args(argv)
    raw = args.document.read_text()
    out = dump(mark(yaml.safe_load(raw)))
    if args.check:
        if out != raw:
            print("mark-responses: response marks are stale; run scripts.mark_responses")
            return 1
        return 0
    args.document.write_text(out)
    print(f"mark-responses: wrote {args.document}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
