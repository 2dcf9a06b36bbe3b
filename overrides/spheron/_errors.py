"""The error hierarchy: everything raised by ``spheron`` is a :class:`SpheronError`."""

from __future__ import annotations

import json
import re

import httpx

from ._exceptions import InvalidArgumentError, ResponseValidationError, SpheronError
from ._json import JSONValue
from ._redact import credential_of, redact_text
from ._retry_after import retry_after

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "InvalidArgumentError",
    "JSONValue",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "SpheronConfigError",
    "SpheronError",
    "UnprocessableEntityError",
    "error_class_for_status",
    "make_connection_error",
    "make_status_error",
    "make_too_large_error",
    "make_total_timeout_error",
    "redact",
]

AUTH_FAILED_MESSAGE = (
    "authentication failed: the token is invalid, expired, or not scoped to this organization"
)
_BODY_LIMIT = 1000
_PREVIEW_LIMIT = 200
_MESSAGE_DEPTH = 5
# Bounded so that a huge body with many unclosed "<title" tags is scanned in linear time.
_TITLE = re.compile(r"<title\b[^<>]{0,200}>([^<]{0,2000})</title", re.IGNORECASE)
_TITLE_SCAN = 64 * 1024


class SpheronConfigError(SpheronError):
    """The client is misconfigured: missing token, insecure base URL or an invalid option."""


class APIError(SpheronError):
    """A request to the API failed. ``method`` and ``url`` say which one."""

    message: str
    request: httpx.Request
    method: str
    url: str

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.method = request.method
        self.url = str(request.url)


class APIConnectionError(APIError):
    """No usable response: the connection failed, broke, or the protocol was violated."""


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or waiting for a pooled connection)."""


class ResponseTooLargeError(APIError):
    """The response body passed the size cap (``max_response_bytes``, counted after decoding).

    ``limit`` is the cap in bytes. Nothing beyond it was kept in memory.
    """

    def __init__(self, message: str, *, request: httpx.Request, limit: int) -> None:
        super().__init__(message, request=request)
        self.limit = limit


class APIStatusError(APIError):
    """The API answered with a non-2xx status.

    ``str(err)`` is the formatted line (method, path, status, the server's message, request
    id). ``message`` is the server's own message: the ``message`` of the JSON error envelope
    (``{"message": ...}``, ``{"error": ..., "message": ...}``; else its ``error`` or ``detail``
    text), or the HTTP reason phrase (``"Not Found"``) when the body has none. ``code`` and
    ``error`` are the envelope's ``code`` (a number is given as its decimal text) and ``error``
    (a short text or a flag), ``None`` when absent. ``body`` is the decoded JSON body, the text
    (first 1000 characters) when it is not JSON, or ``None`` when empty. ``request_id`` comes from
    the ``x-request-id``/``request-id`` header. The request's token is masked in all of them.
    """

    response: httpx.Response
    status_code: int
    body: JSONValue
    code: str | None
    error: str | bool | None
    request_id: str | None
    retry_after: float | None
    """Seconds the server asked to wait (``Retry-After``/``retry-after-ms``), if it said."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: JSONValue,
        request_id: str | None,
        retry_after: float | None = None,
        server_message: str | None = None,
    ) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.request_id = request_id
        self.retry_after = retry_after
        request = response.request
        envelope = body if isinstance(body, dict) else {}
        if server_message is None:
            server_message = _shorten(_server_message(envelope), _BODY_LIMIT)
        self.message = (
            redact(server_message, request) or _reason(response) or f"HTTP {self.status_code}"
        )
        code = _envelope_field(envelope, "code")
        self.code = None if code is None else redact(str(code), request)
        error = envelope.get("error")
        self.error = redact(error, request) if isinstance(error, str) else None
        if isinstance(error, bool):
            self.error = error


class BadRequestError(APIStatusError):
    """400: the request was malformed or failed validation."""


class AuthenticationError(APIStatusError):
    """401: the token was missing or rejected."""


class PermissionDeniedError(APIStatusError):
    """403: the API's answer to an invalid, expired or wrongly scoped token."""


class NotFoundError(APIStatusError):
    """404: the resource does not exist (or is not visible to this token)."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the resource's current state."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was well-formed but semantically invalid."""


class RateLimitError(APIStatusError):
    """429: too many requests; retried automatically for idempotent methods."""


class InternalServerError(APIStatusError):
    """5xx: the API failed; retried automatically for idempotent methods."""


STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for_status(status_code: int) -> type[APIStatusError]:
    """The :class:`APIStatusError` subclass raised for ``status_code``."""
    if status_code >= 500:
        return InternalServerError
    return STATUS_ERRORS.get(status_code, APIStatusError)


