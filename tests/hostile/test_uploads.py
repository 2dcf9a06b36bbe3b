"""Finding 5: uploads must not lose, mix or leak data, whatever the files or the server do.

Every test runs ``client.storage.upload`` on a real ``Spheron``/``AsyncSpheron`` against a
byte-level loopback server that speaks the upload protocol, counts requests and sees the raw
bytes on the wire. A file changing mid-upload is simulated deterministically by a hook the
server runs when it receives a data part; bounds are measured (requests, peak parallelism,
tracemalloc), never slept for.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import socket
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import anyio
import httpx
import pytest

from spheron import (
    InvalidArgumentError,
    ResponseValidationError,
    Spheron,
    SpheronError,
    UploadEntryError,
    UploadFailedError,
    UploadFileChangedError,
    UploadPathNotFoundError,
    _upload_plan,
)
from tests._modes import open_client, open_http_client, resolve
from tests.hostile._servers import HostileServer, SeenRequest, Send, hostile_server, http_response

TOKEN = "spheron_upload_token_51c2e0"
KIB = 1024
PART = 64 * KIB  # the smallest part size the client uses (MIN_PART_SIZE)
SECRET = b"TOP-SECRET-BYTES-3f1e9a"
_FILENAME = re.compile(rb'filename="([^"]*)"')
_CHUNK = re.compile(rb'name="chunk-(\d+)-(\d+)"')


class Gate:
    """Holds data requests until ``width`` are in flight at once (then lets all through)."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.in_flight = 0
        self.peak = 0
        self.threads_at_peak = 0
        self.cond = threading.Condition()
        self.open = False

    def enter(self) -> None:
        with self.cond:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            if self.in_flight >= self.width and not self.open:
                self.open = True
                self.threads_at_peak = sum(
                    t.name.startswith("spheron-upload") for t in threading.enumerate()
                )
                self.cond.notify_all()
            self.cond.wait_for(lambda: self.open, timeout=10)

    def leave(self) -> None:
        with self.cond:
            self.in_flight -= 1


class UploadServer:
    """The upload protocol, scripted: initiate, data, finish; records what it was sent.

    Data bodies are not kept whole (``tracemalloc`` would count them): each part is reduced to
    its multipart filenames, chunk name and a hash of its raw body.
    """

    def __init__(
        self,
        *,
        payload: Any = 1024 * KIB,
        parallel: Any = 2,
        on_data: Callable[[int], None] | None = None,
        gate: Gate | None = None,
    ) -> None:
        self.payload = payload
        self.parallel = parallel
        self.on_data = on_data
        self.gate = gate
        self.lock = threading.Lock()
        self.paths: list[str] = []
        self.filenames: list[bytes] = []
        self.chunks: dict[int, bytes] = {}
        self.bodies_with_secret = 0
        self.data_requests = 0
        self.actions: list[str] = []
        self.connections: set[int] = set()

    def __call__(self, request: SeenRequest, send: Send) -> None:
        path, _, query = request.target.partition("?")
        body, request.body = request.body, b""  # nothing kept whole
        with self.lock:
            self.paths.append(path)
            self.connections.add(threading.get_ident())
        answer: dict[str, Any]
        if path == "/v1/upload/initiate":
            answer = {
                "uploadId": "up-1",
                "payloadSize": self.payload,
                "parallelUploadCount": self.parallel,
            }
        elif path == "/v1/upload/up-1/data":
            with self.lock:
                self.data_requests += 1
                count = self.data_requests
                self.filenames += _FILENAME.findall(body)
                self.bodies_with_secret += SECRET in body
                for match in _CHUNK.finditer(body):
                    self.chunks[int(match.group(1))] = hashlib.sha256(body).digest()
            if self.on_data is not None:
                self.on_data(count)
            if self.gate is not None:
                self.gate.enter()
                self.gate.leave()
            answer = {"uploadSize": count}
        elif path == "/v1/upload/up-1/finish":
            action = parse_qs(query).get("action", ["?"])[0]
            with self.lock:
                self.actions.append(action)
            answer = {
                "success": action == "UPLOAD",
                "message": action,
                "uploadId": "up-1",
                "bucketId": "b1",
                "protocolLink": "https://bafy.ipfs.sphn.link",
                "dynamicLinks": [],
                "cid": "bafy",
            }
        else:
            send(http_response(404, b'{"message": "no route"}', content_type="application/json"))
            return
        payload = json.dumps(answer).encode()
        send(http_response(200, payload, content_type="application/json"))

    @property
    def names(self) -> list[str]:
        return sorted(name.decode("utf-8") for name in self.filenames)


