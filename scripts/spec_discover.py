"""Find an OpenAPI document in a Swagger UI page: embedded, referenced by URL, or by convention.

Covers what swagger-ui-express / NestJS serve (``swagger-ui-init.js`` holding
``let options = {"swaggerDoc": {...}}``, plus ``<base>-json``) and plain Swagger UI pages
(``SwaggerUIBundle({url: "..."})`` or ``urls: [{url: "...", name: "..."}]``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scripts.spec_io import DocKind, document_kind

_DOC_KEY = re.compile(r"""(?<![\w$])["']?(?:swaggerDoc|spec)["']?\s*:\s*(?=\{)""")
_URL_KEY = re.compile(r"""(?<![\w$])["']?(?:url|swaggerUrl)["']?\s*:\s*(["'`])([^"'`\s]+)\1""")
_LIBRARY_SCRIPT = re.compile(r"swagger-ui(?:-bundle|-standalone-preset|-es-bundle(?:-core)?)?\.js")


@dataclass(frozen=True)
class Embedded:
    """A document found inside a page or script."""

    raw: bytes
    value: dict[str, Any]
    kind: DocKind


def find_embedded_document(text: str) -> Embedded | None:
    """Return the first JSON ``swaggerDoc: {...}`` / ``spec: {...}`` that is an API document."""
    decoder = json.JSONDecoder()
    for match in _DOC_KEY.finditer(text):
        start = match.end()
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            continue
        kind = document_kind(value)
        if isinstance(value, dict) and kind is not None:
            return Embedded(raw=text[start:end].encode("utf-8"), value=value, kind=kind)
    return None


def find_document_urls(text: str) -> list[str]:
    """Return the string ``url`` / ``swaggerUrl`` values in a Swagger UI configuration."""
    found: list[str] = []
    for match in _URL_KEY.finditer(text):
        if match.group(2) not in found:
            found.append(match.group(2))
    return found


class _ScriptSources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        src = dict(attrs).get("src")
        if tag == "script" and src:
            self.sources.append(src)


def script_sources(html: str) -> list[str]:
    """``<script src>`` values, minus the Swagger UI library bundles (they hold no document)."""
    parser = _ScriptSources()
    parser.feed(html)
    parser.close()
    return [
        src
        for src in parser.sources
        if not _LIBRARY_SCRIPT.fullmatch(urlsplit(src).path.rsplit("/", 1)[-1])
    ]


def convention_urls(page_url: str) -> list[str]:
    """Where NestJS / swagger-ui-express serve the document next to a Swagger UI page."""
    parts = urlsplit(page_url)
    path = parts.path.rsplit("/", 1)[0] if parts.path.endswith(".html") else parts.path
    base = urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))
    if not path.strip("/"):
        return [f"{base}/swagger-ui-init.js", f"{base}/json"]
    return [f"{base}/swagger-ui-init.js", f"{base}-json", f"{base}/json", f"{base}-yaml"]
