"""The root of every error this distribution raises, in a leaf module.

``SpheronError`` and ``ResponseValidationError`` are defined here, in the hand-written layer;
the generated ``spheron_api_client.errors`` imports and re-exports them (through the template
``openapi/templates/errors.py.jinja``), so generated functions raise the same classes. This
module imports nothing from ``spheron`` or ``spheron_api_client``, so either package can be
imported first.
"""

from __future__ import annotations

import httpx

__all__ = ["ResponseValidationError", "SpheronError"]

_BODY_PREVIEW = 1000
_REASON_LIMIT = 500


class SpheronError(Exception):
    """Base of every error raised by spheron-api-client."""


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
        # The reason may quote the body, and a body may echo the request's own credential.
        credential = request.headers.get("authorization", "").partition(" ")[2].strip()
        if len(credential) >= 8:
            message = message.replace(credential, "***")
            text = text.replace(credential, "***")
        return cls(message, status_code=response.status_code, body=text, cause=cause)
