"""Resolving and validating client options (token, base URL, timeout, retries)."""

from __future__ import annotations

import math
import os
import re
import sys
import typing
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field, replace
from typing import TypedDict

import httpx

from ._constants import (
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
    DEFAULT_TOTAL_TIMEOUT,
    LOOPBACK_HOSTS,
    TOKEN_ENV,
    TOKEN_HELP,
)
from ._errors import SpheronConfigError
from ._exceptions import InvalidArgumentError, path_segment
from ._redact import register_secret
from ._version import __version__

if sys.version_info >= (3, 11):  # pragma: no cover - the branch depends on the interpreter
    from typing import Unpack
else:  # pragma: no cover
    from typing_extensions import Unpack

__all__ = ["BearerAuth", "ClientOptions", "Secret", "resolve_options", "user_agent"]


class Secret:
    """Holds a secret string; its ``repr`` and ``str`` are ``'***'``."""

    __slots__ = ("_redaction", "_value")

    def __init__(self, value: str) -> None:
        self._value = value
        # While this secret lives, the httpx/httpcore/spheron loggers mask it in every form.
        self._redaction = register_secret(value)

    def get_secret_value(self) -> str:
        """The secret itself."""
        return self._value

    def __repr__(self) -> str:
        return "'***'"

    __str__ = __repr__


class BearerAuth(httpx.Auth):
    """Adds ``Authorization: Bearer <token>`` to each request."""

    def __init__(self, token: Secret) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token.get_secret_value()}"
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(token='***')"


LIMITS_EXTENSION = "spheron.limits"
"""The request extension that carries a call's :class:`ResponseLimits` to the transport."""


@dataclass(frozen=True)
class ResponseLimits:
    """Bounds on one call: ``total_timeout`` seconds for all of it (``None``: no bound) and
    ``max_response_bytes`` of decoded body (``None``: no cap)."""

    total_timeout: float | None = DEFAULT_TOTAL_TIMEOUT
    max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES

    def evolve(
        self, *, total_timeout: float | None = None, max_response_bytes: int | None = None
    ) -> ResponseLimits:
        """A copy with the given bounds changed (``None`` keeps the current one)."""
        return ResponseLimits(
            total_timeout=self.total_timeout
            if total_timeout is None
            else resolve_total_timeout(total_timeout),
            max_response_bytes=self.max_response_bytes
            if max_response_bytes is None
            else resolve_max_response_bytes(max_response_bytes),
        )


STREAMING = ResponseLimits(total_timeout=None, max_response_bytes=None)
"""For event streams: no bound on the whole call or its size (each line and read still are)."""


@dataclass(frozen=True)
class ClientOptions:
    """Validated settings shared by a client and its ``with_options`` copies.

    The token lives only in ``auth`` (a :class:`BearerAuth` holding a :class:`Secret`); copies
    share that one object.
    """

    auth: BearerAuth | None
    """``None`` only in a copy made by ``without_auth()``: no ``Authorization`` header."""
    base_url: httpx.URL
    timeout: httpx.Timeout
    max_retries: int
    organization_id: str | None
    headers: Mapping[str, str] = field(default_factory=dict)
    cookies: Mapping[str, str] = field(default_factory=dict)
    connection_limit: int | None = None
    limits: ResponseLimits = field(default_factory=ResponseLimits)
    """The pool's ``max_connections`` when the client built the pool (unknown for a caller's
    own ``http_client``/``transport``): uploads never run more parts at once."""

    def request_headers(self) -> dict[str, str]:
        """Headers sent with every request: User-Agent, Accept, then the caller's."""
        return {"User-Agent": user_agent(), "Accept": "application/json", **self.headers}

    def evolve(self, **changes: Unpack[HttpOptionChanges]) -> ClientOptions:
        """A copy with the given options changed (``None`` keeps the current value; headers and
        cookies are added to the current ones; ``token`` replaces the bearer token)."""
        check_option_names(changes, HTTP_OPTION_NAMES)
        token = changes.get("token")
        timeout = changes.get("timeout")
        max_retries = changes.get("max_retries")
        return replace(
            self,
            auth=self.auth if token is None else BearerAuth(resolve_given_token(token)),
            limits=self.limits.evolve(
                total_timeout=changes.get("total_timeout"),
                max_response_bytes=changes.get("max_response_bytes"),
            ),
            timeout=self.timeout if timeout is None else resolve_timeout(timeout),
            max_retries=self.max_retries if max_retries is None else resolve_retries(max_retries),
            headers={**self.headers, **resolve_headers(changes.get("headers") or {})},
            cookies={**self.cookies, **(changes.get("cookies") or {})},
        )


