"""Guards for the performance fixes the benchmarks (``python -m bench``) led to.

- A ``Spheron`` sends through one httpx client: by default straight into ``httpx.HTTPTransport``;
  a caller's own ``http_client`` is called once per request through its public ``send``.
- The upload engine frees each part's bytes once the part is sent, so peak memory does not
  grow with the file while httpx's request/response reference cycles wait for the collector.
"""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import Any

import httpx
import pytest

from spheron import APIConnectionError, AsyncSpheron, Spheron, _upload_plan
from spheron._async._upload import async_run_upload
from spheron._sync._upload import run_upload
from spheron_api_client.models.finish_upload_response import FinishUploadResponse
from spheron_api_client.models.initiate_upload_response import InitiateUploadResponse
from spheron_api_client.models.upload_chunk_body import UploadChunkBody
from spheron_api_client.models.upload_finish_action import UploadFinishAction

from .._complete import complete

TOKEN = "bench-token"
ORG = complete("Organization", {"_id": "org_1", "profile": {"name": "Acme"}})


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=ORG)


class CountingClient(httpx.Client):
    sends = 0

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        self.sends += 1
        return super().send(request, **kwargs)


class AsyncCountingClient(httpx.AsyncClient):
    sends = 0

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        self.sends += 1
        return await super().send(request, **kwargs)


def test_a_callers_client_is_sent_through_once_by_its_public_send() -> None:
    pool = CountingClient(transport=httpx.MockTransport(ok))
    with Spheron(TOKEN, base_url="https://api.test", http_client=pool) as client:
        assert client.organizations.get("org_1").id == "org_1"
    assert pool.sends == 1


async def test_a_callers_async_client_is_sent_through_once_by_its_public_send() -> None:
    pool = AsyncCountingClient(transport=httpx.MockTransport(ok))
    async with AsyncSpheron(TOKEN, base_url="https://api.test", http_client=pool) as client:
        assert (await client.organizations.get("org_1")).id == "org_1"
    assert pool.sends == 1


@pytest.mark.parametrize("setting", ["hooks", "redirects", "auth"])
def test_a_pool_with_behaviour_of_its_own_still_sends(setting: str) -> None:
    seen: list[str] = []
    settings: dict[str, dict[str, Any]] = {
        "hooks": {"event_hooks": {"request": [lambda r: seen.append(r.url.path)]}},
        "redirects": {"follow_redirects": True},
        "auth": {"auth": ("user", "pass")},
    }
    kwargs = settings[setting]
    pool = CountingClient(transport=httpx.MockTransport(ok), **kwargs)
    with Spheron(TOKEN, base_url="https://api.test", http_client=pool) as client:
        client.organizations.get("org_1")
    assert pool.sends == 1
    if setting == "hooks":
        assert seen == ["/v1/organization/org_1"]


def test_direct_transport_errors_are_typed_and_name_their_request() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    pool = httpx.Client(transport=httpx.MockTransport(refuse))
    with (
        Spheron(TOKEN, base_url="https://api.test", http_client=pool, max_retries=0) as client,
        pytest.raises(APIConnectionError) as info,
    ):
        client.organizations.get("org_1")
    cause = info.value.__cause__
    assert isinstance(cause, httpx.ConnectError)
    assert cause.request.url == "https://api.test/v1/organization/org_1"


class _Api:
    """An ``UploadApi`` that keeps every body it was given."""

    def __init__(self) -> None:
        self.bodies: list[UploadChunkBody] = []
        self.open_while_sending: list[bool] = []

    def initiate(self) -> InitiateUploadResponse:
        return InitiateUploadResponse(upload_id="u1", parallel_upload_count=2, payload_size=4)

    def send(self, upload_id: str, body: UploadChunkBody) -> None:
        self.bodies.append(body)
        self.open_while_sending.append(all(not f.payload.closed for f in _files(body)))

    def finish(self, upload_id: str, action: UploadFinishAction) -> FinishUploadResponse:
        return FinishUploadResponse(
            success=True,
            message="ok",
            upload_id=upload_id,
            bucket_id="b1",
            protocol_link="https://x.ipfs.sphn.link",
            dynamic_links=[],
            cid="bafy",
        )


class _AsyncApi(_Api):
    async def initiate(self) -> InitiateUploadResponse:  # type: ignore[override]
        return _Api.initiate(self)

    async def send(self, upload_id: str, body: UploadChunkBody) -> None:  # type: ignore[override]
        _Api.send(self, upload_id, body)

    async def finish(  # type: ignore[override]
        self, upload_id: str, action: UploadFinishAction
    ) -> FinishUploadResponse:
        return _Api.finish(self, upload_id, action)


def _files(body: UploadChunkBody) -> list[Any]:
    files = body.files if isinstance(body.files, list) else []
    return [*files, *body.additional_properties.values()]


@pytest.fixture
def _tiny_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of a few bytes: lift the part-size floor (bounds: tests/hostile/test_uploads.py)."""
    monkeypatch.setattr(_upload_plan, "MIN_PART_SIZE", 1)


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "big.bin").write_bytes(b"0123456789")  # sliced into 3 chunk parts
    (tmp_path / "a.txt").write_bytes(b"ab")
    (tmp_path / "b.txt").write_bytes(b"cd")
    return tmp_path


@pytest.mark.usefixtures("_tiny_parts")
def test_sent_parts_are_released(tmp_path: Path) -> None:
    api = _Api()
    gc.disable()  # the release must not depend on the collector
    try:
        run_upload(api, _tree(tmp_path))
    finally:
        gc.enable()
    assert len(api.bodies) == 4
    assert all(api.open_while_sending)
    assert all(f.payload.closed for body in api.bodies for f in _files(body))


@pytest.mark.usefixtures("_tiny_parts")
def test_sent_parts_are_released_async(tmp_path: Path) -> None:
    api = _AsyncApi()
    asyncio.run(async_run_upload(api, _tree(tmp_path)))
    assert len(api.bodies) == 4
    assert all(api.open_while_sending)
    assert all(f.payload.closed for body in api.bodies for f in _files(body))
