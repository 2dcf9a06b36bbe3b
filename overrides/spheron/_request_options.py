"""Per-call request options (``timeout``, ``extra_headers``, ``extra_query``, ``extra_body``).

Every friendly method takes them as keyword arguments (``**options: Unpack[RequestOptions]``,
so a misspelt option is a type error, and a :class:`~spheron.InvalidArgumentError` at run time).
A namespace's ``_call`` resolves them once (:func:`resolve_call_options`) and runs the generated
operation inside :func:`call_scope`; the client's one httpx client applies the scope's options
to the request it sends (:meth:`CallOptions.apply`). The scope is a context variable set around
exactly one generated call, so nothing else (the organization lookup, another task or thread)
sees it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeAlias, TypedDict

import httpx

from ._config import resolve_headers, resolve_timeout
from ._errors import SpheronConfigError
from ._exceptions import InvalidArgumentError

if sys.version_info >= (3, 11):  # pragma: no cover - the branch depends on the interpreter
    from typing import Unpack
else:  # pragma: no cover
    from typing_extensions import Unpack

__all__ = [
    "EXTRA_OPTIONS",
    "MULTIPART_OPTIONS",
    "CallOptions",
    "ExtraOptions",
    "MultipartRequestOptions",
    "RequestOptions",
    "Unpack",
    "call_scope",
    "capture_responses",
    "current_call",
    "record_response",
    "resolve_call_options",
]

QueryValue: TypeAlias = str | int | float | bool | Sequence[str | int | float | bool | None] | None
"""A query value: a sequence sends the key once per value, ``None`` an empty value."""


class ExtraOptions(TypedDict, total=False):
    """Extra headers and query parameters for one call (methods with a ``timeout`` of their own,
    such as ``wait`` and ``events``, take only these)."""

    extra_headers: Mapping[str, str]
    """Headers added to the request (a name the client already sends is replaced)."""
    extra_query: Mapping[str, QueryValue]
    """Query parameters added to the URL (a parameter the method already sends is replaced; a
    sequence sends the key once per value)."""


class MultipartRequestOptions(ExtraOptions, total=False):
    """The options of methods that send ``multipart/form-data`` (no ``extra_body``)."""

    timeout: float | httpx.Timeout
    """As ``client.with_options(timeout=...)``: seconds for each of connect, read, write and
    pool of every attempt, or an ``httpx.Timeout``. The whole call stays bounded by the
    client's ``total_timeout``."""


class RequestOptions(MultipartRequestOptions, total=False):
    """Per-call options every friendly method accepts (the names of the Stainless SDKs)."""

    extra_body: Mapping[str, Any]
    """Keys merged into the JSON object the method sends (replacing keys of the same name); a
    method that sends no body sends this object as its JSON body."""


_ALL_OPTIONS = frozenset(RequestOptions.__optional_keys__)
MULTIPART_OPTIONS = frozenset(MultipartRequestOptions.__optional_keys__)
EXTRA_OPTIONS = frozenset(ExtraOptions.__optional_keys__)


@dataclass(frozen=True)
class CallOptions:
    """Resolved, validated per-call options."""

    headers: Mapping[str, str]
    query: httpx.QueryParams | None
    body: Mapping[str, Any] | None
    timeout: httpx.Timeout | None

    def apply(self, request: httpx.Request) -> httpx.Request:
        """``request`` with these options: the same object, or a new one for a merged body."""
        if self.headers:
            request.headers.update(self.headers)
        if self.query is not None:
            request.url = request.url.copy_merge_params(self.query)
        if self.timeout is not None:
            request.extensions["timeout"] = self.timeout.as_dict()
        if self.body is None:
            return request
        return _with_body(request, self.body)


