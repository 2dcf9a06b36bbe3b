"""6. Upload throughput: ``client.storage.upload`` of a directory against raw httpx posts.

The raw side does the same HTTP work by hand: initiate, the same multipart parts (same plan,
same part size, same parallelism, bytes read from disk per part) on a thread pool sharing one
``httpx.Client``, then finish. The directory mixes large files (sliced into ``chunk-i-n``
parts) and small ones (batched into ``files`` parts).
"""

from __future__ import annotations

import mimetypes
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx

from spheron import Spheron
from spheron._upload import ChunkPart, LocalFile, Part, collect_files, plan_parts
from spheron.testing import DEFAULT_TOKEN

from ._common import AUTH, TIMEOUT_SECONDS, Figure, Settings, alternating, median
from ._server import ServerProcess

__all__ = ["make_file", "make_tree", "ours_upload", "raw_upload", "run"]

BLOCK = os.urandom(1024 * 1024)


def make_file(path: Path, size: int) -> None:
    """``size`` bytes of incompressible data (a random block, stamped so blocks differ)."""
    with path.open("wb") as handle:
        written = 0
        index = 0
        while written < size:
            block = index.to_bytes(8, "big") + BLOCK[8:]
            chunk = block[: size - written]
            handle.write(chunk)
            written += len(chunk)
            index += 1


@contextmanager
def make_tree(settings: Settings) -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    try:
        for index in range(settings.upload_big_files):
            make_file(root / f"big-{index}.bin", settings.upload_big_file_size)
        small = root / "assets"
        small.mkdir()
        for index in range(settings.upload_small_files):
            make_file(small / f"file-{index:04d}.bin", settings.upload_small_file_size)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _read(file: LocalFile, offset: int, size: int) -> bytes:
    with file.path.open("rb") as handle:
        handle.seek(offset)
        return handle.read(size)


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _multipart(part: Part) -> list[tuple[str, tuple[str, bytes, str]]]:
    if isinstance(part, ChunkPart):
        data = _read(part.file, part.offset, part.size)
        return [(part.field_name, (part.file.name, data, _content_type(part.file.name)))]
    return [("files", (f.name, _read(f, 0, f.size), _content_type(f.name))) for f in part.files]


def raw_upload(http: httpx.Client, path: Path, bucket: str) -> str:
    """The upload protocol by hand with httpx; returns the CID."""
    query = {"protocol": "ipfs", "bucket": bucket}
    opened = http.post("/v1/upload/initiate", params=query, json={})
    opened.raise_for_status()
    session = opened.json()
    upload_id = session["uploadId"]
    parts = plan_parts(collect_files(path), int(session["payloadSize"]))

    def send(part: Part) -> None:
        http.post(f"/v1/upload/{upload_id}/data", files=_multipart(part)).raise_for_status()

    with ThreadPoolExecutor(max_workers=max(1, int(session["parallelUploadCount"]))) as pool:
        for _ in pool.map(send, parts):
            pass
    done = http.post(f"/v1/upload/{upload_id}/finish", params={"action": "UPLOAD"}, json={})
    done.raise_for_status()
    return str(done.json()["cid"])


def ours_upload(client: Spheron, path: Path, bucket: str) -> str:
    return client.storage.upload(path, bucket=bucket, protocol="ipfs").cid


def run(server: ServerProcess, settings: Settings) -> list[Figure]:
    server.call("payload_size", settings.upload_part)
    url = server.info.http1
    samples: dict[str, list[tuple[float, float]]] = {"raw": [], "ours": []}
    with (
        make_tree(settings) as tree,
        httpx.Client(base_url=url, headers=AUTH, timeout=TIMEOUT_SECONDS) as http,
        Spheron(DEFAULT_TOKEN, base_url=url) as client,
    ):
        total = sum(f.size for f in collect_files(tree))
        parts = len(plan_parts(collect_files(tree), settings.upload_part))
        uploads = {
            "raw": lambda: raw_upload(http, tree, "bench-raw"),
            "ours": lambda: ours_upload(client, tree, "bench-ours"),
        }
        cids = {}
        for _, name in alternating(list(uploads), settings.upload_rounds):
            cpu, wall = time.process_time(), time.perf_counter()
            cids[name] = uploads[name]()
            samples[name].append((time.perf_counter() - wall, time.process_time() - cpu))
            server.call("forget")
    if cids["raw"] != cids["ours"]:
        raise RuntimeError(f"the two uploads differ: {cids}")
    mib = total / (1024 * 1024)
    rate = {k: median([mib / wall for wall, _ in v]) for k, v in samples.items()}
    return [
        Figure(
            id="upload.throughput",
            group="upload",
            label=f"upload a {mib:,.0f} MiB directory, HTTP/1.1",
            unit="MiB/s",
            ours=rate["ours"],
            raw=rate["raw"],
            ratio=rate["ours"] / rate["raw"],
            details={
                "bytes": total,
                "requests": parts + 2,
                "part_size": settings.upload_part,
                "rounds": settings.upload_rounds,
                "wall_s_per_round": {k: [w for w, _ in v] for k, v in samples.items()},
                "client_cpu_s_per_round": {k: [c for _, c in v] for k, v in samples.items()},
                "layout": (
                    f"{settings.upload_big_files} x {settings.upload_big_file_size} B files "
                    f"(sliced) + {settings.upload_small_files} x "
                    f"{settings.upload_small_file_size} B files (batched)"
                ),
            },
        )
    ]
