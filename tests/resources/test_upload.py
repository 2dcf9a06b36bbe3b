"""``storage.upload``: the chunked upload protocol, sync (threads) and async (tasks)."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import httpx
import pytest

from spheron import _upload, _upload_plan
from spheron._progress import UploadProgress
from spheron._upload import ChunkPart, FilesPart, UploadFailedError, UploadResult, plan_parts
from spheron_api_client.errors import SpheronError

from ._fakes import FakeApi, FakeClient, make_client, namespace, resolve

INITIATE = "/v1/upload/initiate"
DATA = "/v1/upload/up-1/data"
FINISH = "/v1/upload/up-1/finish"
FINISHED = {
    "success": True,
    "message": "uploaded",
    "uploadId": "up-1",
    "bucketId": "b1",
    "protocolLink": "https://bafy.ipfs.sphn.link",
    "dynamicLinks": ["site.spheron.app"],
    "cid": "bafy",
}


@pytest.fixture(autouse=True)
def _tiny_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests follow the protocol with parts of a few bytes: lift the part-size floor
    (its bounds are tested in tests/hostile/test_uploads.py)."""
    monkeypatch.setattr(_upload_plan, "MIN_PART_SIZE", 1)


@dataclass(frozen=True)
class Part:
    name: str
    filename: str
    content_type: str
    content: bytes