def _with_body(request: httpx.Request, extra: Mapping[str, Any]) -> httpx.Request:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    where = f"{request.method} {request.url.path}"
    if kind == "application/json":
        try:
            body = json.loads(request.read())
        except ValueError:  # pragma: no cover - the generated code always sends valid JSON
            body = None
        if not isinstance(body, dict):
            raise InvalidArgumentError(
                f"extra_body can only be merged into a JSON object; {where} sends another JSON "
                "value"
            )
        merged: dict[str, Any] = {**body, **extra}
    elif not kind and _empty(request):
        merged = dict(extra)
    else:
        raise InvalidArgumentError(
            f"extra_body can only be merged into a JSON body; {where} sends {kind or 'a body'} "
            "(use the generated function's body model for other fields)"
        )
    headers = httpx.Headers(request.headers)
    for name in ("content-length", "content-type", "transfer-encoding"):
        headers.pop(name, None)
    return httpx.Request(
        request.method, request.url, headers=headers, json=merged, extensions=request.extensions
    )


def _empty(request: httpx.Request) -> bool:
    return isinstance(request.stream, httpx.ByteStream) and not request.read()


def resolve_call_options(
    options: Mapping[str, Any], *, allowed: frozenset[str] = _ALL_OPTIONS
) -> CallOptions | None:
    """Validate the keyword options of one call; ``None`` when there are none.

    An unknown or unsupported option, a bad header, query value, body or timeout raises
    :class:`~spheron.InvalidArgumentError` before anything is sent.
    """
    if not options:
        return None
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise InvalidArgumentError(
            f"unknown request option(s) {', '.join(map(repr, unknown))}; this method accepts "
            f"{', '.join(sorted(allowed))}"
        )
    headers = resolve_headers(_mapping(options.get("extra_headers") or {}, "extra_headers"))
    return CallOptions(
        headers=headers,
        query=_query(options.get("extra_query")),
        body=_body(options.get("extra_body")),
        timeout=_timeout(options.get("timeout")),
    )


def _mapping(value: object, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(f"{name} must be a mapping, got {type(value).__name__}")
    return value


_SCALARS = (str, int, float, bool, type(None))


def _query(value: object) -> httpx.QueryParams | None:
    if value is None:
        return None
    query = _mapping(value, "extra_query")
    for name, item in query.items():
        items = item if isinstance(item, Sequence) and not isinstance(item, str) else [item]
        if not isinstance(name, str) or not all(isinstance(i, _SCALARS) for i in items):
            raise InvalidArgumentError(
                f"extra_query[{name!r}] must be a string, number, bool or None, or a sequence "
                f"of them; got {type(item).__name__}"
            )
    return httpx.QueryParams(query)


def _body(value: object) -> Mapping[str, Any] | None:
    if value is None:
        return None
    body = _mapping(value, "extra_body")
    try:
        json.dumps(body, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(f"extra_body must be JSON-serialisable: {exc}") from None
    return body


def _timeout(value: object) -> httpx.Timeout | None:
    if value is None:
        return None
    try:
        return resolve_timeout(value)  # type: ignore[arg-type]
    except SpheronConfigError as exc:
        raise InvalidArgumentError(str(exc)) from None


_CALL: ContextVar[CallOptions | None] = ContextVar("spheron_call_options", default=None)
_SEEN: ContextVar[list[httpx.Response] | None] = ContextVar("spheron_raw_capture", default=None)


def current_call() -> CallOptions | None:
    """The options of the call being sent, if any."""
    return _CALL.get()


@contextmanager
def call_scope(call: CallOptions | None) -> Iterator[None]:
    """Apply ``call`` to the requests sent inside the block (one generated operation)."""
    if call is None:
        yield
        return
    token = _CALL.set(call)
    try:
        yield
    finally:
        _CALL.reset(token)


@contextmanager
def capture_responses() -> Iterator[list[httpx.Response]]:
    """Collect the responses received inside the block (``with_raw_response``)."""
    seen: list[httpx.Response] = []
    token = _SEEN.set(seen)
    try:
        yield seen
    finally:
        _SEEN.reset(token)


def record_response(response: httpx.Response) -> None:
    """Called by the client's httpx client for every 2xx response it returns."""
    seen = _SEEN.get()
    if seen is not None:
        seen.append(response)
