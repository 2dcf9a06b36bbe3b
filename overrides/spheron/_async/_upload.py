"""Running an upload: initiate, send the parts with parallel workers, finish or cancel."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Protocol

from spheron_api_client.models.finish_upload_response import FinishUploadResponse
from spheron_api_client.models.initiate_upload_response import InitiateUploadResponse
from spheron_api_client.models.upload_chunk_body import UploadChunkBody
from spheron_api_client.models.upload_finish_action import UploadFinishAction

from .._logs import logger
from .._progress import ProgressCallback
from .._upload import (
    Part,
    PartQueue,
    Progress,
    UploadResult,
    build_body,
    collect_files,
    plan_parts,
    release_body,
    session_settings,
    upload_result,
)
from ._primitives import run_blocking, run_workers

__all__ = ["AsyncUploadApi", "async_run_upload"]


class AsyncUploadApi(Protocol):
    """The three calls the engine makes."""

    async def initiate(self) -> InitiateUploadResponse: ...
    async def send(self, upload_id: str, body: UploadChunkBody) -> None: ...
    async def finish(self, upload_id: str, action: UploadFinishAction) -> FinishUploadResponse: ...


async def async_run_upload(
    api: AsyncUploadApi,
    path: str | os.PathLike[str],
    *,
    on_progress: ProgressCallback | None = None,
) -> UploadResult:
    """Upload ``path`` (a file or a directory) with parallel workers; cancel on failure."""
    files = await run_blocking(collect_files, path)
    upload_id, payload_size, parallel = session_settings(await api.initiate())
    try:
        parts = plan_parts(files, payload_size)
        progress = Progress(upload_id, parts, on_progress)
        progress.start()
        await _send_all(api, upload_id, parts, parallel, progress)
    except BaseException:
        await _cancel(api, upload_id)
        raise
    return upload_result(await api.finish(upload_id, UploadFinishAction.UPLOAD))


async def _send_all(
    api: AsyncUploadApi, upload_id: str, parts: Sequence[Part], parallel: int, progress: Progress
) -> None:
    queue = PartQueue(parts)

    async def worker() -> None:
        while (part := queue.next()) is not None:
            try:
                body = await run_blocking(build_body, part)
                try:
                    await api.send(upload_id, body)
                finally:
                    release_body(body)
            except BaseException:
                queue.stop()  # before another worker picks up a part
                raise
            progress.advance(part)

    if parts:
        await run_workers(worker, min(parallel, len(parts)))


async def _cancel(api: AsyncUploadApi, upload_id: str) -> None:
    try:
        await api.finish(upload_id, UploadFinishAction.CANCEL)
    except Exception as exc:
        logger.warning("cancelling upload %s failed: %s", upload_id, exc)
