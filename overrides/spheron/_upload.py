"""The chunked upload protocol: plan parts, send them in parallel, finish or cancel.

1. ``initiate`` opens an upload and says how big a request may be (``payloadSize``) and how
   many may be in flight (``parallelUploadCount``).
2. Files no larger than ``payloadSize`` travel whole, batched into requests of multipart parts
   named ``files`` (filename = path relative to the uploaded directory). Larger files are
   sliced; each slice is one request with a part named ``chunk-{index}-{total}``.
   A part's bytes are read from disk only when its request is sent.
3. ``finish(UPLOAD)`` commits the upload. If anything fails before, ``finish(CANCEL)`` is sent
   and the original error is raised.

This module holds the planning and bookkeeping shared by both modes; the run itself is
``spheron._async._upload.async_run_upload`` (sync copy: ``spheron._sync._upload.run_upload``),
which talks to the API through a small ``UploadApi`` adapter, so it can be tested without HTTP.
"""

from __future__ import annotations

import math
import mimetypes
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from spheron_api_client.models.finish_upload_response import FinishUploadResponse
from spheron_api_client.models.initiate_upload_response import InitiateUploadResponse
from spheron_api_client.models.upload_chunk_body import UploadChunkBody
from spheron_api_client.types import File

from ._exceptions import SpheronError
from ._progress import ProgressCallback, UploadProgress

__all__ = [
    "ChunkPart",
    "FilesPart",
    "LocalFile",
    "Part",
    "PartQueue",
    "Progress",
    "UploadFailedError",
    "UploadResult",
    "build_body",
    "collect_files",
    "plan_parts",
    "release_body",
    "session_settings",
    "upload_result",
]

_OCTET_STREAM = "application/octet-stream"


class UploadFailedError(SpheronError):
    """The server answered ``finish`` with ``success: false``."""

    def __init__(self, message: str, *, upload_id: str) -> None:
        super().__init__(message)
        self.upload_id = upload_id


@dataclass(frozen=True)
class UploadResult:
    """Where the uploaded content lives."""

    upload_id: str
    bucket_id: str
    protocol_link: str
    dynamic_links: tuple[str, ...]
    cid: str

    @classmethod
    def from_response(cls, response: FinishUploadResponse) -> UploadResult:
        return cls(
            upload_id=response.upload_id,
            bucket_id=response.bucket_id,
            protocol_link=response.protocol_link,
            dynamic_links=tuple(response.dynamic_links),
            cid=response.cid,
        )


@dataclass(frozen=True)
class LocalFile:
    """A file to upload: where it is, the name it gets (POSIX, relative) and its size."""

    path: Path
    name: str
    size: int


@dataclass(frozen=True)
class FilesPart:
    """Whole files sent in one request, each as a part named ``files``."""

    files: tuple[LocalFile, ...]

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


@dataclass(frozen=True)
class ChunkPart:
    """One slice of a large file, sent as the part ``chunk-{index}-{total}``."""

    file: LocalFile
    index: int
    total: int
    offset: int
    size: int

    @property
    def field_name(self) -> str:
        return f"chunk-{self.index}-{self.total}"


Part = FilesPart | ChunkPart


def collect_files(path: str | os.PathLike[str]) -> list[LocalFile]:
    """The files under ``path`` (or ``path`` itself), sorted, with names relative to it."""
    root = Path(path)
    if root.is_file():
        return [LocalFile(root, root.name, root.stat().st_size)]
    if not root.is_dir():
        raise FileNotFoundError(f"nothing to upload at {str(root)!r}: no such file or directory")
    files = [
        LocalFile(file, file.relative_to(root).as_posix(), file.stat().st_size)
        for file in _walk(root)
    ]
    if not files:
        raise ValueError(f"nothing to upload: directory {str(root)!r} holds no files")
    return files


def _walk(root: Path) -> Iterator[Path]:
    for current, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            file = Path(current, name)
            if file.is_file():
                yield file


