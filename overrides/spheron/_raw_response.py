"""What ``with_raw_response`` and ``with_streaming_response`` return: the HTTP answer of a call.

``client.projects.with_raw_response.get(id)`` runs ``client.projects.get(id)`` and returns a
:class:`RawResponse`: status, headers, request id and HTTP version of the call's (last) response,
and ``.parse()``, the value the method itself returns. A non-2xx answer still raises its typed
error; a 2xx body that does not decode is raised by ``.parse()``, so the headers stay readable.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import httpx

from ._errors import redact
from ._exceptions import InvalidArgumentError, ResponseValidationError

__all__ = ["RawResponse", "ResponseInfo", "raw_response"]

T = TypeVar("T")


class ResponseInfo:
    """The HTTP facts of one response (the body itself is not read by these)."""

    def __init__(self, http_response: httpx.Response) -> None:
        self.http_response = http_response
        """The ``httpx.Response`` itself."""

    @property
    def status_code(self) -> int:
        """The HTTP status (always 2xx here: other answers raise typed errors)."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The server's ``x-request-id`` (or ``request-id``), token masked; ``None`` if absent."""
        headers = self.http_response.headers
        value = headers.get("x-request-id") or headers.get("request-id")
        return None if value is None else redact(value, self.http_response.request)

    @property
    def http_version(self) -> str:
        """``HTTP/1.1`` or ``HTTP/2``."""
        return self.http_response.http_version

    @property
    def url(self) -> httpx.URL:
        """The URL that was requested."""
        return self.http_response.request.url

    @property
    def method(self) -> str:
        """The HTTP method that was sent."""
        return self.http_response.request.method

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.method} {self.url.path} -> {self.status_code} "
            f"{self.http_version}>"
        )


class RawResponse(ResponseInfo, Generic[T]):
    """A call's HTTP response (already read) and, through :meth:`parse`, its value."""

    def __init__(
        self,
        http_response: httpx.Response,
        value: Any = None,
        error: ResponseValidationError | None = None,
    ) -> None:
        super().__init__(http_response)
        self._value = value
        self._error = error

    @property
    def content(self) -> bytes:
        """The body's bytes, as received (decompressed)."""
        return self.http_response.content

    @property
    def text(self) -> str:
        """The body as text."""
        return self.http_response.text

    def parse(self) -> T:
        """The value the method returns without ``with_raw_response``.

        Raises:
            ResponseValidationError: the 2xx body did not match the API document.
        """
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[no-any-return]


def raw_response(
    seen: list[httpx.Response],
    value: T | None = None,
    error: ResponseValidationError | None = None,
) -> RawResponse[T]:
    """The :class:`RawResponse` of a call that received ``seen`` (the last one is kept)."""
    if not seen:
        if error is not None:
            raise error
        raise InvalidArgumentError(
            "this call made no request (for a list, limit=0 fetches nothing), so it has no raw "
            "response; call the method without with_raw_response"
        )
    return RawResponse(seen[-1], value, error)