def make_status_error(response: httpx.Response) -> APIStatusError:
    """Build the typed error for a non-2xx ``response`` (its body must have been read)."""
    request = response.request
    status = response.status_code
    text = redact(_body_text(response), request)
    body, detail, body_is_json = _describe_body(text, response.headers.get("content-type", ""))
    server_message = detail if body_is_json else ""
    if status in (401, 403):
        detail = AUTH_FAILED_MESSAGE + (f" (server said: {detail})" if detail else "")
    elif 300 <= status < 400 and "location" in response.headers:
        detail = detail or f"redirect to {response.headers['location']} not followed"
    message = f"{request.method} {request.url.path} returned {status} {_reason(response)}"
    message = message.rstrip()
    if detail:
        message += f": {detail}"
    request_id = response.headers.get("x-request-id") or response.headers.get("request-id")
    if request_id:
        request_id = redact(request_id, request)
        message += f" (request id: {request_id})"
    wait = retry_after(response.headers)
    wait = wait if wait is not None and wait > 0 else None
    if wait is not None and status in (429, 503):
        message += f" (retry after {wait:g}s)"
    # Again on the whole message: the token may also come back in a header (request id,
    # Location) or JSON-escaped in the body ("\u0073..."), which the raw-text pass cannot see.
    message = redact(message, request)
    return error_class_for_status(status)(
        message,
        response=response,
        body=body,
        request_id=request_id,
        retry_after=wait,
        server_message=server_message,
    )


def make_connection_error(request: httpx.Request, exc: Exception) -> APIConnectionError:
    """Wrap an httpx request failure in :class:`APITimeoutError` or :class:`APIConnectionError`."""
    where = (
        f"{request.method} {request.url.scheme}://{request.url.netloc.decode()}{request.url.path}"
    )
    cause = redact(str(exc), request) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"{where} timed out ({type(exc).__name__}: {cause})", request=request
        )
    return APIConnectionError(f"{where} failed: {type(exc).__name__}: {cause}", request=request)


def make_total_timeout_error(request: httpx.Request) -> APITimeoutError:
    """The call ran past its ``total_timeout`` (connecting, retries, waits and the body)."""
    return APITimeoutError(
        f"{request.method} {request.url.path} did not complete within its total_timeout "
        "(connecting, retries, Retry-After waits and reading the whole body)",
        request=request,
    )


def make_too_large_error(request: httpx.Request, limit: int) -> ResponseTooLargeError:
    """The body of the answer to ``request`` passed ``limit`` bytes once decoded."""
    return ResponseTooLargeError(
        f"{request.method} {request.url.path}: the response body is larger than "
        f"{limit:,} bytes once decoded (max_response_bytes); nothing past that was read",
        request=request,
        limit=limit,
    )


def _body_text(response: httpx.Response) -> str:
    try:
        return response.text
    except httpx.ResponseNotRead:
        return ""


def _describe_body(text: str, content_type: str) -> tuple[JSONValue, str, bool]:
    """Return ``(body, detail, is_json)``: the decoded body and a one-line summary of it."""
    if not text.strip():
        return None, "", False
    try:
        data: JSONValue = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the stack
        return text[:_BODY_LIMIT], _non_json_summary(text, content_type), False
    return data, _shorten(_server_message(data), _BODY_LIMIT), True


def _reason(response: httpx.Response) -> str:
    return response.reason_phrase or httpx.codes.get_reason_phrase(response.status_code)


def _envelope_field(envelope: dict[str, JSONValue], key: str) -> str | int | None:
    """``key`` of the envelope, or of a nested ``{"error": {...}}``, when it is a text or a
    whole number (not a flag)."""
    for where in (envelope, envelope.get("error")):
        if isinstance(where, dict):
            value = where.get(key)
            if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
                return value
    return None


def _server_message(data: JSONValue, depth: int = 0) -> str:
    """The human message of an error body such as ``{"message": ..., "error": ...}``."""
    if isinstance(data, str):
        return data
    if not isinstance(data, dict) or depth > _MESSAGE_DEPTH:
        return ""
    for key in ("message", "error", "detail"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, list):
            texts = [v for v in value if isinstance(v, str)]
            if texts and len(texts) == len(value):
                return "; ".join(texts)
        if isinstance(value, dict):
            nested = _server_message(value, depth + 1)
            if nested:
                return nested
    return ""


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _non_json_summary(text: str, content_type: str) -> str:
    kind = content_type.split(";")[0].strip() or "no content type"
    title = _TITLE.search(text, 0, _TITLE_SCAN) if "<" in text else None
    preview = _shorten(" ".join((title.group(1) if title else text).split()), _PREVIEW_LIMIT)
    label = "HTML page" if title or "html" in kind else "body"
    return f"non-JSON response ({kind}), {label}: {preview!r}"


def redact(text: str, request: httpx.Request) -> str:
    """Remove the request's bearer credential from ``text`` in every form a server may echo it
    (raw, JSON-escaped, percent-encoded; see ``_redact``), whatever the token's length."""
    return redact_text(text, (credential_of(request.headers),))