class OptionChanges(TypedDict, total=False):
    """What ``client.with_options(...)`` changes; a key left out, or ``None``, keeps the current
    value (``headers`` are added to the current ones)."""

    timeout: float | httpx.Timeout | None
    max_retries: int | None
    headers: Mapping[str, str] | None
    total_timeout: float | None
    max_response_bytes: int | None
    token: str | None


class HttpOptionChanges(OptionChanges, total=False):
    """:class:`OptionChanges` and the cookies of the generated client's ``with_cookies``."""

    cookies: Mapping[str, str] | None


OPTION_NAMES = frozenset(typing.get_type_hints(OptionChanges))
"""The keys of :class:`OptionChanges` (what ``with_options`` takes)."""
HTTP_OPTION_NAMES = frozenset(typing.get_type_hints(HttpOptionChanges))
"""The keys of :class:`HttpOptionChanges` (what ``derive``/``evolve`` take)."""


def check_option_names(changes: Mapping[str, object], names: frozenset[str]) -> None:
    """Refuse an option name not in ``names`` (a misspelt ``max_retry``), at once."""
    unknown = sorted(set(changes) - names)
    if unknown:
        known = ", ".join(sorted(names))
        raise InvalidArgumentError(f"unknown option(s) {', '.join(unknown)}; known: {known}")


def resolve_options(
    *,
    token: str | None,
    base_url: str | httpx.URL | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int,
    organization_id: str | None,
    allow_insecure_http: bool,
) -> ClientOptions:
    """Validate constructor arguments, filling gaps from the environment and defaults."""
    return ClientOptions(
        auth=BearerAuth(resolve_token(token)),
        base_url=resolve_base_url(base_url, allow_insecure_http=allow_insecure_http),
        timeout=resolve_timeout(timeout),
        max_retries=resolve_retries(max_retries),
        organization_id=resolve_organization(organization_id),
    )


def resolve_organization(organization_id: str | None) -> str | None:
    """The default organization: ``None`` means "ask the token's scope"; an empty id raises."""
    if organization_id is None:
        return None
    try:
        path_segment(organization_id, "organization_id")
    except InvalidArgumentError as exc:
        raise SpheronConfigError(
            f"{exc}; pass organization_id=None (or leave it out) to use the token's organization"
        ) from None
    return organization_id


def resolve_given_token(token: str) -> Secret:
    """A token passed for one copy of the client (never read from the environment)."""
    if not isinstance(token, str) or not token.strip():
        raise SpheronConfigError("token must be a non-empty string; use without_auth() for none.")
    return resolve_token(token)


def resolve_token(token: str | None) -> Secret:
    """The token argument, else ``SPHERON_TOKEN``; missing or malformed raises."""
    value = (token if token is not None else os.environ.get(TOKEN_ENV, "")).strip()
    if not value:
        raise SpheronConfigError(f"No Spheron API token was given. {TOKEN_HELP}")
    if not value.isascii() or not value.isprintable() or any(c.isspace() for c in value):
        raise SpheronConfigError(
            "The Spheron API token contains spaces or non-printable characters; "
            f"copy it again from the dashboard. {TOKEN_HELP}"
        )
    return Secret(value)


