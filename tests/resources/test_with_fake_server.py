"""End to end: the namespaces on a real ``Spheron``/``AsyncSpheron`` against ``spheron.testing``.

These go through the client core's transport (auth, retries, typed errors), so they catch
what the scripted fake in the other tests cannot: the multipart body surviving the retry
transport, threads sharing one connection pool, typed errors replacing ``None``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from spheron import AsyncSpheron, NotFoundError, Spheron, resources, testing

BASE_URL = "https://spheron.test"


@pytest.fixture
def server() -> Any:
    return testing.FakeSpheron(clock=testing.Clock(step=10))


def sync_client(server: Any) -> Spheron:
    http = httpx.Client(transport=server.transport())
    return Spheron(testing.DEFAULT_TOKEN, base_url=BASE_URL, http_client=http)


def async_client(server: Any) -> AsyncSpheron:
    http = httpx.AsyncClient(transport=server.async_transport())
    return AsyncSpheron(testing.DEFAULT_TOKEN, base_url=BASE_URL, http_client=http)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "img").mkdir()
    (tmp_path / "index.html").write_text("<h1>hello</h1>")
    (tmp_path / "img" / "photo.bin").write_bytes(bytes(range(256)) * 1000)
    return tmp_path


def files_of(upload: Any) -> dict[str, int]:
    return {f.file_name: f.file_size for f in upload.upload_directory}


def test_sync_upload_in_chunks_round_trips(server: Any, site: Path) -> None:
    server.state.upload_payload_size = 64 * 1024
    server.state.upload_parallel_count = 3
    with sync_client(server) as client:
        storage = resources.Storage(client)

        result = storage.upload(site, bucket="photos")
        upload = storage.uploads.get(result.upload_id)

    assert files_of(upload) == {"index.html": 14, "img/photo.bin": 256_000}
    assert server.count("POST", route="/v1/upload/{uploadId}/data") == 1 + 4


async def test_async_upload_in_chunks_round_trips(server: Any, site: Path) -> None:
    server.state.upload_payload_size = 64 * 1024
    async with async_client(server) as client:
        storage = resources.AsyncStorage(client)

        result = await storage.upload(site, bucket="photos")
        upload = await storage.uploads.get(result.upload_id)

    assert files_of(upload) == {"index.html": 14, "img/photo.bin": 256_000}


def test_sync_deploy_and_wait(server: Any) -> None:
    with sync_client(server) as client:
        deployments = resources.Deployments(client, sleep=lambda _: None)
        started = deployments.create(
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
        seen: list[str | None] = []

        done = deployments.wait(
            str(started.deployment_id), on_update=lambda update: seen.append(update.status)
        )

    assert done.status == "Deployed"
    assert len(seen) > 1 and seen[-1] == "Deployed"


async def test_async_typed_errors_and_listing(server: Any) -> None:
    async with async_client(server) as client:
        projects = resources.AsyncProjects(client)
        organizations = resources.AsyncOrganizations(client)

        with pytest.raises(NotFoundError):
            await projects.get("000000000000000000000000")
        listed = [p.id async for p in organizations.list_projects(page_size=1)]

    assert listed == [testing.DEFAULT_PROJECT_ID]


def test_single_shot_upload_files_sync_and_async(server: Any) -> None:
    """storage.uploads.upload_files: one multipart request (gitopia-storage's ``filekey``)."""
    from io import BytesIO

    from spheron_api_client.types import File

    def parts() -> dict[str, Any]:
        return {
            "filekey": File(payload=BytesIO(b"PACK"), file_name="a.pack"),
            "files": [File(payload=BytesIO(b"<p>"), file_name="./site/index.html")],
        }

    with sync_client(server) as client:
        done = client.storage.uploads.upload_files(parts(), bucket="git-server-test")
        assert done.success and done.cid.startswith("bafybei")
        assert server.upload_files(done.upload_id) == {"a.pack": b"PACK", "site/index.html": b"<p>"}

    async def run() -> str:
        async with async_client(server) as client:
            result = await client.storage.uploads.upload_files(
                parts(), bucket="git-server-test", protocol="ipfs"
            )
            return result.upload_id

    upload_id = asyncio.run(run())
    assert server.upload_files(upload_id) == {"a.pack": b"PACK", "site/index.html": b"<p>"}
