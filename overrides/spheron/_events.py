"""A minimal reader for ``text/event-stream`` bodies (the API's ``/v1/subscribe`` stream)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from ._exceptions import ResponseValidationError

__all__ = ["ServerSentEvent", "SseDecoder", "check_stream", "stream_timeout"]

DEPLOYED = 2
"""``type`` of the message announcing a finished deployment."""
FAILED = 3
"""``type`` of the message announcing a failed deployment."""


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
    """Turns lines into events following the WHATWG event-stream rules."""

    def __init__(self) -> None:
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None
        self._retry: int | None = None

    def feed(self, line: str) -> ServerSentEvent | None:
        """Consume one line (without its end); a blank line may complete an event."""
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return None

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
        self._event, self._data = "", []
        return event

    def decode(self, lines: Iterable[str]) -> Iterator[ServerSentEvent]:
        for line in lines:
            event = self.feed(line)
            if event is not None:
                yield event

    async def adecode(self, lines: AsyncIterator[str]) -> AsyncIterator[ServerSentEvent]:
        async for line in lines:
            event = self.feed(line)
            if event is not None:
                yield event


def stream_timeout(timeout: httpx.Timeout) -> httpx.Timeout:
    """``timeout`` without a read limit: a quiet stream is not a failed one."""
    return httpx.Timeout(connect=timeout.connect, read=None, write=timeout.write, pool=timeout.pool)


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
