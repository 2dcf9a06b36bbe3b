"""Faults over a real loopback socket (issue 5.5): the client against ``FakeSpheron.serve()``.

Connection resets, answers slower than the client's timeout, bursts of 429 with Retry-After and
503s. Reads recover within the retry budget (and fail with a typed error once it is spent);
requests that create something are never sent twice, counted on the server. The waits between
retries are recorded instead of slept (``sleeps``), except in one test that really waits for a
``Retry-After: 1``.
"""

from __future__ import annotations

import contextlib
import inspect
import socket
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from spheron import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AsyncSpheron,
    InternalServerError,
    RateLimitError,
    Spheron,
)
from spheron.testing import DEFAULT_ORGANIZATION_ID, DEFAULT_TOKEN, FakeSpheron
from tests.conftest import patch_retry_sleep

from .conftest import Sleeps

SCOPE = "/v1/api-keys/scope"
DEPLOY = "/v1/deployment"
INITIATE = "/v1/upload/initiate"
BACKOFF = [0.5, 1.0]  # the two default retries' waits without server guidance (jitter 1.0)
SHORT_READ = httpx.Timeout(5.0, read=0.3)

AnyClient = Spheron | AsyncSpheron


@contextlib.asynccontextmanager
async def connect(mode: str, url: str, **kwargs: Any) -> AsyncIterator[AnyClient]:
    """A client of the given mode on ``url`` with the default token and organization."""
    kwargs = {"base_url": url, "organization_id": DEFAULT_ORGANIZATION_ID, **kwargs}
    if mode == "sync":
        with Spheron(DEFAULT_TOKEN, **kwargs) as client:
            yield client
    else:
        async with AsyncSpheron(DEFAULT_TOKEN, **kwargs) as client:
            yield client


