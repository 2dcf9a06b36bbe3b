"""Findings 2 and 3: bounded memory and bounded time against hostile servers.

Sizes are counted after decompression and memory is measured with tracemalloc; times are
measured with ``time.monotonic()`` around the call, against the bound the client promises.
"""

from __future__ import annotations

import gzip
import json
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import pytest

from spheron import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    ResponseTooLargeError,
    Spheron,
)
from tests._modes import open_client, resolve
from tests.hostile._servers import SeenRequest, Send, hostile_server, http_response

from .._complete import project_json

TOKEN = "spheron_bounds_token_0c4d"
MIB = 1024 * 1024


def _gzip_stream(chunks: Iterator[bytes]) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    return b"".join([*(compressor.compress(c) for c in chunks), compressor.flush()])


def gzip_bomb(decoded_mib: int) -> bytes:
    """``decoded_mib`` MiB of JSON-ish zeros, gzipped twice (``Content-Encoding: gzip, gzip``)."""
    zeros = bytes(MIB)
    inner = _gzip_stream(iter([b'{"_id": "' + zeros[:-9], *(zeros for _ in range(decoded_mib))]))
    return _gzip_stream(iter([inner]))


def warmed(script: Callable[[SeenRequest, Send], None]) -> Callable[[SeenRequest, Send], None]:
    """``script``, except that ``GET /v1/project/warm`` gets a small, valid answer."""

    def serve(request: SeenRequest, send: Send) -> None:
        if request.target.endswith("/warm"):
            send(http_response(200, project_json("warm"), content_type="application/json"))
        else:
            script(request, send)

    return serve


def _call(mode: str, url: str, **options: Any) -> tuple[BaseException | None, float, int]:
    """``projects.get`` against ``url``: what it raised, how long it took, and the traced
    memory peak of the call alone (a first call warms up imports, TLS and the pool)."""

    async def run() -> tuple[BaseException | None, float, int]:
        async with open_client(mode, token=TOKEN, base_url=url, **options) as client:
            await resolve(client.projects.get("warm"))
            tracemalloc.start()
            began = time.monotonic()
            try:
                await resolve(client.projects.get("p1"))
            except Exception as exc:
                return exc, time.monotonic() - began, tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
        return None, 0.0, 0

    return anyio.run(run)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb(64)


def test_a_double_gzip_bomb_stops_at_the_cap_in_bounded_memory(mode: str, bomb: bytes) -> None:
    assert len(bomb) < 20_000  # a few KB on the wire...

    def script(request: SeenRequest, send: Send) -> None:
        send(
            http_response(200, bomb, content_type="application/json", content_encoding="gzip, gzip")
        )

    with hostile_server(warmed(script)) as server:
        raised, _, peak = _call(mode, server.url, max_response_bytes=MIB)
    # ...64 MiB once decoded: refused at 1 MiB, with memory near the cap, not the bomb.
    assert isinstance(raised, ResponseTooLargeError)
    assert raised.limit == MIB and "larger than 1,048,576 bytes" in str(raised)
    assert peak < 4 * MIB


def test_the_default_cap_is_64_mib(mode: str, bomb: bytes) -> None:
    big = _gzip_stream(iter([bomb]))  # one more layer: still tiny, 64 MiB + 1 KiB decoded

    def script(request: SeenRequest, send: Send) -> None:
        send(http_response(200, big, content_encoding="gzip, gzip, gzip"))

    with hostile_server(warmed(script)) as server:
        raised, _, _ = _call(mode, server.url)
    assert isinstance(raised, ResponseTooLargeError) and raised.limit == 64 * MIB


