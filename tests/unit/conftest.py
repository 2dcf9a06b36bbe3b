"""Shared fixtures: mock-transport clients in sync and async flavours, recorded sleeps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from spheron import AsyncSpheron, Spheron
from tests.conftest import patch_retry_sleep

from .helpers import BASE_URL, TOKEN, AnyClient, Handler


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see no Spheron settings, proxies or CA overrides from the machine."""
    for name in (
        "SPHERON_TOKEN",
        "SPHERON_BASE_URL",
        "SPHERON_LOG",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
    ):
        monkeypatch.delenv(name, raising=False)


class Sleeps(list[float]):
    """Delays the retry transports asked to sleep for; ``jitter`` is the factor they get."""

    jitter = 1.0


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Sleeps:
    """Replace real sleeping (sync and async) with recording, and pin the jitter factor."""
    recorded = Sleeps()

    async def async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    patch_retry_sleep(monkeypatch, recorded.append, async_sleep, lambda: recorded.jitter)
    return recorded


@pytest.fixture
def make_client(mode: str, sleeps: Sleeps) -> Iterator[Callable[..., AnyClient]]:
    """Build a client of the current mode whose pool answers with ``handler``."""
    made: list[AnyClient] = []

    def make(handler: Handler, **kwargs: Any) -> AnyClient:
        kwargs.setdefault("base_url", BASE_URL)
        kwargs.setdefault("token", TOKEN)
        mock = httpx.MockTransport(handler)
        client: AnyClient
        if mode == "sync":
            client = Spheron(http_client=httpx.Client(transport=mock), **kwargs)
        else:
            client = AsyncSpheron(http_client=httpx.AsyncClient(transport=mock), **kwargs)
        made.append(client)
        return client

    yield make
