"""Parse, classify and serialise OpenAPI / Swagger documents (JSON or YAML)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml

Document = dict[str, Any]
DocFormat = Literal["json", "yaml"]
DocKind = Literal["openapi3", "swagger2"]

# libyaml's C loader/dumper when PyYAML was built with it (much faster on large documents).
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class SpecError(Exception):
    """A document could not be read, parsed or recognised."""


def parse_document(raw: bytes) -> tuple[Any, DocFormat]:
    """Parse ``raw`` as JSON (when it looks like JSON) or YAML; return (value, format)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(f"document is not valid UTF-8 ({exc.reason})") from exc
    if text.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(text), "json"
        except json.JSONDecodeError as exc:
            raise SpecError(f"invalid JSON: {exc}") from exc
    try:
        return yaml.load(text, Loader=_Loader), "yaml"
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise SpecError(f"invalid YAML: {detail}") from exc


def document_kind(value: Any) -> DocKind | None:
    """Return ``openapi3`` / ``swagger2`` for a recognised document, else None."""
    if not isinstance(value, dict):
        return None
    openapi = value.get("openapi")
    if (
        isinstance(openapi, str)
        and openapi.startswith("3.")
        and isinstance(value.get("paths", {}), dict)
    ):
        return "openapi3"
    if str(value.get("swagger")) == "2.0":
        return "swagger2"
    return None


def require_kind(value: Any) -> tuple[Document, DocKind]:
    """Return ``value`` as a document with its kind, or raise SpecError."""
    kind = document_kind(value)
    if kind is None or not isinstance(value, dict):
        raise SpecError("not an OpenAPI 3 or Swagger 2.0 document")
    return value, kind


def load_openapi3(path: Path) -> Document:
    """Read an OpenAPI 3 document from a JSON or YAML file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError(f"cannot read {path}: {exc.strerror or exc}") from exc
    value, _ = parse_document(raw)
    doc, kind = require_kind(value)
    if kind != "openapi3":
        raise SpecError(f"{path} is Swagger 2.0; convert it to OpenAPI 3 first")
    return doc


def dump_yaml(doc: Document) -> str:
    """Serialise a document as block-style YAML, keeping key order."""
    return yaml.dump(
        doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False
    )


def dump_json(value: Any) -> str:
    """Serialise a value as JSON (YAML timestamps become strings)."""
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)
