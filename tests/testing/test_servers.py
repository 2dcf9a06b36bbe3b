"""The fake over real sockets (uvicorn HTTP/1.1, hypercorn HTTP/2 + TLS), the CLI, and the
sync in-process transport's plumbing."""

from __future__ import annotations

import os
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from spheron import Spheron
from spheron.testing import (
    DEFAULT_BUCKET_ID,
    DEFAULT_ORGANIZATION_ID,
    DEFAULT_PROJECT_ID,
    DEFAULT_TOKEN,
    FakeSpheron,
    NonLoopbackWarning,
)
from spheron.testing._fake import is_loopback

AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
ORG = f"/v1/organization/{DEFAULT_ORGANIZATION_ID}"


def test_http1_over_loopback(fake: FakeSpheron, hooks: dict[str, list[Any]]) -> None:
    with fake.serve() as url:
        assert url.startswith("http://127.0.0.1:") and fake.url == url
        with httpx.Client(base_url=url, headers=AUTH, event_hooks=hooks) as client:
            response = client.get(ORG)
            assert response.status_code == 200 and response.http_version == "HTTP/1.1"
            assert client.get(f"/v1/project/{DEFAULT_PROJECT_ID}/deployments").json() == []
            query = {"protocol": "ipfs", "bucket": "test-bucket"}
            opened = client.post("/v1/upload/initiate", params=query, json={}).json()
            data = client.post(
                f"/v1/upload/{opened['uploadId']}/data",
                files=[("files", ("./a/b.txt", b"over the wire", "text/plain"))],
            )
            assert data.json() == {"uploadSize": 13}
            assert client.get(ORG, headers={"Authorization": "Bearer bad"}).status_code == 403
            assert httpx.get(f"{url}{ORG}").status_code == 401
    assert fake.url is None
    assert fake.upload_files(opened["uploadId"]) == {"a/b.txt": b"over the wire"}
    assert fake.count("POST", route="/v1/upload/{uploadId}/data") == 1


def test_http2_over_tls(fake: FakeSpheron, hooks: dict[str, list[Any]]) -> None:
    with fake.serve(http2=True) as url:
        assert url.startswith("https://127.0.0.1:")
        with httpx.Client(
            base_url=url, headers=AUTH, http2=True, verify=fake.ssl_context(), event_hooks=hooks
        ) as client:
            response = client.get(ORG)
            assert response.http_version == "HTTP/2"
            assert response.json()["_id"] == DEFAULT_ORGANIZATION_ID
            bucket = client.get(f"/v1/bucket/{DEFAULT_BUCKET_ID}")
            assert bucket.http_version == "HTTP/2" and bucket.json()["name"] == "test-bucket"
            fake.faults.add("status", status=503, retry_after=1)
            failed = client.get(ORG)
            assert failed.status_code == 503 and failed.headers["retry-after"] == "1"
        # The same server speaks HTTP/1.1 to clients that do not offer h2.
        trust = ssl.create_default_context(cafile=fake.ca_path)
        with httpx.Client(base_url=url, headers=AUTH, verify=trust) as http1:
            assert http1.get(ORG).http_version == "HTTP/1.1"
        # The certificate is not trusted without the throwaway CA.
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}{ORG}", headers=AUTH)
    assert fake.ca_pem.startswith(b"-----BEGIN CERTIFICATE-----")


def test_reset_over_http2(fake: FakeSpheron) -> None:
    # Over TLS the TLS layer closes first, so httpx reports a protocol error, not ECONNRESET.
    with (
        fake.serve(http2=True) as url,
        httpx.Client(base_url=url, headers=AUTH, http2=True, verify=fake.ssl_context()) as client,
    ):
        assert client.get(ORG).http_version == "HTTP/2"
        fake.faults.add("reset", path=ORG)
        with pytest.raises(httpx.TransportError):
            client.get(ORG)
        assert client.get(ORG).status_code == 200


async def test_async_client_over_http2(fake: FakeSpheron) -> None:
    with fake.serve(http2=True) as url:
        async with httpx.AsyncClient(
            base_url=url, headers=AUTH, http2=True, verify=fake.ssl_context()
        ) as client:
            responses = [await client.get(ORG) for _ in range(3)]
            assert {r.http_version for r in responses} == {"HTTP/2"}


def test_http1_over_tls(fake: FakeSpheron) -> None:
    with (
        fake.serve(tls=True) as url,
        httpx.Client(base_url=url, headers=AUTH, verify=fake.ssl_context()) as client,
    ):
        assert url.startswith("https://")
        assert client.get(ORG).http_version == "HTTP/1.1"


def test_http2_needs_tls(fake: FakeSpheron) -> None:
    with pytest.raises(ValueError), fake.serve(http2=True, tls=False):
        pass  # pragma: no cover


def test_two_servers_share_state(fake: FakeSpheron) -> None:
    with fake.serve() as first, fake.serve() as second:
        assert first != second
        httpx.put(
            f"{first}{ORG}",
            headers=AUTH,
            json={"name": "Shared", "username": "shared", "image": ""},
        )
        assert httpx.get(f"{second}{ORG}", headers=AUTH).json()["profile"]["name"] == "Shared"


