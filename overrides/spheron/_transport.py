"""Retry rules shared by both modes: policy, Retry-After, attempt bookkeeping and logging.

The transport that applies them is ``spheron._async._transport.AsyncRetryTransport`` (sync
copy: ``spheron._sync._transport.RetryTransport``); see the README, "How a request flows".
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import httpx

from ._constants import (
    IDEMPOTENT_METHODS,
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    RETRYABLE_STATUSES,
)
from ._errors import make_total_timeout_error, redact
from ._logs import logger
from ._retry_after import retry_after

__all__ = ["Attempts", "RetryPolicy", "Tracked", "bind", "jitter", "replay_check", "retry_after"]

JitterFn = Callable[[], float]

# Failures that happen before the request leaves this machine: safe to retry for any method.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures after which the server may or may not have acted on the request.
_MAYBE_SENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def jitter() -> float:
    """A random factor in (0.75, 1.0] that spreads out retries from many clients."""
    return 1.0 - 0.25 * random.random()


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before retrying."""

    max_retries: int = 2
    initial_delay: float = INITIAL_RETRY_DELAY
    max_delay: float = MAX_RETRY_DELAY
    max_retry_after: float = MAX_RETRY_AFTER

    def backoff(self, retry: int, jitter: float) -> float:
        """Delay before retry number ``retry`` (0-based) without server guidance."""
        return min(self.initial_delay * 2.0**retry, self.max_delay) * jitter

    def delay(self, retry: int, headers: Mapping[str, str] | None, jitter: float) -> float | None:
        """Delay before retry ``retry``: the server's Retry-After, else the backoff.

        A Retry-After longer than ``max_retry_after`` is not slept on: ``None`` means "do not
        retry", and the caller gets the error with its ``retry_after`` to decide. A negative, past
        or unreadable value falls back to the backoff (never a retry without any pause).
        """
        after = retry_after(headers) if headers is not None else None
        if after is None or after <= 0:
            return self.backoff(retry, jitter)
        if after > self.max_retry_after:
            return None
        return after


def _where(request: httpx.Request) -> str:
    return f"{request.method} {request.url.path}"


def _request_id(response: httpx.Response, request: httpx.Request) -> str:
    """The response's request id for the logs (a server may echo anything there, the token too)."""
    value = response.headers.get("x-request-id") or response.headers.get("request-id") or "-"
    return redact(value, request)


class Tracked(Protocol):
    """A request body wrapper that knows whether sending it has started."""

    started: bool


class Attempts:
    """Retry bookkeeping shared by the sync and async transports."""

    def __init__(
        self,
        request: httpx.Request,
        policy: RetryPolicy,
        replayable: Callable[[], bool],
        total_timeout: float | None = None,
    ) -> None:
        self.request = request
        self.policy = policy
        self.replayable = replayable
        self.retries = 0
        self.started = time.monotonic()
        self.deadline = None if total_timeout is None else self.started + total_timeout
        """When the whole call must be over (``time.monotonic()``), or ``None``."""

    def bound_attempt(self) -> None:
        """Before an attempt: no single timeout may outlast the call's deadline.

        Each of connect/read/write/pool becomes at most the time left; past the deadline the
        call ends with :class:`~spheron.APITimeoutError`.
        """
        if self.deadline is None:
            return
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise make_total_timeout_error(self.request)
        current = self.request.extensions.get("timeout") or {}
        values = current.values()
        if len(current) == 4 and None not in values and max(values) <= left:
            return  # every timeout already ends in time (most attempts, most calls)
        timeouts = dict(current)
        for name in ("connect", "read", "write", "pool"):
            value = timeouts.get(name)
            timeouts[name] = left if value is None else min(value, left)
        self.request.extensions["timeout"] = timeouts

    def _fits(self, delay: float) -> bool:
        return self.deadline is None or time.monotonic() + delay < self.deadline

    @property
    def exhausted(self) -> bool:
        return self.retries >= self.policy.max_retries

    def retry_error(self, exc: httpx.RequestError, jitter: JitterFn) -> float | None:
        """Seconds to wait before retrying after ``exc``, or ``None`` to give up.

        ``jitter`` is called only when a retry is due (not on every answer)."""
        if self.exhausted or not isinstance(exc, httpx.TransportError) or not self.replayable():
            return None
        idempotent = self.request.method in IDEMPOTENT_METHODS
        if isinstance(exc, _NOT_SENT) or (idempotent and isinstance(exc, _MAYBE_SENT)):
            delay = self.policy.backoff(self.retries, jitter())
            return self._next(delay, type(exc).__name__) if self._fits(delay) else None
        return None

    def retry_response(self, response: httpx.Response, jitter: JitterFn) -> float | None:
        """Seconds to wait before retrying after ``response``, or ``None`` to keep it."""
        if (
            self.exhausted
            or response.status_code not in RETRYABLE_STATUSES
            or self.request.method not in IDEMPOTENT_METHODS
            or not self.replayable()
        ):
            return None
        delay = self.policy.delay(self.retries, response.headers, jitter())
        if delay is None or not self._fits(delay):
            return None  # longer than we wait, or than the call has left: the caller decides
        why = f"status {response.status_code}, request id {_request_id(response, self.request)}"
        return self._next(delay, why)

    def _next(self, delay: float, why: str) -> float:
        self.retries += 1
        logger.info(
            "%s: %s; retrying in %.2fs (retry %d of %d)",
            _where(self.request),
            why,
            delay,
            self.retries,
            self.policy.max_retries,
        )
        return delay

    def debug_sending(self) -> None:
        logger.debug("%s: sending (attempt %d)", _where(self.request), self.retries + 1)

    def done(self, response: httpx.Response) -> None:
        if not logger.isEnabledFor(logging.INFO):  # skip formatting the arguments
            return
        logger.info(
            "%s -> %d in %.3fs, %d retries, request id %s",
            _where(self.request),
            response.status_code,
            time.monotonic() - self.started,
            self.retries,
            _request_id(response, self.request),
        )

    def failed(self, exc: Exception) -> None:
        if not logger.isEnabledFor(logging.INFO):
            return
        logger.info(
            "%s failed in %.3fs after %d retries: %s",
            _where(self.request),
            time.monotonic() - self.started,
            self.retries,
            type(exc).__name__,
        )


def replay_check(request: httpx.Request, tracked: Tracked | None) -> Callable[[], bool]:
    """A callable telling whether the body can still be sent again.

    In-memory bodies always can; a streamed body only while nothing of it has been read
    (httpx's own buffering swaps the stream for an in-memory copy, which counts as replayable).
    """

    def replayable() -> bool:
        return isinstance(request.stream, httpx.ByteStream) or (
            tracked is not None and not tracked.started
        )

    return replayable


def bind(response: httpx.Response, request: httpx.Request) -> None:
    """Set ``response.request`` (bare transports leave it unset; httpx's client sets it too,
    after the transport): the response answers ``request``, whatever a transport put there."""
    response.request = request
