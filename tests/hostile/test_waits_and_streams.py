"""Finding 3 (waits, event streams) and 7 (503s during a wait), against hostile servers.

A stalled poll cannot stretch ``wait(timeout=...)``; transient failures are polled through; the
event stream has an idle timeout, an overall timeout and a cap on one line.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from typing import Any

import anyio
import pytest

from spheron import (
    APITimeoutError,
    ResponseTooLargeError,
    WaitTimeoutError,
)
from tests._modes import collect, open_client, resolve
from tests.hostile._servers import SeenRequest, Send, hostile_server, http_response

from .._complete import complete

TOKEN = "spheron_waits_token_5e7f"
MIB = 1024 * 1024


def deployment(status: str) -> bytes:
    deployment = complete("Deployment", {"_id": "d1", "status": status})
    return json.dumps({"deployment": deployment, "liveLogs": []}).encode()


def _wait(mode: str, url: str, **kwargs: Any) -> tuple[Any, float]:
    async def run() -> Any:
        async with open_client(mode, token=TOKEN, base_url=url) as client:
            try:
                return await resolve(client.deployments.wait("d1", **kwargs))
            except Exception as exc:
                return exc

    began = time.monotonic()
    return anyio.run(run), time.monotonic() - began


def test_a_stalled_poll_does_not_stretch_the_wait(mode: str) -> None:
    def script(request: SeenRequest, send: Send) -> None:
        time.sleep(20)  # never answers in time

    with hostile_server(script) as server:
        result, took = _wait(mode, server.url, timeout=2, poll_interval=0.5)
    assert isinstance(result, WaitTimeoutError)
    assert isinstance(result.__cause__, APITimeoutError)
    # The wait's timeout, plus at most the one-second floor a last poll is given.
    assert took < 2 + 1 + 0.5


def test_transient_failures_are_polled_through(mode: str) -> None:
    answers = iter(
        [http_response(503, b'{"message": "busy"}')] * 3  # the transport retries twice...
        + [http_response(502, b"<html>bad gateway</html>")] * 3  # ...then the wait polls on
        + [http_response(200, deployment("Pending")), http_response(200, deployment("Deployed"))]
    )

    def script(request: SeenRequest, send: Send) -> None:
        send(next(answers))

    with hostile_server(script) as server:
        result, _ = _wait(mode, server.url, timeout=60, poll_interval=0.05)
        polls = len(server.requests)
    assert not isinstance(result, Exception), result
    assert str(result.status) == "Deployed"
    assert polls == 8


def test_persistent_failures_end_in_a_wait_timeout_naming_the_cause(mode: str) -> None:
    def script(request: SeenRequest, send: Send) -> None:
        send(http_response(503, b'{"message": "down"}'))

    with hostile_server(script) as server:
        result, took = _wait(mode, server.url, timeout=1.5, poll_interval=0.2)
    assert isinstance(result, WaitTimeoutError)
    assert "InternalServerError" in str(result)
    assert took < 1.5 + 1 + 0.5


def _events(mode: str, url: str, **kwargs: Any) -> tuple[list[Any], BaseException | None, float]:
    seen: list[Any] = []

    async def run() -> BaseException | None:
        async with open_client(mode, token=TOKEN, base_url=url) as client:
            try:
                await collect(client.deployments.events("topic", **kwargs), into=seen)
            except Exception as exc:
                return exc
        return None

    began = time.monotonic()
    error = anyio.run(run)
    return seen, error, time.monotonic() - began


STREAM_HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n"


def test_a_silent_stream_ends_after_its_idle_timeout(mode: str) -> None:
    def script(request: SeenRequest, send: Send) -> None:
        send(STREAM_HEAD + b'data: {"type": 1}\n\n')
        time.sleep(20)

    with hostile_server(script) as server:
        seen, raised, took = _events(mode, server.url, idle_timeout=1)
    assert [e.type for e in seen] == [1]
    assert isinstance(raised, APITimeoutError)
    assert took < 1 + 1.5


def test_a_chatty_stream_ends_at_its_overall_timeout(mode: str) -> None:
    def script(request: SeenRequest, send: Send) -> None:
        send(STREAM_HEAD)
        for _ in range(200):
            send(b": keep-alive\n\n")
            time.sleep(0.1)

    with hostile_server(script) as server:
        _, raised, took = _events(mode, server.url, timeout=1.0, idle_timeout=5)
    assert isinstance(raised, APITimeoutError)
    assert took < 1.0 + 0.5 + 1.0


@pytest.mark.parametrize("shape", ["one-line", "one-event"])
def test_a_huge_line_or_event_is_refused_in_bounded_memory(mode: str, shape: str) -> None:
    def script(request: SeenRequest, send: Send) -> None:
        send(STREAM_HEAD + b"data: ")
        piece = b"x" * 65536 if shape == "one-line" else b"x" * 1000 + b"\ndata: "
        for _ in range(300 * MIB // len(piece)):
            send(piece)

    tracemalloc.start()
    try:
        with hostile_server(script) as server:
            _, raised, _ = _events(mode, server.url, max_line_bytes=MIB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(raised, ResponseTooLargeError)
    assert raised.limit == MIB
    assert peak < 16 * MIB