@contextmanager
def serving(server: UploadServer) -> Iterator[HostileServer]:
    with hostile_server(server) as hostile:
        yield hostile


def upload(
    mode: str, url: str, path: Path, *, limits: httpx.Limits | None = None, **kwargs: Any
) -> Any:
    """``client.storage.upload(path, ...)`` on a real client of the given mode; ``limits``
    gives it a pool of your own (``http_client=``)."""

    async def run() -> Any:
        async with (
            open_http_client(mode, limits=limits or httpx.Limits()) as http,
            open_client(
                mode, TOKEN, base_url=url, max_retries=0, http_client=http if limits else None
            ) as client,
        ):
            return await resolve(client.storage.upload(path, bucket="site", **kwargs))

    return anyio.run(run)


def old(path: Path) -> Path:
    """Back-date ``path`` so that any later write changes its mtime, whatever the clock tick."""
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    return path


def pattern(size: int, seed: int = 0) -> bytes:
    block = hashlib.sha256(str(seed).encode()).digest() * (1 + size // 32)
    return block[:size]


# -- snapshot checks ------------------------------------------------------------------------


@pytest.mark.parametrize("change", ["rewrite", "grow", "shrink", "replace"])
def test_a_file_changed_between_parts_fails_and_is_cancelled(
    mode: str, tmp_path: Path, change: str
) -> None:
    big = tmp_path / "video.bin"
    big.write_bytes(pattern(4 * PART))
    old(big)

    def modify(count: int) -> None:
        if count != 1:
            return
        if change == "rewrite":  # same size, other bytes
            big.write_bytes(pattern(4 * PART, seed=1))
        elif change == "grow":
            with big.open("ab") as handle:
                handle.write(b"more")
        elif change == "shrink":
            os.truncate(big, PART + 10)
        else:  # atomically replaced by a new file, same size
            fresh = tmp_path / "fresh.bin"
            fresh.write_bytes(pattern(4 * PART, seed=2))
            os.replace(fresh, big)

    server = UploadServer(payload=PART, parallel=1, on_data=modify)
    with serving(server) as hostile, pytest.raises(UploadFileChangedError) as caught:
        upload(mode, hostile.url, big)

    error = caught.value
    assert isinstance(error, UploadFailedError) and isinstance(error, SpheronError)
    assert error.upload_id == "up-1" and error.name == "video.bin"
    assert "video.bin" in str(error) and "cancelled" in str(error)
    assert server.actions == ["CANCEL"]  # never UPLOAD: nothing torn is committed
    assert server.data_requests == 1  # stopped at the next part


def test_a_whole_file_changed_after_it_was_sent_is_not_committed(mode: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    page = site / "index.html"
    page.write_text("<h1>v1</h1>")
    old(page)

    def modify(count: int) -> None:
        page.write_text("<h1>v2</h1>")

    server = UploadServer(on_data=modify)
    with serving(server) as hostile, pytest.raises(UploadFileChangedError, match=r"index\.html"):
        upload(mode, hostile.url, site)

    assert server.data_requests == 1
    assert server.actions == ["CANCEL"]


def test_a_file_swapped_for_a_link_to_a_secret_mid_upload_never_sends_the_secret(
    mode: str, tmp_path: Path
) -> None:
    (tmp_path / "SECRET").write_bytes(SECRET * (2 * PART // len(SECRET) + 1))
    site = tmp_path / "site"
    site.mkdir()
    big = site / "big.bin"
    big.write_bytes(pattern(3 * PART))

    def swap(count: int) -> None:
        if count == 1:
            big.unlink()
            big.symlink_to(tmp_path / "SECRET")

    server = UploadServer(payload=PART, parallel=1, on_data=swap)
    with serving(server) as hostile, pytest.raises(UploadFileChangedError, match="replaced"):
        upload(mode, hostile.url, site)

    assert server.bodies_with_secret == 0
    assert server.actions == ["CANCEL"]


# -- names ----------------------------------------------------------------------------------


def test_names_the_encoder_would_fold_are_refused_before_anything_is_sent(
    mode: str, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    (site / "dir").mkdir(parents=True)
    bad = {
        'q"uote.txt': "%22",
        "q%22uote.txt": "%22",
        "back\\slash.txt": "'\\'",
        "line\nbreak.txt": "U+000A",
        "cr\r.txt": "U+000D",
        "tab\t.txt": "U+0009",
        "del\x7f.txt": "U+007F",
        "dir/esc%0Ad.txt": "'%0A'",
    }
    for name in bad:
        (site / name).write_text(name)
    (site / "dir" / "ok.txt").write_text("fine")
    Path(os.fsdecode(os.fsencode(site) + b"/latin1-\xe9.txt")).write_text("x")

    server = UploadServer()
    with serving(server) as hostile, pytest.raises(UploadEntryError) as caught:
        upload(mode, hostile.url, site)

    error = caught.value
    assert isinstance(error, InvalidArgumentError) and isinstance(error, ValueError)
    refused = {p.name: p.reason for p in error.problems}
    assert set(refused) == {*bad, "latin1-\udce9.txt"}
    for name, why in bad.items():
        assert why in refused[name], (name, refused[name])
    assert "UTF-8" in refused["latin1-\udce9.txt"]
    assert "dir/ok.txt" not in refused
    assert all(repr(name) in str(error) for name in refused)  # all listed, in one error
    assert hostile.requests == []  # nothing sent, not even initiate


def test_names_differing_only_in_unicode_normalization_are_refused(
    mode: str, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "caf\u00e9.txt").write_text("nfc")
    (site / "cafe\u0301.txt").write_text("nfd")

    with serving(UploadServer()) as hostile, pytest.raises(UploadEntryError, match="normaliz"):
        upload(mode, hostile.url, site)

    assert hostile.requests == []


def test_accepted_names_are_sent_byte_for_byte(mode: str, tmp_path: Path) -> None:
    names = [
        "100%20off.txt",
        "%41.txt",
        "it's a (test) [1] {2} #3 & more; x=y.txt",
        "naïve café ☕.html",
        "日本語/ファイル.txt",
        "emoji/🚀.bin",
        "spaces /  lead.txt",
    ]
    site = tmp_path / "site"
    for name in names:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(name)

    server = UploadServer()
    with serving(server) as hostile:
        upload(mode, hostile.url, site)

    assert sorted(server.filenames) == sorted(name.encode("utf-8") for name in names)
    assert server.actions == ["UPLOAD"]


# -- entries that cannot be uploaded ---------------------------------------------------------


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """Make a file or folder unreadable: ``chmod 000``, and when running as root (which
    ignores permissions) also refuse opening it, as the kernel would for anyone else."""
    refused: set[str] = set()
    real_open, real_scandir = os.open, os.scandir

    def guarded_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.fspath(path) in refused:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    def guarded_scandir(path: Any = ".") -> Any:
        if os.fspath(path) in refused:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    if os.geteuid() == 0:
        monkeypatch.setattr(_upload_plan.os, "open", guarded_open)
        monkeypatch.setattr(_upload_plan.os, "scandir", guarded_scandir)

    def make(path: Path) -> None:
        refused.add(str(path))
        path.chmod(0)

    yield make
    for path in refused:
        Path(path).chmod(0o700)


def test_entries_that_cannot_be_uploaded_are_reported_together_before_sending(
    mode: str, tmp_path: Path, unreadable: Callable[[Path], None]
) -> None:
    site = tmp_path / "s"
    (site / "locked").mkdir(parents=True)
    (site / "good.txt").write_text("good")
    (site / "broken").symlink_to(tmp_path / "nowhere")
    os.mkfifo(site / "fifo")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(site / "sock"))
    (site / "private.txt").write_text("private")
    unreadable(site / "private.txt")
    unreadable(site / "locked")

    server = UploadServer()
    with serving(server) as hostile, pytest.raises(UploadEntryError) as caught:
        upload(mode, hostile.url, site)

    reasons = {p.name: p.reason for p in caught.value.problems}
    assert set(reasons) == {"broken", "fifo", "sock", "private.txt", "locked"}
    assert "broken symlink" in reasons["broken"]
    assert "FIFO" in reasons["fifo"]
    assert "socket" in reasons["sock"]
    assert "cannot be read" in reasons["private.txt"]
    assert "folder cannot be read" in reasons["locked"]
    assert "5 entries" in str(caught.value)
    assert hostile.requests == []


def test_empty_folders_are_skipped_and_logged(
    mode: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = tmp_path / "site"
    (site / "empty").mkdir(parents=True)
    (site / "a" / "b").mkdir(parents=True)
    (site / "index.html").write_text("hi")

    server = UploadServer()
    with caplog.at_level(logging.INFO, logger="spheron"), serving(server) as hostile:
        upload(mode, hostile.url, site)

    assert server.names == ["index.html"]
    skipped = [r.getMessage() for r in caplog.records if "empty folder" in r.getMessage()]
    assert len(skipped) == 1 and "'a/b'" in skipped[0] and "'empty'" in skipped[0]
    assert [r.levelno for r in caplog.records if "empty folder" in r.getMessage()] == [logging.INFO]


def test_a_folder_of_only_empty_folders_and_a_missing_path_send_nothing(
    mode: str, tmp_path: Path
) -> None:
    (tmp_path / "hollow" / "inner").mkdir(parents=True)

    with serving(UploadServer()) as hostile:
        with pytest.raises(InvalidArgumentError, match="holds no files"):
            upload(mode, hostile.url, tmp_path / "hollow")
        with pytest.raises(UploadPathNotFoundError) as caught:
            upload(mode, hostile.url, tmp_path / "missing")

    assert isinstance(caught.value, FileNotFoundError)
    assert isinstance(caught.value, SpheronError)
    assert str(tmp_path / "missing") in str(caught.value)
    assert hostile.requests == []


# -- symlinks -------------------------------------------------------------------------------


@pytest.fixture
def linked_site(tmp_path: Path) -> Path:
    (tmp_path / "SECRET").write_bytes(SECRET)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "leak.txt").write_bytes(SECRET)
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "guide.md").write_text("# guide")
    (site / "index.html").write_text("home")
    (site / "alias.html").symlink_to("index.html")  # inside: followed
    (site / "manual").symlink_to("docs")  # inside: followed
    (site / "leak").symlink_to("../SECRET")
    (site / "more").symlink_to(tmp_path / "outside")
    return site


def test_symlinks_out_of_the_folder_are_refused_and_the_secret_never_sent(
    mode: str, linked_site: Path
) -> None:
    server = UploadServer()
    with serving(server) as hostile, pytest.raises(UploadEntryError) as caught:
        upload(mode, hostile.url, linked_site)

    reasons = {p.name: p.reason for p in caught.value.problems}
    assert set(reasons) == {"leak", "more"}  # a file link and a folder link, same rule
    assert all("follow_symlinks=True" in why for why in reasons.values())
    assert hostile.requests == []
    assert server.bodies_with_secret == 0


def test_symlinks_inside_the_folder_are_followed(mode: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "guide.md").write_text("# guide")
    (site / "index.html").write_text("home")
    (site / "alias.html").symlink_to("index.html")
    (site / "manual").symlink_to("docs")

    server = UploadServer()
    with serving(server) as hostile:
        upload(mode, hostile.url, site)

    assert server.names == ["alias.html", "docs/guide.md", "index.html", "manual/guide.md"]
    assert server.actions == ["UPLOAD"]


def test_follow_symlinks_uploads_what_links_point_to(mode: str, linked_site: Path) -> None:
    server = UploadServer()
    with serving(server) as hostile:
        upload(mode, hostile.url, linked_site, follow_symlinks=True)

    assert server.names == [
        "alias.html",
        "docs/guide.md",
        "index.html",
        "leak",
        "manual/guide.md",
        "more/leak.txt",
    ]
    assert server.actions == ["UPLOAD"]


@pytest.mark.parametrize("follow", [False, True])
def test_symlink_loops_are_reported_not_walked(mode: str, tmp_path: Path, follow: bool) -> None:
    site = tmp_path / "site"
    (site / "sub").mkdir(parents=True)
    (site / "sub" / "file.txt").write_text("x")
    (site / "sub" / "up").symlink_to("..")
    (site / "self").symlink_to("self")  # a link to itself: ELOOP

    with serving(UploadServer()) as hostile, pytest.raises(UploadEntryError) as caught:
        upload(mode, hostile.url, site, follow_symlinks=follow)

    reasons = {p.name: p.reason for p in caught.value.problems}
    assert set(reasons) == {"sub/up", "self"}
    assert "loop" in reasons["sub/up"]
    assert hostile.requests == []


# -- server-provided settings ----------------------------------------------------------------


def test_payload_size_1_does_not_plan_millions_of_parts(mode: str, tmp_path: Path) -> None:
    size = 10 * 1024 * KIB
    big = tmp_path / "big.bin"
    big.write_bytes(pattern(size))
    server = UploadServer(payload=1, parallel=2)

    with serving(server) as hostile:
        tracemalloc.start()
        try:
            upload(mode, hostile.url, big)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert server.data_requests == size // PART == 160  # not 10.5M
    assert sorted(server.chunks) == list(range(160))
    assert server.actions == ["UPLOAD"]
    assert peak < 4 * 1024 * KIB, peak  # far below the file's 10 MiB: nothing grows with it


def test_parallel_upload_count_1000_is_capped(mode: str, tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(pattern(40 * PART))
    gate = Gate(width=_upload_plan.MAX_PARALLEL)
    server = UploadServer(payload=PART, parallel=1000, gate=gate)

    with serving(server) as hostile:
        upload(mode, hostile.url, big)

    assert gate.peak == _upload_plan.MAX_PARALLEL == 16
    assert len(server.connections) <= 16 + 2  # data connections, plus initiate/finish reuse
    if mode == "sync":
        assert gate.threads_at_peak <= 16
    assert sorted(server.chunks) == list(range(40))
    assert server.actions == ["UPLOAD"]


def test_default_clients_know_their_pool_size() -> None:
    with Spheron(TOKEN, base_url="https://api.test") as client:
        assert client.connection_limit == 100
        assert client.with_options(max_retries=0).connection_limit == 100
    with httpx.Client() as http, Spheron(TOKEN, base_url="https://api.test", http_client=http) as c:
        assert c.connection_limit is None  # a caller's own pool: its size is not ours to read


def test_parallelism_never_exceeds_the_connection_pool(
    mode: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(pattern(12 * PART))
    gate = Gate(width=3)
    server = UploadServer(payload=PART, parallel=1000, gate=gate)

    with caplog.at_level(logging.INFO, logger="spheron"), serving(server) as hostile:
        # A pool of the caller's own: its size is said with max_parallel (httpx has no public
        # way to read it back).
        upload(mode, hostile.url, big, limits=httpx.Limits(max_connections=3), max_parallel=3)

    # httpx would queue extra requests for a pooled connection anyway (until the pool timeout),
    # so check that no more workers than connections were started, and that it is said.
    clamped = [
        r.getMessage() for r in caplog.records if "parallelUploadCount=1000" in r.getMessage()
    ]
    assert len(clamped) == 1 and "using 65536 and 3 " in clamped[0]
    if mode == "sync":
        assert gate.threads_at_peak == 3
    assert gate.peak == 3
    assert sorted(server.chunks) == list(range(12))
    assert server.actions == ["UPLOAD"]


@pytest.mark.parametrize(
    ("payload", "parallel", "connections", "expected"),
    [
        (1, 1000, 100, (64 * KIB, 16)),
        (0, 0, 100, (64 * KIB, 1)),
        (-5, -3, None, (64 * KIB, 1)),
        (2**62, 4, 100, (64 * 1024 * KIB, 4)),  # 64 MiB parts: 4 in flight = 256 MiB
        (2**62, 16, 100, (64 * 1024 * KIB, 4)),
        (5 * 1024 * KIB, 8, 100, (5 * 1024 * KIB, 8)),
        (5 * 1024 * KIB, 8, 3, (5 * 1024 * KIB, 3)),
    ],
)
def test_server_settings_are_clamped(
    payload: int, parallel: int, connections: int | None, expected: tuple[int, int]
) -> None:
    from spheron_api_client.models.initiate_upload_response import InitiateUploadResponse

    opened = InitiateUploadResponse(
        upload_id="u", payload_size=payload, parallel_upload_count=parallel
    )
    assert _upload_plan.session_settings(opened, max_connections=connections)[1:] == expected


@pytest.mark.parametrize("payload", ["65536", 65536.5, None, True])
def test_non_integer_settings_are_a_typed_error(mode: str, tmp_path: Path, payload: Any) -> None:
    file = tmp_path / "a.txt"
    file.write_text("a")
    server = UploadServer(payload=payload)

    with serving(server) as hostile, pytest.raises(ResponseValidationError):
        upload(mode, hostile.url, file)

    assert server.paths == ["/v1/upload/initiate"]  # no data sent


def test_the_plan_is_lazy() -> None:
    huge = _upload_plan.LocalFile(Path("huge"), "huge", 2**50)
    small = _upload_plan.LocalFile(Path("s"), "s", 3)

    plan = _upload_plan.plan_parts([small, huge, small], 4)

    assert len(plan) == 2**48 + 2  # counted, not built
    assert plan[0] == _upload_plan.ChunkPart(huge, 0, 2**48, 0, 4)
    assert plan[5] == _upload_plan.ChunkPart(huge, 5, 2**48, 20, 4)
    assert plan[-1] == plan[-2] == _upload_plan.FilesPart((small,))
    assert plan.total_bytes == 2**50 + 6
    shared = iter(_upload_plan.plan_parts([huge], 2**40))
    assert next(shared).index == 0 and next(shared).index == 1  # type: ignore[union-attr]
    many = [_upload_plan.LocalFile(Path(str(i)), str(i), 0) for i in range(2500)]
    sizes = [len(p.files) for p in _upload_plan.plan_parts(many, PART)]  # type: ignore[union-attr]
    assert sizes == [1000, 1000, 500]
