"""Against a real TLS server on 127.0.0.1 (hypercorn, throwaway trustme CA): HTTP/2 and TLS."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme
from hypercorn.asyncio import serve
from hypercorn.config import Config

from spheron import APIConnectionError, AsyncSpheron, PermissionDeniedError, Spheron
from spheron_api_client.api.organization import get_organization

from .conftest import Sleeps
from .helpers import ORG, TOKEN


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers the organization path; 403 without the right token; reports the HTTP version."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    headers = dict(scope["headers"])
    if headers.get(b"authorization") == f"Bearer {TOKEN}".encode():
        status, body = 200, {**ORG, "http_version": scope["http_version"], "path": scope["path"]}
    else:
        status, body = 403, {"statusCode": 403, "message": "Forbidden resource"}
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"x-request-id", b"h2-req")],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class TLSServer:
    """hypercorn serving :func:`app` over TLS (h2 and http/1.1) in a background thread."""

    def __init__(self, cert_dir: Path) -> None:
        self.ca = trustme.CA()
        cert = self.ca.issue_cert("127.0.0.1")
        self.cafile = cert_dir / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.cafile))
        certfile, keyfile = cert_dir / "server.pem", cert_dir / "server.key"
        for blob in cert.cert_chain_pems:
            blob.write_to_path(str(certfile), append=True)
        cert.private_key_pem.write_to_path(str(keyfile))

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        self.port = sock.getsockname()[1]
        self.config = Config()
        self.config.bind = [f"fd://{sock.detach()}"]
        self.config.certfile, self.config.keyfile = str(certfile), str(keyfile)
        self.config.accesslog = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def ssl_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context()
        self.ca.configure_trust(ctx)
        return ctx

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._started.set()
        await serve(app, self.config, shutdown_trigger=self._stop.wait)  # type: ignore[arg-type]

    def __enter__(self) -> TLSServer:
        self._thread.start()
        assert self._started.wait(10), "hypercorn did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TLSServer]:
    with TLSServer(tmp_path_factory.mktemp("tls")) as running:
        yield running


@pytest.fixture
def trust_test_ca(server: TLSServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the client's default TLS setup trust the throwaway CA (verification stays on)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(server.cafile))


TIMEOUT = httpx.Timeout(10.0)


def test_default_client_speaks_http2(
    server: TLSServer, trust_test_ca: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with Spheron(TOKEN, base_url=server.url, timeout=TIMEOUT) as client:
        org = get_organization.sync("org_1", client=client.api)
        raw = client.api.get_httpx_client().get("/v1/organization/org_1")

    assert org is not None and org.id == "org_1"
    assert org.additional_properties["http_version"] == "2"
    assert raw.http_version == "HTTP/2"
    assert raw.json()["path"] == "/v1/organization/org_1"
    assert TOKEN not in caplog.text
    assert TOKEN not in "".join(repr(r.args) for r in caplog.records)


async def test_default_async_client_speaks_http2(server: TLSServer, trust_test_ca: None) -> None:
    async with AsyncSpheron(TOKEN, base_url=server.url, timeout=TIMEOUT) as client:
        org = await get_organization.asyncio("org_1", client=client.api)
        raw = await client.api.get_async_httpx_client().get("/v1/organization/org_1")

    assert org is not None and org.additional_properties["http_version"] == "2"
    assert raw.http_version == "HTTP/2"


def test_http2_can_be_turned_off(server: TLSServer, trust_test_ca: None) -> None:
    with Spheron(TOKEN, base_url=server.url, timeout=TIMEOUT, http2=False) as client:
        raw = client.api.get_httpx_client().get("/v1/organization/org_1")
    assert raw.http_version == "HTTP/1.1"


def test_callers_http_client_with_its_own_tls_context(server: TLSServer) -> None:
    with httpx.Client(verify=server.ssl_context(), http2=True) as own:
        with Spheron(TOKEN, base_url=server.url, timeout=TIMEOUT, http_client=own) as client:
            raw = client.api.get_httpx_client().get("/v1/organization/org_1")
        wrong = Spheron("wrong_token_0123456789", base_url=server.url, http_client=own)
        with pytest.raises(PermissionDeniedError) as info:
            get_organization.sync("org_1", client=wrong.api)
    assert raw.http_version == "HTTP/2"
    assert info.value.request_id == "h2-req"
    assert "authentication failed" in str(info.value)
    assert "Forbidden resource" in str(info.value)


async def test_async_callers_http_client_with_its_own_tls_context(server: TLSServer) -> None:
    async with httpx.AsyncClient(verify=server.ssl_context(), http2=True) as own:
        client = AsyncSpheron(TOKEN, base_url=server.url, timeout=TIMEOUT, http_client=own)
        raw = await client.api.get_async_httpx_client().get("/v1/organization/org_1")
        await client.aclose()
    assert raw.http_version == "HTTP/2"


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_tls_verification_is_on_by_default(
    server: TLSServer, sleeps: Sleeps, mode: str
) -> None:
    # The throwaway CA is not trusted here, so the handshake must fail.
    if mode == "sync":
        with (
            Spheron(TOKEN, base_url=server.url, timeout=TIMEOUT) as client,
            pytest.raises(APIConnectionError) as info,
        ):
            get_organization.sync("org_1", client=client.api)
    else:
        async with AsyncSpheron(TOKEN, base_url=server.url, timeout=TIMEOUT) as aclient:
            with pytest.raises(APIConnectionError) as info:
                await get_organization.asyncio("org_1", client=aclient.api)
    assert "CERTIFICATE_VERIFY_FAILED" in str(info.value)
    assert len(sleeps) == 2  # a failed handshake is a connect error: retried, then raised