def test_sync_transport_from_many_threads(fake: FakeSpheron) -> None:
    before = set(threading.enumerate())
    with httpx.Client(transport=fake.transport(), base_url="http://x", headers=AUTH) as client:

        def create(i: int) -> int:
            body = {"name": f"Env {i}", "branches": [f"b{i}"], "protocol": "ipfs"}
            url = f"/v1/project/{DEFAULT_PROJECT_ID}/deployment-environments"
            return client.post(url, json=body).status_code

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(create, range(40))) == {200}
        listed = client.get(f"/v1/project/{DEFAULT_PROJECT_ID}/deployment-environments").json()
        assert len(listed["result"]) == 41
    # Closing the client stops the transport's loop thread.
    leftover = set(threading.enumerate()) - before
    assert not [t for t in leftover if t.name == "spheron-testing-transport"]


def test_fake_client_helper(fake: FakeSpheron) -> None:
    with fake.client() as client:
        assert client.get(ORG).json()["_id"] == DEFAULT_ORGANIZATION_ID
    other = fake.add_token()
    with fake.client(other) as client:
        assert client.get(ORG).status_code == 200


def _start_cli(*args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """Start ``python -m spheron.testing`` and read the ``export`` lines it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "spheron.testing", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    exports: dict[str, str] = {}
    for _ in range(10):
        line = process.stdout.readline().strip()
        if line.startswith("# Press Ctrl+C"):
            return process, exports
        if not line.startswith("#"):
            # Every other line can be pasted into a POSIX shell as it is.
            match = re.fullmatch(r"export ([A-Z_]+)=(\S+)", line)
            assert match, line
            exports[match.group(1)] = match.group(2)
    raise AssertionError("the server did not announce itself")


def _stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    process.wait(timeout=15)
    assert process.returncode == 0
    return process.stderr.read() if process.stderr else ""


@pytest.mark.prints_token
def test_cli_prints_export_lines_and_runs_a_fast_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    process, exports = _start_cli()
    try:
        url = exports["SPHERON_BASE_URL"]
        assert url.startswith("http://127.0.0.1:")
        assert exports["SPHERON_TOKEN"] == DEFAULT_TOKEN
        for name, value in exports.items():
            monkeypatch.setenv(name, value)
        with Spheron() as client:
            assert client.organizations.get().id == DEFAULT_ORGANIZATION_ID
            started = client.deployments.create(
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
            began = time.monotonic()
            assert isinstance(started.deployment_id, str)
            done = client.deployments.wait(started.deployment_id, timeout=30)
            # The default clock runs fast: the first poll already sees the end.
            assert time.monotonic() - began < 1.0
            assert str(done.status) == "Deployed"
    finally:
        stderr = _stop(process)
    assert "WARNING" not in stderr


@pytest.mark.prints_token
def test_cli_http2_prints_how_to_trust_its_ca(monkeypatch: pytest.MonkeyPatch) -> None:
    process, exports = _start_cli("--http2")
    try:
        assert exports["SPHERON_BASE_URL"].startswith("https://")
        for name, value in exports.items():
            monkeypatch.setenv(name, value)
        trust = ssl.create_default_context(cafile=exports["SSL_CERT_FILE"])
        with httpx.Client(http2=True, verify=trust, timeout=10) as client:
            response = client.get(f"{exports['SPHERON_BASE_URL']}{ORG}", headers=AUTH)
            assert response.http_version == "HTTP/2"
        # Spheron's own pool trusts SSL_CERT_FILE, so the printed lines are all it needs.
        with Spheron(timeout=10) as spheron:
            assert spheron.organizations.get().id == DEFAULT_ORGANIZATION_ID
    finally:
        _stop(process)


def test_cli_port_taken_is_one_clear_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "spheron.testing", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.prints_token
def test_cli_warns_loudly_on_a_non_loopback_address() -> None:
    process, exports = _start_cli("--host", "0.0.0.0")
    try:
        port = exports["SPHERON_BASE_URL"].rsplit(":", 1)[1]
        response = httpx.get(f"http://127.0.0.1:{port}{ORG}", headers=AUTH, timeout=10)
        assert response.status_code == 200
    finally:
        stderr = _stop(process)
    assert "WARNING" in stderr and "0.0.0.0" in stderr and "other machines" in stderr


def test_serve_warns_on_a_non_loopback_address() -> None:
    with FakeSpheron() as fake:
        with pytest.warns(NonLoopbackWarning, match="0.0.0.0"), fake.serve("0.0.0.0"):
            pass
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with fake.serve("127.0.0.1"):
                pass


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.1", False),
        ("example.com", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_importing_spheron_does_not_import_testing() -> None:
    code = "import sys, spheron; assert 'spheron.testing' not in sys.modules; print('ok')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_in_process_import_needs_no_server_packages() -> None:
    # uvicorn, hypercorn and trustme are only imported when a live server starts.
    code = (
        "import sys, spheron.testing\n"
        "heavy = {'uvicorn', 'hypercorn', 'trustme'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