def test_a_huge_plain_body_is_not_read_past_the_cap(mode: str) -> None:
    def script(request: SeenRequest, send: Send) -> None:
        send(b"HTTP/1.1 200 OK\r\ncontent-length: 500000000\r\n\r\n" + b'{"_id": "')
        chunk = b"x" * 65536
        for _ in range(500_000_000 // 65536):
            send(chunk)

    with hostile_server(warmed(script)) as server:
        raised, _, peak = _call(mode, server.url, max_response_bytes=2 * MIB)
    assert isinstance(raised, ResponseTooLargeError)
    assert peak < 8 * MIB


def test_an_error_body_is_read_only_as_far_as_the_message_needs(mode: str) -> None:
    sent: list[int] = []

    def script(request: SeenRequest, send: Send) -> None:
        message = json.dumps({"message": "bad request " + "y" * 100}).encode()
        send(b"HTTP/1.1 400 Bad\r\ncontent-length: 200000000\r\n\r\n" + message)
        chunk = b" " * 65536
        for _ in range(200_000_000 // 65536):
            send(chunk)
            sent.append(len(chunk))

    with hostile_server(warmed(script)) as server:
        raised, _, peak = _call(mode, server.url, max_retries=0)
    assert isinstance(raised, BadRequestError)
    assert "bad request" in str(raised)
    assert peak < 4 * MIB
    assert sum(sent) < 50 * MIB  # the client hung up long before 200 MB


def test_gzip_error_bodies_are_decoded_within_the_cap(mode: str) -> None:
    body = gzip.compress(json.dumps({"message": "nope"}).encode() + b" " * (10 * MIB))

    def script(request: SeenRequest, send: Send) -> None:
        send(http_response(404, body, content_encoding="gzip"))

    with hostile_server(warmed(script)) as server:
        raised, _, peak = _call(mode, server.url)
    assert raised is not None and getattr(raised, "status_code", None) == 404
    assert peak < 4 * MIB


def drip(request: SeenRequest, send: Send) -> None:
    """One byte every 0.2 s of a body that never ends (each read is quick: no read timeout)."""
    send(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n")
    for _ in range(1000):
        send(b" ")
        time.sleep(0.2)


def silent(request: SeenRequest, send: Send) -> None:
    time.sleep(30)


@pytest.mark.parametrize("script", [drip, silent], ids=["drip", "silent"])
def test_total_timeout_bounds_the_whole_call(
    mode: str, script: Callable[[SeenRequest, Send], None]
) -> None:
    with hostile_server(warmed(script)) as server:
        raised, took, _ = _call(mode, server.url, timeout=3, total_timeout=1.5)
        attempts = len(server.requests) - 1  # the warm-up call
    assert isinstance(raised, APITimeoutError), raised
    assert took < 1.5 + 0.2 + 1.0  # the bound, one drip interval, and scheduling slack
    assert attempts >= 1


def test_retry_waits_count_against_the_total_timeout(mode: str) -> None:
    def script(request: SeenRequest, send: Send) -> None:
        send(http_response(503, b'{"message": "busy"}', retry_after="1"))

    with hostile_server(warmed(script)) as server:
        raised, took, _ = _call(mode, server.url, max_retries=10, total_timeout=2.5)
        attempts = len(server.requests) - 1  # the warm-up call
    # Waits of 1 s fit twice into 2.5 s; the third would not, so the 503 is raised then.
    assert getattr(raised, "status_code", None) == 503
    assert attempts == 3
    assert took < 2.5


def test_bad_gzip_is_a_typed_error(mode: str) -> None:
    def script(request: SeenRequest, send: Send) -> None:
        send(http_response(200, b"not gzip at all", content_encoding="gzip"))

    with hostile_server(warmed(script)) as server:
        raised, _, _ = _call(mode, server.url)
    assert isinstance(raised, APIConnectionError)
    assert "gzip" in str(raised)


@pytest.mark.parametrize(("name", "value"), [("total_timeout", 0), ("max_response_bytes", 0)])
def test_bounds_must_be_positive(name: str, value: int) -> None:
    from spheron import SpheronConfigError

    options: dict[str, Any] = {name: value}
    with pytest.raises(SpheronConfigError, match=name):
        Spheron(token=TOKEN, base_url="https://api.test", **options)


def test_a_callers_hook_that_reads_the_body_first_is_fine() -> None:
    import httpx

    plain = project_json("p1", name="site")
    body = gzip.compress(plain)

    def script(request: SeenRequest, send: Send) -> None:
        send(http_response(200, body, content_encoding="gzip", content_type="application/json"))

    read_by_hook: list[bytes] = []
    with (
        hostile_server(script) as server,
        httpx.Client(event_hooks={"response": [lambda r: read_by_hook.append(r.read())]}) as pool,
        Spheron(token=TOKEN, base_url=server.url, http_client=pool) as client,
    ):
        project = client.projects.get("p1")
    assert read_by_hook == [plain]
    assert project.name == "site"
