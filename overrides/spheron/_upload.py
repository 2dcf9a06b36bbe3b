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

import mimetypes
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from spheron_api_client.models.finish_upload_response import FinishUploadResponse
from spheron_api_client.models.upload_chunk_body import UploadChunkBody
from spheron_api_client.types import File

from ._progress import ProgressCallback, UploadProgress

# Mode-independent checks (issue 15): scanning, names, snapshots, settings bounds, lazy plan.
from ._upload_errors import UploadFailedError
from ._upload_plan import (
    ChunkPart,
    FilesPart,
    LocalFile,
    Part,
    collect_files,
    plan_parts,
    session_settings,
    set_upload_id,
    verify_unchanged,
)
from ._upload_plan import read_part as _read

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
    "set_upload_id",
    "upload_result",
    "verify_unchanged",
]

_OCTET_STREAM = "application/octet-stream"


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


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or _OCTET_STREAM


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
    files = list(body.files) if isinstance(body.files, list) else []
    for extra in body.additional_properties.values():
        files.extend(extra if isinstance(extra, list) else [extra])
    for file in files:
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
