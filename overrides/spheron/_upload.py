"""The chunked upload protocol: plan parts, send them in parallel, finish or cancel.

1. ``initiate`` opens an upload and says how big a request may be (``payloadSize``) and how
   many may be in flight (``parallelUploadCount``).
2. Files no larger than ``payloadSize`` travel whole, batched into requests of multipart parts
   named ``files`` (filename = path relative to the uploaded directory). Larger files are
   sliced; each slice is one request with a part named ``chunk-{index}-{total}``.
   A part's bytes are read from disk only when its request is sent.
3. ``finish(UPLOAD)`` commits the upload. If anything fails before, ``finish(CANCEL)`` is sent
   and the original error is raised.

The engine talks to the API through a small :class:`UploadApi` adapter (``spheron.resources``
provides it), so it can be tested without HTTP.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
import threading
from collections.abc import Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from io import BytesIO
from typing import Protocol

from spheron_api_client.models.finish_upload_response import FinishUploadResponse
from spheron_api_client.models.initiate_upload_response import InitiateUploadResponse
from spheron_api_client.models.upload_chunk_body import UploadChunkBody
from spheron_api_client.models.upload_finish_action import UploadFinishAction
from spheron_api_client.types import File

from ._logs import logger
from ._progress import ProgressCallback, UploadProgress

# Mode-independent parts (issue 15): scanning, names, snapshots, settings bounds, lazy plan.
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
    "AsyncUploadApi",
    "ChunkPart",
    "FilesPart",
    "LocalFile",
    "UploadApi",
    "UploadFailedError",
    "UploadResult",
    "async_run_upload",
    "collect_files",
    "plan_parts",
    "run_upload",
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


class UploadApi(Protocol):
    """The three calls the engine makes (sync)."""

    def initiate(self) -> InitiateUploadResponse: ...
    def send(self, upload_id: str, body: UploadChunkBody) -> None: ...
    def finish(self, upload_id: str, action: UploadFinishAction) -> FinishUploadResponse: ...


class AsyncUploadApi(Protocol):
    """The three calls the engine makes (asyncio)."""

    async def initiate(self) -> InitiateUploadResponse: ...
    async def send(self, upload_id: str, body: UploadChunkBody) -> None: ...
    async def finish(self, upload_id: str, action: UploadFinishAction) -> FinishUploadResponse: ...


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
    files = body.files if isinstance(body.files, list) else []
    for file in (*files, *body.additional_properties.values()):
        file.payload.close()


class _Progress:
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


def run_upload(
    api: UploadApi,
    path: str | os.PathLike[str],
    *,
    on_progress: ProgressCallback | None = None,
    follow_symlinks: bool = False,
    max_connections: int | None = None,
) -> UploadResult:
    """Upload ``path`` (a file or a directory) with threads; cancel on failure."""
    files = collect_files(path, follow_symlinks=follow_symlinks)
    upload_id, payload_size, parallel = session_settings(
        api.initiate(), max_connections=max_connections
    )
    try:
        parts = plan_parts(files, payload_size)
        progress = _Progress(upload_id, parts, on_progress)
        progress.start()
        _send_all(api, upload_id, parts, parallel, progress)
        verify_unchanged(files)
    except BaseException as exc:
        set_upload_id(exc, upload_id)
        _cancel(api, upload_id)
        raise
    return _result(api.finish(upload_id, UploadFinishAction.UPLOAD))


def _send_all(
    api: UploadApi, upload_id: str, parts: Sequence[Part], parallel: int, progress: _Progress
) -> None:
    stop = threading.Event()

    def send(part: Part) -> None:
        if stop.is_set():
            return
        try:
            body = build_body(part)
            try:
                api.send(upload_id, body)
            finally:
                release_body(body)
        except BaseException:
            stop.set()  # before this worker picks up another part
            raise
        progress.advance(part)

    pending = iter(parts)  # shared by the workers; PartPlan's iterator is thread-safe

    def worker() -> None:
        for part in pending:
            if stop.is_set():
                return
            send(part)

    pool = ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="spheron-upload")
    futures: list[Future[None]] = []
    try:
        futures = [pool.submit(worker) for _ in range(min(parallel, len(parts)))]
        wait(futures, return_when=FIRST_EXCEPTION)
    finally:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
    for future in futures:
        if not future.cancelled() and (error := future.exception()) is not None:
            raise error


async def async_run_upload(
    api: AsyncUploadApi,
    path: str | os.PathLike[str],
    *,
    on_progress: ProgressCallback | None = None,
    follow_symlinks: bool = False,
    max_connections: int | None = None,
) -> UploadResult:
    """Upload ``path`` with asyncio tasks; cancel on failure."""
    files = await asyncio.to_thread(collect_files, path, follow_symlinks=follow_symlinks)
    upload_id, payload_size, parallel = session_settings(
        await api.initiate(), max_connections=max_connections
    )
    try:
        parts = plan_parts(files, payload_size)
        progress = _Progress(upload_id, parts, on_progress)
        progress.start()
        await _async_send_all(api, upload_id, parts, parallel, progress)
        await asyncio.to_thread(verify_unchanged, files)
    except BaseException as exc:
        set_upload_id(exc, upload_id)
        await _async_cancel(api, upload_id)
        raise
    return _result(await api.finish(upload_id, UploadFinishAction.UPLOAD))


async def _async_send_all(
    api: AsyncUploadApi, upload_id: str, parts: Sequence[Part], parallel: int, progress: _Progress
) -> None:
    pending = iter(parts)

    async def worker() -> None:
        for part in pending:
            body = await asyncio.to_thread(build_body, part)
            try:
                await api.send(upload_id, body)
            finally:
                release_body(body)
            progress.advance(part)

    tasks = [asyncio.ensure_future(worker()) for _ in range(min(parallel, len(parts)))]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _cancel(api: UploadApi, upload_id: str) -> None:
    try:
        api.finish(upload_id, UploadFinishAction.CANCEL)
    except Exception as exc:
        logger.warning("cancelling upload %s failed: %s", upload_id, exc)


async def _async_cancel(api: AsyncUploadApi, upload_id: str) -> None:
    try:
        await api.finish(upload_id, UploadFinishAction.CANCEL)
    except Exception as exc:
        logger.warning("cancelling upload %s failed: %s", upload_id, exc)


def _result(finished: FinishUploadResponse) -> UploadResult:
    if not finished.success:
        raise UploadFailedError(
            f"upload {finished.upload_id} was not committed: {finished.message}",
            upload_id=finished.upload_id,
        )
    return UploadResult.from_response(finished)