async def call(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a client method of either mode."""
    result = method(*args, **kwargs)
    return await result if inspect.isawaitable(result) else result


async def create_deployment(client: AnyClient, _: Path) -> str:
    started = await call(
        client.deployments.create,
        git_url="https://github.com/acme/site",
        repo_name="site",
        branch="main",
        protocol="ipfs",
        provider="GITHUB",
        configuration={
            "buildCommand": "npm run build",
            "installCommand": "npm ci",
            "workspace": "",
            "publishDir": "build",
            "framework": "react",
            "nodeVersion": "V_16",
        },
    )
    return str(started.deployment_id)


async def upload(client: AnyClient, tmp_path: Path) -> str:
    (tmp_path / "index.html").write_text("<h1>hello</h1>")
    result = await call(client.storage.upload, tmp_path, bucket="faults")
    return str(result.upload_id)


def created(fake: FakeSpheron) -> dict[str, int]:
    with fake.state.lock:
        return {DEPLOY: len(fake.state.deployments), INITIATE: len(fake.state.uploads)}


def free_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def assert_typed(error: APIError, kind: type[APIError], method: str, path: str) -> None:
    assert type(error) is kind
    assert error.method == method and httpx.URL(error.url).path == path
    assert DEFAULT_TOKEN not in str(error)


# -- reads recover within the retry budget ---------------------------------------------------


async def test_get_recovers_from_connection_resets(
    mode: str, fake: FakeSpheron, url: str, sleeps: Sleeps
) -> None:
    async with connect(mode, url) as client:
        await call(client.token_scope)  # a pooled keep-alive connection is then reset
        fault = fake.faults.add("reset", method="GET", path=SCOPE, times=2)
        scope = await call(client.token_scope)
    assert [o.id for o in scope.organizations] == [DEFAULT_ORGANIZATION_ID]
    assert fault.hits == 2
    assert [r.fault for r in fake.calls("GET", SCOPE)] == [None, "reset", "reset", None]
    assert sleeps == BACKOFF


async def test_get_resets_beyond_the_budget_raise_a_connection_error(
    mode: str, fake: FakeSpheron, url: str, sleeps: Sleeps
) -> None:
    fake.faults.add("reset", method="GET", path=SCOPE, times=None)
    async with connect(mode, url) as client:
        with pytest.raises(APIConnectionError) as info:
            await call(client.token_scope)
    assert_typed(info.value, APIConnectionError, "GET", SCOPE)
    assert fake.count("GET", SCOPE) == 3  # the first try and max_retries=2 retries
    assert sleeps == BACKOFF


async def test_slow_get_is_retried_then_times_out(
    mode: str, fake: FakeSpheron, url: str, sleeps: Sleeps
) -> None:
    fake.faults.add("delay", method="GET", path=SCOPE, delay=3, times=None)
    started = time.monotonic()
    async with connect(mode, url, timeout=SHORT_READ) as client:
        with pytest.raises(APITimeoutError) as info:
            await call(client.token_scope)
    assert time.monotonic() - started < 2.5  # three 0.3 s read timeouts, not the 3 s delay
    assert_typed(info.value, APITimeoutError, "GET", SCOPE)
    assert fake.count("GET", SCOPE) == 3
    assert sleeps == BACKOFF


async def test_slow_get_once_recovers(
    mode: str, fake: FakeSpheron, url: str, sleeps: Sleeps
) -> None:
    fake.faults.add("delay", method="GET", path=SCOPE, delay=3, times=1)
    async with connect(mode, url, timeout=SHORT_READ) as client:
        scope = await call(client.token_scope)
    assert [o.id for o in scope.organizations] == [DEFAULT_ORGANIZATION_ID]
    assert [r.fault for r in fake.calls("GET", SCOPE)] == ["delay", None]
    assert sleeps == BACKOFF[:1]


@pytest.mark.parametrize("retry_after", [0, 3])
async def test_429_burst_waits_as_long_as_retry_after_says(
    mode: str, fake: FakeSpheron, url: str, sleeps: Sleeps, retry_after: int
) -> None:
    fake.faults.add("status", status=429, retry_after=retry_after, path=SCOPE, times=2)
    async with connect(mode, url) as client:
        scope = await call(client.token_scope)
    assert [o.id for o in scope.organizations] == [DEFAULT_ORGANIZATION_ID]
    assert [r.status for r in fake.calls("GET", SCOPE)] == [429, 429, 200]
    if retry_after:
        assert sleeps == [float(retry_after)] * 2  # the server's wait, not the backoff
    else:  # "0" is no pause at all: the backoff instead, so a burst cannot turn into a flood
        assert sleeps == BACKOFF[:2]


async def test_429_burst_longer_than_the_budget_raises_rate_limit_error(
    mode: str, fake: FakeSpheron, url: str, sleeps: Sleeps
) -> None:
    fake.faults.add("status", status=429, retry_after=2, path=SCOPE, times=None)
    async with connect(mode, url) as client:
        with pytest.raises(RateLimitError) as info:
            await call(client.token_scope)
    assert_typed(info.value, RateLimitError, "GET", SCOPE)
    assert info.value.status_code == 429
    assert fake.count("GET", SCOPE) == 3
    assert sleeps == [2.0, 2.0]


async def test_retry_after_is_really_waited_for(fake: FakeSpheron, url: str) -> None:
    fake.faults.add("status", status=429, retry_after=1, path=SCOPE, times=1)
    async with connect("async", url) as client:
        started = time.monotonic()
        await call(client.token_scope)
        elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 3.0
    assert [r.status for r in fake.calls("GET", SCOPE)] == [429, 200]


async def test_503s_recover(mode: str, fake: FakeSpheron, url: str, sleeps: Sleeps) -> None:
    fake.faults.add("status", status=503, path=SCOPE, times=2)
    async with connect(mode, url) as client:
        scope = await call(client.token_scope)
    assert [o.id for o in scope.organizations] == [DEFAULT_ORGANIZATION_ID]
    assert [r.status for r in fake.calls("GET", SCOPE)] == [503, 503, 200]
    assert sleeps == BACKOFF


async def test_503s_beyond_the_budget_raise_internal_server_error(
    mode: str, fake: FakeSpheron, url: str, sleeps: Sleeps
) -> None:
    fake.faults.add("status", status=503, path=SCOPE, times=None)
    async with connect(mode, url) as client:
        with pytest.raises(InternalServerError) as info:
            await call(client.token_scope)
    assert_typed(info.value, InternalServerError, "GET", SCOPE)
    assert info.value.status_code == 503
    assert fake.count("GET", SCOPE) == 3
    assert sleeps == BACKOFF


# -- creating requests are never sent twice --------------------------------------------------

CREATES = {DEPLOY: create_deployment, INITIATE: upload}

# fault, the error it must raise, whether the server acted on the request before the fault
POST_FAULTS: dict[str, tuple[dict[str, Any], type[APIError], bool]] = {
    "reset-after-handler": ({"kind": "reset", "phase": "after"}, APIConnectionError, True),
    # The request reached the server, which dropped it unhandled: the client cannot know that.
    "reset-before-handler": ({"kind": "reset", "phase": "before"}, APIConnectionError, False),
    "500-after-handler": ({"status": 500, "phase": "after"}, InternalServerError, True),
    "503": ({"status": 503}, InternalServerError, False),
    "503-after-handler": ({"status": 503, "phase": "after"}, InternalServerError, True),
    "429-retry-after": ({"status": 429, "retry_after": 0}, RateLimitError, False),
    "answer-past-timeout": ({"kind": "delay", "delay": 3, "phase": "after"}, APITimeoutError, True),
}


@pytest.mark.parametrize("path", list(CREATES))
@pytest.mark.parametrize("fault", list(POST_FAULTS))
async def test_create_is_sent_once_whatever_goes_wrong(
    mode: str,
    fake: FakeSpheron,
    url: str,
    sleeps: Sleeps,
    tmp_path: Path,
    path: str,
    fault: str,
) -> None:
    options, error, acted = POST_FAULTS[fault]
    # Forever: a second attempt would meet the fault again and show up in the count.
    fault_options: dict[str, Any] = {"kind": "status", **options}
    fake.faults.add(**fault_options, method="POST", path=path, times=None)
    before = created(fake)
    async with connect(mode, url, timeout=SHORT_READ) as client:
        with pytest.raises(error) as info:
            await CREATES[path](client, tmp_path)
    assert isinstance(info.value, APIError)
    assert_typed(info.value, error, "POST", path)
    assert fake.count("POST", path) == 1  # zero duplicates
    assert fake.count() == 1  # nothing else either (an upload is not cancelled: no id yet)
    assert sleeps == []
    assert created(fake)[path] == before[path] + int(acted)


async def test_create_that_never_left_is_retried(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused connection: nothing was sent, so a POST is retried; the server starts meanwhile."""
    port = free_port()
    waits: list[float] = []
    with contextlib.ExitStack() as stack:
        fake = stack.enter_context(FakeSpheron())

        def start_server(seconds: float) -> None:
            waits.append(seconds)
            if fake.url is None:
                stack.enter_context(fake.serve(port=port))

        async def async_start_server(seconds: float) -> None:
            start_server(seconds)

        patch_retry_sleep(monkeypatch, start_server, async_start_server, lambda: 1.0)
        async with connect(mode, f"http://127.0.0.1:{port}") as client:
            deployment_id = await create_deployment(client, Path())
        assert waits == BACKOFF[:1]
        assert fake.count("POST", DEPLOY) == 1
        assert list(fake.state.deployments) == [deployment_id]


async def test_create_refused_beyond_the_budget_raises_a_connection_error(
    mode: str, sleeps: Sleeps
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    async with connect(mode, url) as client:
        with pytest.raises(APIConnectionError) as info:
            await create_deployment(client, Path())
    assert_typed(info.value, APIConnectionError, "POST", DEPLOY)
    assert sleeps == BACKOFF  # retried: a refused connection never carried the request
