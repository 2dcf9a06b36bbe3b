"""The root of every error this distribution raises, in a leaf module.

``SpheronError`` and ``ResponseValidationError`` are defined here, in the hand-written layer;
the generated ``spheron_api_client.errors`` imports and re-exports them (through the template
``openapi/templates/errors.py.jinja``), so generated functions raise the same classes. This
module imports nothing from ``spheron_api_client`` and only the leaf ``spheron._redact``, so
either package can be imported first.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx

from ._redact import credential_of, redact_text

__all__ = ["InvalidArgumentError", "ResponseValidationError", "SpheronError", "path_segment"]

_BODY_PREVIEW = 1000
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.~-]+").fullmatch
"""Ids that ``quote(text, safe="")`` leaves as they are."""
_REASON_LIMIT = 500


class SpheronError(Exception):
    """Base of every error raised by spheron-api-client."""


class InvalidArgumentError(SpheronError, ValueError):
    """An argument that cannot be sent as given (an empty or dot-only path id, ...).

    Raised before any request is sent; also a ``ValueError`` so that plain ``except ValueError``
    clauses keep working.
    """


def path_segment(value: object, name: str) -> str:
    """``value`` percent-encoded as one path segment, or :class:`InvalidArgumentError`.

    An empty id would drop the segment and ``.``/``..`` (any id made only of dots) would be
    resolved as a relative path by URL normalisation, so ``DELETE /v1/compute-instance/{id}/
    domains/..`` would reach ``/v1/compute-instance/{id}`` and delete the instance. Those are
    refused before any request is sent. Generated functions call it through
    ``spheron_api_client.errors.path_segment`` (the endpoint template).
    """
    if type(value) is str and _PLAIN_ID(value) and value.strip("."):
        return value  # the usual id: nothing to refuse, nothing to encode
    if value is None or value is True or value is False:
        raise InvalidArgumentError(f"{name} must be a string id, not {value!r}")
    text = str(value)
    if not text.strip():
        raise InvalidArgumentError(f"{name} must not be empty")
    if not text.strip().strip("."):
        raise InvalidArgumentError(
            f"{name} must not be made only of dots ({text[:20]!r}): it would address another "
            "endpoint"
        )
    return quote(text, safe="")


class ResponseValidationError(SpheronError):
    """A 2xx answer whose body does not match the API document (not JSON, truncated, wrong
    shape)."""

    def __init__(
        self, message: str, *, status_code: int, body: str, cause: BaseException | None = None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body[:_BODY_PREVIEW]
        self.cause = cause

    @classmethod
    def from_response(
        cls, response: httpx.Response, cause: BaseException
    ) -> ResponseValidationError:
        """Describe why ``response`` could not be decoded."""
        request = response.request
        where = f"{request.method} {request.url.path}"
        text = response.content.decode("utf-8", errors="replace")
        kind = response.headers.get("content-type", "no content type")
        if not text.strip():
            reason = "the body is empty"
        elif isinstance(cause, ValueError) and "json" in type(cause).__module__.lower():
            reason = f"the body is not valid JSON ({kind})"
        elif isinstance(cause, KeyError):
            reason = f"a required key is missing: {cause}"
        else:
            reason = f"{type(cause).__name__}: {cause}"
        if len(reason) > _REASON_LIMIT:
            reason = reason[: _REASON_LIMIT - 1] + "…"
        message = (
            f"{where} answered {response.status_code} with a body that does not match the API "
            f"document: {reason}"
        )
        # The reason may quote the body, and a body may echo the request's own credential
        # (raw, JSON-escaped or percent-encoded).
        credential = (credential_of(request.headers),)
        message = redact_text(message, credential)
        text = redact_text(text, credential)
        return cls(message, status_code=response.status_code, body=text, cause=cause)
