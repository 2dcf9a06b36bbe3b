"""Load over a real loopback socket (issue 5.5): 1,000 concurrent ``AsyncSpheron`` requests.

Every request completes, the pool stays within its connection limit, and afterwards nothing is
left open: the client's pool holds no connections, no TCP connection to the server remains
established, and the process has no more file descriptors than before (the server runs in this
process too, so its side of every connection is counted as well).

The client's own pool is used, with its connection limit lowered from 100 to 10: httpcore 1.0's
pool rescans every queued request against every connection whenever a request starts or ends,
so 1,000 queued requests over 100 connections take ~20 s here (over 10: a few seconds). The
limit changes how long the queue is worked through, not what is checked.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import httpx
import pytest

from spheron import AsyncSpheron
from spheron._async import _client as client_module
from spheron.testing import DEFAULT_ORGANIZATION_ID, DEFAULT_TOKEN, FakeSpheron

from .conftest import Sleeps

SCOPE = "/v1/api-keys/scope"
REQUESTS = 1000
LIMITS = httpx.Limits(max_connections=10, max_keepalive_connections=10)
FD_SLACK = 2  # e.g. a lazily created selector or cache file that stays open for the process

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/fd").is_dir() or not Path("/proc/net/tcp").is_file(),
    reason="counts file descriptors and TCP connections through /proc (Linux)",
)


@pytest.fixture(autouse=True)
def _connection_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_module, "DEFAULT_CONNECTION_LIMITS", LIMITS)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def established_to(port: int) -> int:
    """Established TCP connections (either direction) involving loopback port ``port``."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).is_file():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote, state = fields[1], fields[2], fields[3]
            ports = {int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16)}
            if state == "01" and port in ports:
                count += 1
    return count


async def settle(check: object, timeout: float = 5.0) -> None:
    """Wait until ``check()`` is true (the server closes its side shortly after the client)."""
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:  # type: ignore[operator]
        await asyncio.sleep(0.05)


async def run_load(fake: FakeSpheron, **client_options: object) -> tuple[int, int]:
    """Serve, send REQUESTS concurrent GETs, close; returns (fds before, fds after)."""
    before = open_fds()
    with fake.serve() as url:
        port = int(url.rsplit(":", 1)[1])
        client = AsyncSpheron(DEFAULT_TOKEN, base_url=url, **client_options)  # type: ignore[arg-type]
        # httpcore's pool inside the client's one httpx.AsyncHTTPTransport (private: tests only)
        pool = client.http_client.retry_transport.inner._pool  # type: ignore[attr-defined]
        async with client:
            scopes = await asyncio.gather(*(client.token_scope() for _ in range(REQUESTS)))
            assert LIMITS.max_connections is not None
            assert 0 < len(pool.connections) <= LIMITS.max_connections
        assert all(
            isinstance(s.organizations, list)
            and [o.id for o in s.organizations] == [DEFAULT_ORGANIZATION_ID]
            for s in scopes
        )
        assert pool.connections == []
        await settle(lambda: established_to(port) == 0)
        assert established_to(port) == 0
    await settle(lambda: open_fds() <= before + FD_SLACK)
    return before, open_fds()


async def test_1000_concurrent_gets_complete_without_leaks() -> None:
    tasks_before = len(asyncio.all_tasks())
    with FakeSpheron() as fake:
        before, after = await run_load(fake)
        assert fake.count("GET", SCOPE) == REQUESTS
        assert {r.status for r in fake.calls("GET", SCOPE)} == {200}
    assert after <= before + FD_SLACK
    assert len(asyncio.all_tasks()) == tasks_before


async def test_1000_concurrent_gets_through_resets_and_503s_without_leaks(sleeps: Sleeps) -> None:
    """Faults on the way: resets abort connections mid-load; every request still completes."""
    with FakeSpheron() as fake:
        fake.faults.add("reset", path=SCOPE, times=5)
        fake.faults.add("status", status=503, path=SCOPE, times=20)
        # More retries than faults: however the faults fall on requests, none runs out.
        before, after = await run_load(fake, max_retries=25)
        assert fake.count("GET", SCOPE) == REQUESTS + 25
        faults = [r.fault for r in fake.calls("GET", SCOPE)]
        assert faults.count("reset") == 5 and faults.count("status") == 20
    assert len(sleeps) == 25
    assert after <= before + FD_SLACK