def parts_of(request: httpx.Request) -> list[Part]:
    """The multipart parts of a data request."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP).parsebytes(head + request.content)
    found = []
    for part in message.iter_parts():
        content = part.get_payload(decode=True)
        assert isinstance(content, bytes)
        name = part.get_param("name", header="content-disposition")
        found.append(Part(str(name), str(part.get_filename()), part.get_content_type(), content))
    return found


def opened(parallel: int = 2, payload: int = 1024) -> dict[str, Any]:
    return {"uploadId": "up-1", "parallelUploadCount": parallel, "payloadSize": payload}


def serve(fake: FakeApi, *, parallel: int = 2, payload: int = 1024, data: Any = None) -> None:
    fake.route("POST", INITIATE, opened(parallel, payload))
    fake.route("POST", DATA, data if data is not None else {"uploadSize": 1})
    fake.route("POST", FINISH, FINISHED)


def data_requests(fake: FakeApi) -> list[list[Part]]:
    return [parts_of(s.request) for s in fake.sent if s.path == DATA]


def upload(client: FakeClient, mode: str, path: Path, **kwargs: Any) -> Any:
    return namespace(client, mode, "storage").upload(path, **kwargs)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "assets" / "img").mkdir(parents=True)
    (root / "index.html").write_text("<h1>hi</h1>")
    (root / "assets" / "app.js").write_text("console.log(1)")
    (root / "assets" / "img" / "logo.bin").write_bytes(bytes(range(40)))
    return root


async def test_single_file(mode: str, fake: FakeApi, client: FakeClient, tmp_path: Path) -> None:
    serve(fake)
    file = tmp_path / "hello.txt"
    file.write_text("hello")
    events: list[UploadProgress] = []

    result = await resolve(
        upload(client, mode, file, bucket="site", protocol="ipfs", on_progress=events.append)
    )

    assert result == UploadResult(
        upload_id="up-1",
        bucket_id="b1",
        protocol_link="https://bafy.ipfs.sphn.link",
        dynamic_links=("site.spheron.app",),
        cid="bafy",
    )
    calls = [(s.method, s.path, s.query, s.json) for s in fake.sent]
    assert calls[0] == (
        "POST",
        INITIATE,
        {"protocol": "ipfs", "bucket": "site", "maxSize": "", "organization": "org-1"},
        {},
    )
    assert calls[1][:3] == ("POST", DATA, {})
    assert calls[2] == ("POST", FINISH, {"action": "UPLOAD"}, {})
    assert data_requests(fake) == [[Part("files", "hello.txt", "text/plain", b"hello")]]
    assert events == [UploadProgress("up-1", 0, 5, 0, 1), UploadProgress("up-1", 5, 5, 1, 1)]


async def test_directory_batches_whole_files_by_payload_size(
    mode: str, fake: FakeApi, client: FakeClient, site: Path
) -> None:
    serve(fake, payload=50)

    await resolve(upload(client, mode, site, bucket="site", protocol="arweave"))

    requests = sorted(data_requests(fake), key=lambda parts: parts[0].filename)
    assert [[(p.name, p.filename, len(p.content)) for p in parts] for parts in requests] == [
        [("files", "assets/img/logo.bin", 40)],
        [("files", "index.html", 11), ("files", "assets/app.js", 14)],
    ]
    assert all(sum(len(p.content) for p in parts) <= 50 for parts in requests)
    assert fake.sent[0].query["protocol"] == "arweave"


async def test_large_file_goes_in_chunk_parts(
    mode: str, fake: FakeApi, client: FakeClient, tmp_path: Path
) -> None:
    serve(fake, payload=16, parallel=1)
    blob = bytes(range(256)) * 2 + b"tail"
    big = tmp_path / "video.mp4"
    big.write_bytes(blob[:40])

    await resolve(upload(client, mode, big, bucket="media"))

    requests = data_requests(fake)
    assert [[(p.name, p.filename, p.content_type) for p in parts] for parts in requests] == [
        [("chunk-0-3", "video.mp4", "video/mp4")],
        [("chunk-1-3", "video.mp4", "video/mp4")],
        [("chunk-2-3", "video.mp4", "video/mp4")],
    ]
    assert b"".join(parts[0].content for parts in requests) == blob[:40]
    assert [len(parts[0].content) for parts in requests] == [16, 16, 8]


async def test_large_file_is_read_one_part_at_a_time(
    mode: str, fake: FakeApi, client: FakeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(fake, payload=64, parallel=3)
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 1000)
    reads: list[int] = []
    original = _upload._read

    def spy(file: _upload.LocalFile, offset: int, size: int) -> bytes:
        reads.append(size)
        return original(file, offset, size)

    monkeypatch.setattr(_upload, "_read", spy)

    await resolve(upload(client, mode, big, bucket="b"))

    assert max(reads) == 64
    assert sum(reads) == 1000
    assert len(data_requests(fake)) == 16


async def test_mixed_directory_sends_every_byte_once(
    mode: str, fake: FakeApi, client: FakeClient, site: Path
) -> None:
    serve(fake, payload=16, parallel=4)
    events: list[UploadProgress] = []

    await resolve(upload(client, mode, site, bucket="site", on_progress=events.append))

    chunks = {}
    whole = {}
    for parts in data_requests(fake):
        for part in parts:
            if part.name == "files":
                whole[part.filename] = part.content
            else:
                chunks[part.name] = part.content
    assert whole == {"assets/app.js": b"console.log(1)", "index.html": b"<h1>hi</h1>"}
    assert sorted(chunks) == ["chunk-0-3", "chunk-1-3", "chunk-2-3"]
    assert b"".join(chunks[f"chunk-{i}-3"] for i in range(3)) == bytes(range(40))
    assert [e.bytes_sent for e in events] == sorted(e.bytes_sent for e in events)
    assert events[-1].bytes_sent == events[-1].total_bytes == 65
    assert events[-1].parts_done == events[-1].parts_total == len(data_requests(fake))
    assert events[-1].fraction == 1.0


class Gate:
    """Holds each data request until ``width`` are in flight at once (or a timeout)."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.in_flight = 0
        self.peak = 0
        self.lock = threading.Lock()
        self.wide = threading.Event()

    def enter(self) -> None:
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            if self.in_flight >= self.width:
                self.wide.set()

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1


def gated_client(fake: FakeApi, gate: Gate, mode: str) -> FakeClient:
    answer = httpx.Response(200, json={"uploadSize": 1})

    def sync_handler(request: httpx.Request) -> httpx.Response:
        if request.url.path != DATA:
            return fake(request)
        fake(request)
        gate.enter()
        gate.wide.wait(timeout=5)
        gate.leave()
        return answer

    async def async_handler(request: httpx.Request) -> httpx.Response:
        if request.url.path != DATA:
            return fake(request)
        fake(request)
        gate.enter()
        for _ in range(500):
            if gate.wide.is_set():
                break
            await asyncio.sleep(0.01)
        gate.leave()
        return answer

    return make_client(sync_handler if mode == "sync" else async_handler)


