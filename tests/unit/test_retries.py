"""The retry policy: what is retried, how often, and how long the client waits."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest

from spheron import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncSpheron,
    InternalServerError,
    RateLimitError,
    Spheron,
)
from spheron._sync._transport import RetryTransport
from spheron._transport import RetryPolicy, retry_after
from spheron_api_client.api.organization import create_organization, get_organization
from spheron_api_client.models.app_type import AppType
from spheron_api_client.models.create_organization_body import CreateOrganizationBody

from .conftest import Sleeps
from .helpers import ORG, TOKEN, AnyClient, Recorder, call, json_response, request

BODY = CreateOrganizationBody(username="acme", name="Acme", app_type=AppType.COMPUTE)


def unavailable(**headers: str) -> httpx.Response:
    return json_response(503, {"message": "try later"}, **headers)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_retryable_statuses_are_retried_then_succeed(
    make_client: Callable[..., AnyClient], sleeps: Sleeps, status: int
) -> None:
    handler = Recorder(
        json_response(status, {}), json_response(status, {}), json_response(200, ORG)
    )
    client = make_client(handler)

    response = await call(client, get_organization, "org_1")

    assert response.status_code == 200
    assert response.parsed.id == "org_1"
    assert handler.count == 3
    assert sleeps == [0.5, 1.0]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 501])
async def test_other_statuses_are_not_retried(
    make_client: Callable[..., AnyClient], sleeps: Sleeps, status: int
) -> None:
    handler = Recorder(json_response(status, {}))
    client = make_client(handler)

    with pytest.raises(APIStatusError) as info:
        await call(client, get_organization, "org_1")

    assert info.value.status_code == status

    assert handler.count == 1
    assert sleeps == []


async def test_retries_stop_at_the_limit_with_exponential_delays(
    make_client: Callable[..., AnyClient], sleeps: Sleeps
) -> None:
    handler = Recorder(unavailable())
    client = make_client(handler, max_retries=6)

    with pytest.raises(InternalServerError) as info:
        await call(client, get_organization, "org_1")

    assert handler.count == 7
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert info.value.status_code == 503


async def test_jitter_shortens_delays(
    make_client: Callable[..., AnyClient], sleeps: Sleeps
) -> None:
    sleeps.jitter = 0.75
    handler = Recorder(unavailable())
    client = make_client(handler, max_retries=3)

    with pytest.raises(InternalServerError):
        await call(client, get_organization, "org_1")

    assert sleeps == [0.375, 0.75, 1.5]


async def test_max_retries_zero_disables_retries(
    make_client: Callable[..., AnyClient], sleeps: Sleeps
) -> None:
    handler = Recorder(unavailable())
    client = make_client(handler, max_retries=0)

    with pytest.raises(InternalServerError):
        await call(client, get_organization, "org_1")

    assert handler.count == 1
    assert sleeps == []


def http_date(delta: timedelta) -> str:
    return format_datetime(datetime.now(timezone.utc) + delta, usegmt=True)


@pytest.mark.parametrize(
    ("headers", "low", "high"),
    [
        ({"retry-after": "2"}, 2.0, 2.0),
        ({"retry-after": "0.25"}, 0.25, 0.25),
        ({"retry-after": "60"}, 60.0, 60.0),
        ({"retry-after-ms": "1500"}, 1.5, 1.5),
        ({"retry-after-ms": "250", "retry-after": "30"}, 0.25, 0.25),
        # Negative, zero, past or unreadable: the backoff, never a retry without a pause.
        ({"retry-after": "-5"}, 0.5, 0.5),
        ({"retry-after": "0"}, 0.5, 0.5),
        ({"retry-after": "soon"}, 0.5, 0.5),
        ({"retry-after": "nan"}, 0.5, 0.5),
    ],
)
async def test_retry_after_is_honoured_and_capped(
    make_client: Callable[..., AnyClient],
    sleeps: Sleeps,
    headers: dict[str, str],
    low: float,
    high: float,
) -> None:
    handler = Recorder(
        json_response(429, {"message": "slow down"}, **headers), json_response(200, ORG)
    )
    client = make_client(handler)

    await call(client, get_organization, "org_1")

    assert len(sleeps) == 1
    assert low <= sleeps[0] <= high


@pytest.mark.parametrize(
    ("delta", "low", "high"),
    [(timedelta(seconds=30), 28.0, 30.0), (timedelta(hours=-2), 0.5, 0.5)],
)
async def test_retry_after_http_date(
    make_client: Callable[..., AnyClient],
    sleeps: Sleeps,
    delta: timedelta,
    low: float,
    high: float,
) -> None:
    handler = Recorder(unavailable(**{"retry-after": http_date(delta)}), json_response(200, ORG))
    client = make_client(handler)

    await call(client, get_organization, "org_1")

    assert low <= sleeps[0] <= high


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "999999"},
        {"retry-after": "61"},
        {"retry-after-ms": "900000"},
        {"retry-after": http_date(timedelta(hours=2))},
    ],
)
async def test_retry_after_above_the_cap_is_not_slept_on(
    make_client: Callable[..., AnyClient], sleeps: Sleeps, headers: dict[str, str]
) -> None:
    handler = Recorder(json_response(429, {"message": "slow down"}, **headers))
    client = make_client(handler)

    with pytest.raises(RateLimitError) as caught:
        await call(client, get_organization, "org_1")

    assert handler.count == 1 and sleeps == []
    assert caught.value.retry_after is not None and caught.value.retry_after > 60
    assert "retry after" in str(caught.value)


async def test_rate_limit_exhausted_raises_rate_limit_error(
    make_client: Callable[..., AnyClient], sleeps: Sleeps
) -> None:
    handler = Recorder(json_response(429, {"message": "slow down"}, **{"retry-after": "3"}))
    client = make_client(handler)

    with pytest.raises(RateLimitError, match="slow down"):
        await call(client, get_organization, "org_1")

    assert handler.count == 3
    assert sleeps == [3.0, 3.0]


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_post_is_not_retried_after_the_server_answered(
    make_client: Callable[..., AnyClient], sleeps: Sleeps, status: int
) -> None:
    handler = Recorder(
        json_response(status, {"message": "no"}), json_response(201, {"organization": ORG})
    )
    client = make_client(handler)

    with pytest.raises(APIStatusError) as info:
        await call(client, create_organization, body=BODY)

    assert info.value.status_code == status
    assert handler.count == 1
    assert sleeps == []


@pytest.mark.parametrize(
    "exc",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow dns"), httpx.PoolTimeout("full")],
    ids=["ConnectError", "ConnectTimeout", "PoolTimeout"],
)
async def test_post_is_retried_when_the_request_was_never_sent(
    make_client: Callable[..., AnyClient], sleeps: Sleeps, exc: Exception
) -> None:
    handler = Recorder(exc, json_response(201, {"organization": ORG}))
    client = make_client(handler)

    response = await call(client, create_organization, body=BODY)

    assert response.status_code == 201
    assert handler.count == 2
    assert handler.requests[1].content == handler.requests[0].content != b""
    assert sleeps == [0.5]


@pytest.mark.parametrize(
    "exc",
    [httpx.ReadTimeout("slow"), httpx.ReadError("reset"), httpx.RemoteProtocolError("eof")],
    ids=["ReadTimeout", "ReadError", "RemoteProtocolError"],
)
async def test_post_is_not_retried_when_the_request_may_have_arrived(
    make_client: Callable[..., AnyClient], sleeps: Sleeps, exc: Exception
) -> None:
    handler = Recorder(exc, json_response(201, {"organization": ORG}))
    client = make_client(handler)

    with pytest.raises(APIConnectionError):
        await call(client, create_organization, body=BODY)

    assert handler.count == 1
    assert sleeps == []


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"])
async def test_idempotent_methods_are_retried_after_read_errors(
    make_client: Callable[..., AnyClient], sleeps: Sleeps, method: str
) -> None:
    handler = Recorder(httpx.ReadError("reset"), httpx.Response(204))
    client = make_client(handler)

    response = await request(client, method, "/v1/thing", content=b"{}")

    assert response.status_code == 204
    assert handler.count == 2
    assert sleeps == [0.5]


@pytest.mark.parametrize("method", ["POST", "PATCH"])
async def test_non_idempotent_methods_are_not_retried_after_5xx(
    make_client: Callable[..., AnyClient], sleeps: Sleeps, method: str
) -> None:
    handler = Recorder(unavailable(), httpx.Response(204))
    client = make_client(handler)

    with pytest.raises(InternalServerError):
        await request(client, method, "/v1/thing", content=b"{}")

    assert handler.count == 1


async def test_timeouts_are_retried_for_get_then_surface(
    make_client: Callable[..., AnyClient], sleeps: Sleeps
) -> None:
    handler = Recorder(httpx.ReadTimeout("slow"))
    client = make_client(handler)

    with pytest.raises(APITimeoutError):
        await call(client, get_organization, "org_1")

    assert handler.count == 3
    assert sleeps == [0.5, 1.0]


async def test_unexpected_request_errors_are_not_retried(
    make_client: Callable[..., AnyClient], sleeps: Sleeps
) -> None:
    handler = Recorder(httpx.UnsupportedProtocol("gopher://"))
    client = make_client(handler)

    with pytest.raises(APIConnectionError, match="UnsupportedProtocol"):
        await call(client, get_organization, "org_1")

    assert handler.count == 1


# Streamed request bodies: a consumed stream cannot be sent again.


class ConsumingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Reads the request body the way a network transport does (no buffering), then fails."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.recorder = Recorder(*answers)
        self.bodies: list[bytes] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        self.bodies.append(b"".join(request.stream))
        return self.recorder(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        self.bodies.append(b"".join([chunk async for chunk in request.stream]))
        return self.recorder(request)


def streaming_client(mode: str, transport: ConsumingTransport) -> AnyClient:
    if mode == "sync":
        return Spheron(TOKEN, http_client=httpx.Client(transport=transport))
    return AsyncSpheron(TOKEN, http_client=httpx.AsyncClient(transport=transport))


def sync_chunks() -> Iterator[bytes]:
    yield b"part-1,"
    yield b"part-2"


async def async_chunks() -> AsyncIterator[bytes]:
    yield b"part-1,"
    yield b"part-2"


@pytest.mark.parametrize("answer", [unavailable(), httpx.ReadError("reset")], ids=["503", "read"])
async def test_consumed_streamed_body_is_not_replayed(
    mode: str, sleeps: Sleeps, answer: httpx.Response | Exception
) -> None:
    transport = ConsumingTransport(answer, httpx.Response(204))
    client = streaming_client(mode, transport)
    body = sync_chunks() if mode == "sync" else async_chunks()

    with pytest.raises((InternalServerError, APIConnectionError)):
        await request(client, "PUT", "https://api-v2.spheron.network/v1/upload", content=body)

    assert transport.bodies == [b"part-1,part-2"]
    assert sleeps == []


async def test_in_memory_body_is_replayed(mode: str, sleeps: Sleeps) -> None:
    transport = ConsumingTransport(unavailable(), httpx.Response(204))
    client = streaming_client(mode, transport)

    response = await request(client, "PUT", "https://api-v2.spheron.network/v1/x", content=b"abc")

    assert response.status_code == 204
    assert transport.bodies == [b"abc", b"abc"]


async def test_unsent_streamed_body_is_retried_after_connect_error(
    mode: str, sleeps: Sleeps
) -> None:
    class RefuseFirst(ConsumingTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if not self.recorder.requests:
                return self.recorder(request)
            return super().handle_request(request)

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if not self.recorder.requests:
                return self.recorder(request)
            return await super().handle_async_request(request)

    transport = RefuseFirst(httpx.ConnectError("refused"), httpx.Response(201))
    client = streaming_client(mode, transport)
    body = sync_chunks() if mode == "sync" else async_chunks()

    response = await request(client, "POST", "https://api-v2.spheron.network/v1/x", content=body)

    assert response.status_code == 201
    assert transport.bodies == [b"part-1,part-2"]
    assert sleeps == [0.5]


# The policy and the header parser on their own.


def test_policy_backoff() -> None:
    policy = RetryPolicy()
    assert [policy.backoff(n, 1.0) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert policy.backoff(1, 0.75) == 0.75


def test_retry_after_parser() -> None:
    now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    date = format_datetime(now + timedelta(seconds=42), usegmt=True)
    assert retry_after({"retry-after": date}, now=now) == 42.0
    assert retry_after({"retry-after": "7"}) == 7.0
    assert retry_after({"retry-after-ms": "20"}) == 0.02
    assert retry_after({"retry-after": "Tuesday-ish"}) is None
    assert retry_after({}) is None


def test_transport_uses_injected_sleep_and_jitter() -> None:
    delays: list[float] = []
    handler = Recorder(unavailable(), unavailable(), httpx.Response(200))
    transport = RetryTransport(
        httpx.MockTransport(handler),
        policy=RetryPolicy(max_retries=2, initial_delay=1.0),
        sleep=delays.append,
        jitter=lambda: 0.8,
    )
    with httpx.Client(transport=transport) as client:
        assert client.get("https://x.example/").status_code == 200
    assert delays == [0.8, 1.6]


def test_default_jitter_stays_in_range() -> None:
    from spheron._transport import jitter as _jitter

    values = [_jitter() for _ in range(500)]
    assert all(0.75 < v <= 1.0 for v in values)
    assert max(values) - min(values) > 0.1
