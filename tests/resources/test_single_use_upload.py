"""The browser-style upload: a server initiates with a single-use token, a client sends data and
finish with that token only (issue 11, item 5), through ``storage.upload_initiated``."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from spheron import AsyncSpheron, InvalidArgumentError, Spheron, testing
from spheron_api_client.api.uploads import initiate_upload
from spheron_api_client.models import InitiateUploadBody

BASE_URL = "https://spheron.test"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("<h1>hi</h1>")
    (tmp_path / "big.bin").write_bytes(bytes(range(256)) * 400)
    return tmp_path


def _initiate(fake: testing.FakeSpheron) -> tuple[str, str, int, int]:
    """What a server does: initiate with a single-use token and hand it over."""
    http = httpx.Client(transport=fake.transport())
    with Spheron(testing.DEFAULT_TOKEN, base_url=BASE_URL, http_client=http) as server_side:
        opened = initiate_upload.sync(
            client=server_side.api,
            body=InitiateUploadBody(),
            bucket="site",
            protocol="ipfs",
            create_single_use_token=True,
        )
    assert opened is not None and isinstance(opened.single_use_token, str)
    return opened.upload_id, opened.single_use_token, opened.payload_size, 2


def _tokens(fake: testing.FakeSpheron) -> list[tuple[str, str]]:
    return [
        (r.route, r.headers.get("authorization", ""))
        for r in fake.requests
        if r.route in ("/v1/upload/{uploadId}/data", "/v1/upload/{uploadId}/finish")
    ]


def test_sync(site: Path) -> None:
    fake = testing.FakeSpheron()
    fake.state.upload_payload_size = 64 * 1024
    upload_id, token, payload, parallel = _initiate(fake)
    fake.requests.clear()
    http = httpx.Client(transport=fake.transport())
    # The browser's own client holds some other token (or a placeholder): only `token` is sent.
    with Spheron("browser-placeholder-token", base_url=BASE_URL, http_client=http) as client:
        result = client.storage.upload_initiated(
            site,
            upload_id=upload_id,
            token=token,
            payload_size=payload,
            parallel_upload_count=parallel,
        )
    assert result.upload_id == upload_id and result.cid
    sent = _tokens(fake)
    assert sent and all(auth == f"Bearer {token}" for _, auth in sent)
    assert sent[-1][0] == "/v1/upload/{uploadId}/finish"
    assert not [r for r in fake.requests if r.route == "/v1/upload/initiate"]


async def test_async(site: Path) -> None:
    fake = testing.FakeSpheron()
    upload_id, token, payload, parallel = _initiate(fake)
    fake.requests.clear()
    http = httpx.AsyncClient(transport=fake.async_transport())
    async with AsyncSpheron("browser-placeholder-token", base_url=BASE_URL, http_client=http) as c:
        result = await c.storage.upload_initiated(
            site,
            upload_id=upload_id,
            token=token,
            payload_size=payload,
            parallel_upload_count=parallel,
        )
    assert result.upload_id == upload_id
    assert all(auth == f"Bearer {token}" for _, auth in _tokens(fake))


def test_a_bad_upload_id_is_refused_before_anything_is_read(site: Path) -> None:
    with (
        Spheron("t" * 20, base_url=BASE_URL) as client,
        pytest.raises(InvalidArgumentError, match="upload_id"),
    ):
        client.storage.upload_initiated(site, upload_id="..", token="x" * 20, payload_size=1024)