def resolve_base_url(base_url: str | httpx.URL | None, *, allow_insecure_http: bool) -> httpx.URL:
    """The base URL argument, else ``SPHERON_BASE_URL``, else the public API; must be https."""
    if base_url is None:
        base_url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    raw = str(base_url)
    try:
        url = httpx.URL(raw.strip())
    except httpx.InvalidURL as exc:
        raise SpheronConfigError(f"Invalid base URL: {exc}") from None
    if url.userinfo:
        raise SpheronConfigError("The base URL must not contain a user name or password.")
    if url.scheme not in ("http", "https") or not url.host:
        raise SpheronConfigError(f"The base URL must be an absolute https:// URL, got {raw!r}.")
    if url.scheme == "http" and url.host not in LOOPBACK_HOSTS and not allow_insecure_http:
        raise SpheronConfigError(
            f"Refusing to send the API token over plain HTTP to {url.host}: use https://, or pass "
            "allow_insecure_http=True (http:// is always allowed for localhost, 127.0.0.1 and ::1)."
        )
    path = url.path.rstrip("/")
    # Integrations ported from an axios ``baseURL`` often end in ``/v1``; every operation path
    # carries its own version, so a trailing version segment would give ``/v1/v1/...``.
    path = _VERSION_SUFFIX.sub("", path)
    return url.copy_with(path=path or "/")


_VERSION_SUFFIX = re.compile(r"/v[0-9]+$")
_TOKEN_CHARS = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def resolve_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Extra headers, checked here rather than failing deep in httpx at send time."""
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not _TOKEN_CHARS.match(name):
            raise InvalidArgumentError(f"header name {name!r} is not a valid HTTP header name")
        if not isinstance(value, str) or not value.isascii() or not value.isprintable():
            raise InvalidArgumentError(
                f"the value of header {name!r} must be printable ASCII text (HTTP headers carry "
                "no other characters); percent-encode or base64 it"
            )
        checked[name] = value
    return checked


def resolve_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    """``None`` gives the finite default; a number applies to connect, read, write and pool."""
    if timeout is None:
        return DEFAULT_TIMEOUT
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise SpheronConfigError(f"timeout must be seconds or an httpx.Timeout, got {timeout!r}.")
    if not (math.isfinite(timeout) and timeout > 0):
        raise SpheronConfigError(f"timeout must be a positive number of seconds, got {timeout!r}.")
    return httpx.Timeout(float(timeout))


def resolve_total_timeout(total_timeout: float) -> float:
    """A positive, finite number of seconds for a whole call."""
    if (
        isinstance(total_timeout, bool)
        or not isinstance(total_timeout, (int, float))
        or not (math.isfinite(total_timeout) and total_timeout > 0)
    ):
        raise SpheronConfigError(
            f"total_timeout must be a positive number of seconds, got {total_timeout!r}."
        )
    return float(total_timeout)


def resolve_max_response_bytes(max_response_bytes: int) -> int:
    """A positive byte count."""
    if (
        isinstance(max_response_bytes, bool)
        or not isinstance(max_response_bytes, int)
        or max_response_bytes < 1
    ):
        raise SpheronConfigError(
            f"max_response_bytes must be a positive int, got {max_response_bytes!r}."
        )
    return max_response_bytes


def resolve_retries(max_retries: int) -> int:
    """A non-negative retry count."""
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise SpheronConfigError(f"max_retries must be an int >= 0, got {max_retries!r}.")
    return max_retries


def user_agent() -> str:
    """``spheron-api-client/<version> (api <document version>) python-httpx/<version>``."""
    try:
        from spheron_api_client._document import API_VERSION
    except ImportError:  # generated package without the document module
        api = ""
    else:
        api = f" (api {API_VERSION})"
    return f"spheron-api-client/{__version__}{api} python-httpx/{httpx.__version__}"
