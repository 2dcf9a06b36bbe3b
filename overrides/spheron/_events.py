"""A minimal reader for ``text/event-stream`` bodies (the API's ``/v1/subscribe`` stream)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from ._config import LIMITS_EXTENSION, ResponseLimits
from ._errors import make_too_large_error
from ._exceptions import ResponseValidationError

__all__ = [
    "DEFAULT_IDLE_TIMEOUT",
    "MAX_LINE_BYTES",
    "ServerSentEvent",
    "SseDecoder",
    "check_stream",
    "stream_extensions",
    "stream_timeout",
]

DEPLOYED = 2
"""``type`` of the message announcing a finished deployment."""
FAILED = 3
"""``type`` of the message announcing a failed deployment."""
MAX_LINE_BYTES = 1024 * 1024
"""The longest line (and event data) an event stream may send."""
DEFAULT_IDLE_TIMEOUT = 300.0
"""Seconds an event stream may stay silent before :class:`~spheron.APITimeoutError`."""
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class ServerSentEvent:
    """One event; Spheron puts a JSON object with a ``type`` key in ``data``."""

    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        """``data`` decoded as JSON."""
        return json.loads(self.data)

    @property
    def type(self) -> object:
        """The ``type`` key of a JSON object payload (2 = deployed, 3 = failed), else ``None``."""
        try:
            payload = self.json()
        except ValueError:
            return None
        return payload.get("type") if isinstance(payload, dict) else None


class SseDecoder:
    """Turns text chunks into events following the WHATWG event-stream rules.

    A line, and an event's data, may be at most ``max_line_bytes`` characters: a hostile
    stream that never ends its line raises :class:`ResponseTooLargeError` instead of growing
    without bound (``request`` names the call in the error).
    """

    def __init__(
        self, request: httpx.Request | None = None, *, max_line_bytes: int = MAX_LINE_BYTES
    ) -> None:
        self._request = request
        self._max = max_line_bytes
        self._partial = ""
        self._skip_lf = False
        self._event = ""
        self._data: list[str] = []
        self._size = 0
        self._id: str | None = None
        self._retry: int | None = None

    def feed_text(self, text: str) -> list[ServerSentEvent]:
        """Consume a chunk of the stream; return the events it completed."""
        if self._skip_lf and text.startswith("\n"):
            text = text[1:]
        self._skip_lf = False
        events: list[ServerSentEvent] = []
        start = 0
        for end in _LINE_END.finditer(text):
            line = self._partial + text[start : end.start()]
            self._partial, start = "", end.end()
            self._skip_lf = end.group() == "\r" and start == len(text)
            event = self.feed(line)
            if event is not None:
                events.append(event)
        self._partial += text[start:]
        self._check(len(self._partial))
        return events

    def feed(self, line: str) -> ServerSentEvent | None:
        """Consume one line (without its end); a blank line may complete an event."""
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._size += len(value) + 1
            self._check(self._size)
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return None

    def _check(self, size: int) -> None:
        if size > self._max:
            request = self._request or httpx.Request("GET", "/v1/subscribe")
            raise make_too_large_error(request, self._max)

    def _dispatch(self) -> ServerSentEvent | None:
        if not self._data:
            self._event = ""
            return None
        event = ServerSentEvent(
            data="\n".join(self._data),
            event=self._event or "message",
            id=self._id,
            retry=self._retry,
        )
        self._event, self._data, self._size = "", [], 0
        return event

    def decode(self, chunks: Iterable[str]) -> Iterator[ServerSentEvent]:
        for chunk in chunks:
            yield from self.feed_text(chunk)

    async def adecode(self, chunks: AsyncIterator[str]) -> AsyncIterator[ServerSentEvent]:
        async for chunk in chunks:
            for event in self.feed_text(chunk):
                yield event


def stream_timeout(timeout: httpx.Timeout, idle_timeout: float) -> httpx.Timeout:
    """``timeout`` with ``idle_timeout`` as the read limit: how long the stream may be silent."""
    return httpx.Timeout(
        connect=timeout.connect, read=idle_timeout, write=timeout.write, pool=timeout.pool
    )


def stream_extensions(timeout: float | None) -> dict[str, object]:
    """Request extensions of an event stream: no size cap; ``timeout`` bounds it in all."""
    return {LIMITS_EXTENSION: ResponseLimits(total_timeout=timeout, max_response_bytes=None)}


def check_stream(response: httpx.Response) -> None:
    """Refuse an answer that is not a successful event stream."""
    if response.is_success:
        return
    raise ResponseValidationError(
        f"GET {response.request.url.path} answered {response.status_code} instead of an "
        "event stream",
        status_code=response.status_code,
        body="",
    )
