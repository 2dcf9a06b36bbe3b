"""A small, exact ``multipart/form-data`` parser (binary safe, no third-party dependency)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

_PARAM = re.compile(
    r';\s*([A-Za-z0-9_.*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)',
)


class MultipartError(ValueError):
    """The body is not well-formed multipart/form-data."""


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes


def boundary_of(content_type: str) -> str:
    """The ``boundary`` parameter of a multipart content type."""
    kind, _, _ = content_type.partition(";")
    if kind.strip().lower() != "multipart/form-data":
        raise MultipartError("expected a multipart/form-data body")
    params = header_params(content_type)
    boundary = params.get("boundary")
    if not boundary:
        raise MultipartError("the multipart content type has no boundary")
    return boundary


def header_params(value: str) -> dict[str, str]:
    """Parameters of a header such as Content-Disposition (``name="x"; filename*=...``)."""
    params: dict[str, str] = {}
    for key, raw in _PARAM.findall(";" + value.partition(";")[2]):
        key = key.lower()
        raw = raw.strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        if key.endswith("*"):
            # RFC 5987: charset'language'percent-encoded
            charset, _, rest = raw.partition("'")
            _, _, encoded = rest.partition("'")
            params[key[:-1]] = unquote(encoded, encoding=charset or "utf-8")
        else:
            params.setdefault(key, raw)
    return params


def parse(body: bytes, content_type: str) -> list[Part]:
    """Split ``body`` into its parts."""
    delimiter = b"--" + boundary_of(content_type).encode("latin-1")
    if not body.startswith(delimiter):
        start = body.find(b"\r\n" + delimiter)
        if start < 0:
            raise MultipartError("the body does not contain the multipart boundary")
        body = body[start + 2 :]
    parts: list[Part] = []
    position = len(delimiter)
    while True:
        if body[position : position + 2] == b"--":
            return parts
        if body[position : position + 2] != b"\r\n":
            raise MultipartError("malformed multipart delimiter line")
        position += 2
        end = body.find(b"\r\n" + delimiter, position)
        if end < 0:
            raise MultipartError("the multipart body is truncated (no closing boundary)")
        parts.append(_part(body[position:end]))
        position = end + 2 + len(delimiter)


def _part(raw: bytes) -> Part:
    head, separator, data = raw.partition(b"\r\n\r\n")
    if not separator:
        raise MultipartError("a multipart part has no header block")
    headers: dict[str, str] = {}
    for line in head.decode("utf-8", errors="replace").split("\r\n"):
        key, colon, value = line.partition(":")
        if colon:
            headers[key.strip().lower()] = value.strip()
    disposition = headers.get("content-disposition", "")
    if disposition.partition(";")[0].strip().lower() != "form-data":
        raise MultipartError("a multipart part lacks Content-Disposition: form-data")
    params = header_params(disposition)
    if "name" not in params:
        raise MultipartError("a multipart part has no name")
    return Part(
        name=params["name"],
        filename=params.get("filename"),
        content_type=headers.get("content-type"),
        data=data,
    )
