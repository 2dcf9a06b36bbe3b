"""pytest fixtures for code that uses ``spheron`` (loaded through the ``pytest11`` entry point).

Installed with the package; the fixtures need the ``testing`` extra, imported only when a test
asks for one (so this plugin costs nothing in projects that never use it):

- ``spheron_fake``: a fresh :class:`~spheron.testing.FakeSpheron`; its clock advances a fake
  minute per request, so waits end at their first poll.
- ``spheron_client`` / ``spheron_async_client``: a ``Spheron`` / ``AsyncSpheron`` bound to
  ``spheron_fake`` in process (no socket), authorized with ``DEFAULT_TOKEN``.
- ``spheron_server``: ``spheron_fake`` served on a loopback port; the fixture's value is the
  base URL.
- ``spheron_env``: ``SPHERON_BASE_URL`` and ``SPHERON_TOKEN`` set to ``spheron_server``, for
  code that builds its own ``Spheron()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from spheron import AsyncSpheron, Spheron
    from spheron.testing import FakeSpheron

__all__ = [
    "spheron_async_client",
    "spheron_client",
    "spheron_env",
    "spheron_fake",
    "spheron_server",
]

_IN_PROCESS_URL = "https://spheron.test"
_STEP_SECONDS = 60.0


@pytest.fixture
def spheron_fake() -> Iterator[FakeSpheron]:
    """A fresh fake Spheron API with the default token, organization and resources."""
    from spheron.testing import Clock, FakeSpheron

    with FakeSpheron(clock=Clock(step=_STEP_SECONDS)) as fake:
        yield fake


@pytest.fixture
def spheron_client(spheron_fake: FakeSpheron) -> Iterator[Spheron]:
    """A ``Spheron`` talking to ``spheron_fake`` in process."""
    import httpx

    from spheron import Spheron
    from spheron.testing import DEFAULT_TOKEN

    with (
        httpx.Client(transport=spheron_fake.transport()) as http,
        Spheron(DEFAULT_TOKEN, base_url=_IN_PROCESS_URL, http_client=http) as client,
    ):
        yield client


@pytest.fixture
def spheron_async_client(spheron_fake: FakeSpheron) -> Iterator[AsyncSpheron]:
    """An ``AsyncSpheron`` talking to ``spheron_fake`` in process (use it in async tests)."""
    import anyio
    import httpx

    from spheron import AsyncSpheron
    from spheron.testing import DEFAULT_TOKEN

    http = httpx.AsyncClient(transport=spheron_fake.async_transport())
    client = AsyncSpheron(DEFAULT_TOKEN, base_url=_IN_PROCESS_URL, http_client=http)
    yield client
    # In process there is no socket to close; closing still marks both clients closed.
    anyio.run(client.aclose)
    anyio.run(http.aclose)


@pytest.fixture
def spheron_server(spheron_fake: FakeSpheron) -> Iterator[str]:
    """``spheron_fake`` served over HTTP/1.1 on 127.0.0.1; the value is its base URL."""
    with spheron_fake.serve() as url:
        yield url


@pytest.fixture
def spheron_env(spheron_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """``SPHERON_BASE_URL``/``SPHERON_TOKEN`` pointing at ``spheron_server`` for the test."""
    from spheron.testing import DEFAULT_TOKEN

    monkeypatch.setenv("SPHERON_BASE_URL", spheron_server)
    monkeypatch.setenv("SPHERON_TOKEN", DEFAULT_TOKEN)
    yield spheron_server
