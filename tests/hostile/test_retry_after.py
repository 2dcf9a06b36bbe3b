"""Finding 3 (Retry-After): a huge value is not slept on, a negative or past one is no burst."""

from __future__ import annotations

import time

import anyio
import pytest

from spheron import RateLimitError
from tests._modes import open_client, raised
from tests.conftest import patch_retry_sleep
from tests.hostile._servers import SeenRequest, Send, hostile_server, http_response

TOKEN = "spheron_retry_after_token_31c"


def _get(mode: str, url: str) -> BaseException:
    async def run() -> BaseException:
        async with open_client(mode, token=TOKEN, base_url=url, max_retries=10) as client:
            return await raised(lambda: client.projects.get("p1"))

    return anyio.run(run)


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