async def test_parts_are_sent_in_parallel_up_to_the_offered_count(
    mode: str, fake: FakeApi, tmp_path: Path
) -> None:
    serve(fake, payload=10, parallel=3)
    big = tmp_path / "big.bin"
    big.write_bytes(b"y" * 95)
    gate = Gate(width=3)

    await resolve(upload(gated_client(fake, gate, mode), mode, big, bucket="b"))

    assert gate.peak == 3
    assert len(data_requests(fake)) == 10


async def test_failure_midway_cancels_and_raises(
    mode: str, fake: FakeApi, client: FakeClient, tmp_path: Path
) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(b"z" * 40)
    ok = httpx.Response(200, json={"uploadSize": 10})
    serve(fake, payload=10, parallel=1, data=None)
    fake.route("POST", DATA, ok, httpx.Response(500, json={"message": "disk full"}), ok)
    fake.route("POST", FINISH, {**FINISHED, "success": False, "message": "cancelled"})

    with pytest.raises(SpheronError, match="data returned 500"):
        await resolve(upload(client, mode, big, bucket="b"))

    assert [(s.path, s.query) for s in fake.sent] == [
        (INITIATE, {"protocol": "ipfs", "bucket": "b", "maxSize": "", "organization": "org-1"}),
        (DATA, {}),
        (DATA, {}),
        (FINISH, {"action": "CANCEL"}),
    ]


class Boom(Exception):
    pass


async def test_original_error_is_raised_even_if_cancel_fails(
    mode: str, fake: FakeApi, client: FakeClient, tmp_path: Path
) -> None:
    file = tmp_path / "a.txt"
    file.write_text("a")
    serve(fake)

    def explode(request: httpx.Request) -> httpx.Response:
        raise Boom("connection reset")

    fake.route("POST", DATA, explode)
    fake.route("POST", FINISH, httpx.Response(599))

    with pytest.raises(Boom):
        await resolve(upload(client, mode, file, bucket="b"))

    assert fake.last.query == {"action": "CANCEL"}


async def test_unsuccessful_finish_raises(
    mode: str, fake: FakeApi, client: FakeClient, tmp_path: Path
) -> None:
    file = tmp_path / "a.txt"
    file.write_text("a")
    serve(fake)
    fake.route("POST", FINISH, {**FINISHED, "success": False, "message": "quota exceeded"})

    with pytest.raises(UploadFailedError, match="quota exceeded") as caught:
        await resolve(upload(client, mode, file, bucket="b"))

    assert caught.value.upload_id == "up-1"


async def test_nothing_to_upload(
    mode: str, fake: FakeApi, client: FakeClient, tmp_path: Path
) -> None:
    (tmp_path / "empty").mkdir()

    with pytest.raises(ValueError, match="holds no files"):
        await resolve(upload(client, mode, tmp_path / "empty", bucket="b"))
    with pytest.raises(FileNotFoundError):
        await resolve(upload(client, mode, tmp_path / "missing", bucket="b"))

    assert fake.sent == []


async def test_organization_query(mode: str, fake: FakeApi, tmp_path: Path) -> None:
    file = tmp_path / "a.txt"
    file.write_text("a")
    serve(fake)
    anonymous = make_client(fake, organization_id=None)

    await resolve(upload(anonymous, mode, file, bucket="b"))
    await resolve(upload(anonymous, mode, file, bucket="b", organization_id="org-9"))

    initiated = [s.query for s in fake.sent if s.path == INITIATE]
    assert initiated == [
        {"protocol": "ipfs", "bucket": "b", "maxSize": ""},  # empty, as @spheron/core sends it
        {"protocol": "ipfs", "bucket": "b", "maxSize": "", "organization": "org-9"},
    ]


def test_plan_parts() -> None:
    def f(name: str, size: int) -> _upload.LocalFile:
        return _upload.LocalFile(Path(name), name, size)

    small, tiny, big = f("a", 6), f("b", 4), f("c", 25)

    parts = plan_parts([small, tiny, f("d", 1), big], 10)

    assert list(parts) == [
        FilesPart((small, tiny)),
        ChunkPart(big, 0, 3, 0, 10),
        ChunkPart(big, 1, 3, 10, 10),
        ChunkPart(big, 2, 3, 20, 5),
        FilesPart((f("d", 1),)),
    ]
    with pytest.raises(ValueError):
        plan_parts([small], 0)
