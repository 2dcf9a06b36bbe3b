"""Decoding of successful responses for hand-written helpers."""

from __future__ import annotations

import json
from typing import Any

import httpx

from ._errors import ResponseValidationError

__all__ = ["parse_json"]


def parse_json(response: httpx.Response) -> Any:
    """Decode a 2xx JSON body; a 204 or 205 gives ``None``.

    Raises :class:`ResponseValidationError` when the body is empty, truncated or not JSON.
    """
    if response.status_code in (204, 205):
        return None
    request = response.request
    where = f"{request.method} {request.url.path} returned {response.status_code}"
    text = response.content.decode("utf-8", errors="replace")
    if not text.strip():
        raise ResponseValidationError(
            f"{where} with an empty body; expected JSON",
            status_code=response.status_code,
            body=text,
        )
    try:
        return json.loads(response.content)
    except ValueError as exc:
        kind = response.headers.get("content-type", "no content type")
        raise ResponseValidationError(
            f"{where} with a body that is not valid JSON ({kind}): {exc}",
            status_code=response.status_code,
            body=text,
            cause=exc,
        ) from exc
