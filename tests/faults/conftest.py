"""Fixtures: one fake Spheron served on loopback per module, and recorded (skipped) retry waits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from spheron.testing import FakeSpheron
from tests.conftest import patch_retry_sleep


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Spheron settings or proxies from the machine: requests go straight to loopback."""
    for name in ("SPHERON_TOKEN", "SPHERON_BASE_URL", "SPHERON_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakeSpheron, str]]:
    with FakeSpheron() as fake, fake.serve() as url:
        yield fake, url


@pytest.fixture
def fake(served: tuple[FakeSpheron, str]) -> Iterator[FakeSpheron]:
    """The served fake with no faults and an empty request log."""
    instance = served[0]
    instance.faults.clear()
    instance.requests.clear()
    yield instance
    instance.faults.clear()


@pytest.fixture
def url(served: tuple[FakeSpheron, str]) -> str:
    return served[1]


class Sleeps(list[float]):
    """The waits the retry transports asked for (jitter pinned to 1.0: backoff is exact)."""


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Sleeps:
    """Record the retry transports' waits instead of sleeping."""
    recorded = Sleeps()

    async def async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    patch_retry_sleep(monkeypatch, recorded.append, async_sleep, lambda: 1.0)
    return recorded