def plan_parts(files: Sequence[LocalFile], payload_size: int) -> list[Part]:
    """Group small files into requests of at most ``payload_size`` bytes; slice large ones."""
    if payload_size < 1:
        raise ValueError(f"payload_size must be positive, got {payload_size}")
    parts: list[Part] = []
    batch: list[LocalFile] = []
    batch_size = 0
    for file in files:
        if file.size > payload_size:
            total = math.ceil(file.size / payload_size)
            for index in range(total):
                offset = index * payload_size
                size = min(payload_size, file.size - offset)
                parts.append(ChunkPart(file, index, total, offset, size))
            continue
        if batch and batch_size + file.size > payload_size:
            parts.append(FilesPart(tuple(batch)))
            batch, batch_size = [], 0
        batch.append(file)
        batch_size += file.size
    if batch:
        parts.append(FilesPart(tuple(batch)))
    return parts


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or _OCTET_STREAM


def _read(file: LocalFile, offset: int, size: int) -> bytes:
    with file.path.open("rb") as handle:
        handle.seek(offset)
        data = handle.read(size)
    if len(data) != size:
        raise SpheronError(
            f"{str(file.path)!r} changed while uploading: expected {size} bytes at offset "
            f"{offset}, read {len(data)}"
        )
    return data


def build_body(part: Part) -> UploadChunkBody:
    """The multipart body of ``part``, reading its bytes from disk now."""
    if isinstance(part, ChunkPart):
        body = UploadChunkBody()
        data = _read(part.file, part.offset, part.size)
        body[part.field_name] = File(BytesIO(data), part.file.name, _content_type(part.file.name))
        return body
    files = [File(BytesIO(_read(f, 0, f.size)), f.name, _content_type(f.name)) for f in part.files]
    return UploadChunkBody(files=files)


def release_body(body: UploadChunkBody) -> None:
    """Free a sent part's bytes now.

    httpx keeps a request (and so its body) in a reference cycle with the response, which only
    the cyclic garbage collector breaks; until it runs, sent parts pile up and peak memory grows
    with the file instead of staying at about ``parallelUploadCount`` parts.
    """
    files = body.files if isinstance(body.files, list) else []
    for file in (*files, *body.additional_properties.values()):
        file.payload.close()


class Progress:
    """Counts finished parts and reports them, one event at a time."""

    def __init__(
        self, upload_id: str, parts: Sequence[Part], callback: ProgressCallback | None
    ) -> None:
        self._lock = threading.Lock()
        self._callback = callback
        self._event = UploadProgress(upload_id, 0, sum(p.size for p in parts), 0, len(parts))

    def start(self) -> None:
        if self._callback is not None:
            self._callback(self._event)

    def advance(self, part: Part) -> None:
        with self._lock:
            event = self._event
            self._event = UploadProgress(
                event.upload_id,
                event.bytes_sent + part.size,
                event.total_bytes,
                event.parts_done + 1,
                event.parts_total,
            )
            if self._callback is not None:
                self._callback(self._event)


def session_settings(opened: InitiateUploadResponse) -> tuple[str, int, int]:
    if opened.payload_size < 1:
        raise SpheronError(f"the server offered an unusable payloadSize {opened.payload_size}")
    return opened.upload_id, opened.payload_size, max(1, opened.parallel_upload_count)


class PartQueue:
    """The parts still to send, handed out one at a time to parallel workers (thread-safe).

    After :meth:`stop` (a worker failed) no further part is handed out.
    """

    def __init__(self, parts: Sequence[Part]) -> None:
        self._parts = iter(parts)
        self._lock = threading.Lock()
        self._stopped = False

    def next(self) -> Part | None:
        with self._lock:
            if self._stopped:
                return None
            return next(self._parts, None)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True


def upload_result(finished: FinishUploadResponse) -> UploadResult:
    if not finished.success:
        raise UploadFailedError(
            f"upload {finished.upload_id} was not committed: {finished.message}",
            upload_id=finished.upload_id,
        )
    return UploadResult.from_response(finished)
