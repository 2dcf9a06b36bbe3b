"""Finding 3 (Retry-After): a huge value is not slept on, a negative or past one is no burst."""

from __future__ import annotations

import time

import anyio
import pytest

from spheron import AsyncSpheron, RateLimitError, Spheron
from tests.conftest import patch_retry_sleep
from tests.hostile._servers import SeenRequest, Send, hostile_server, http_response

TOKEN = "spheron_retry_after_token_31c"


def _get(mode: str, url: str) -> BaseException:
    if mode == "sync":
        with Spheron(token=TOKEN, base_url=url, max_retries=10) as client:
            try:
                client.projects.get("p1")
            except Exception as exc:
                return exc

    async def run() -> BaseException:
        async with AsyncSpheron(token=TOKEN, base_url=url, max_retries=10) as client:
            try:
                await client.projects.get("p1")
            except Exception as exc:
                return exc
        raise AssertionError("no error")

    return anyio.run(run) if mode == "async" else AssertionError("no error")


def test_retry_after_999999_raises_at_once_with_the_wait(mode: str) -> None:
    def script(request: SeenRequest, send: Send) -> None:
        send(http_response(429, b'{"message": "slow down"}', retry_after="999999"))

    began = time.monotonic()
    with hostile_server(script) as server:
        exc = _get(mode, server.url)
        assert len(server.requests) == 1
    assert time.monotonic() - began < 5  # not 60 s per retry
    assert isinstance(exc, RateLimitError) and exc.retry_after == 999999


@pytest.mark.parametrize("value", ["-30", "0", "Wed, 21 Oct 2015 07:28:00 GMT", "later"])
def test_negative_past_or_garbage_retry_after_backs_off(
    mode: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []

    async def async_sleep(seconds: float) -> None:
        waits.append(seconds)

    from spheron._transport import jitter

    patch_retry_sleep(monkeypatch, waits.append, async_sleep, jitter)

    def script(request: SeenRequest, send: Send) -> None:
        send(http_response(503, b'{"message": "busy"}', retry_after=value))

    with hostile_server(script) as server:
        exc = _get(mode, server.url)
        assert len(server.requests) == 11  # max_retries=10
    assert isinstance(exc, RateLimitError) is False and exc is not None
    # Every retry waited the exponential backoff (jittered), never zero.
    assert len(waits) == 10 and all(w >= 0.5 * 0.75 for w in waits)
    assert waits[3] >= 4 * 0.75
