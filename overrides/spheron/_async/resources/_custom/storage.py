"""The hand-written methods of ``resources/storage.py`` (generated), which derives from
the classes here: upload files and directories to IPFS/Arweave buckets."""

from __future__ import annotations

import os

from spheron_api_client.api.uploads import finish_upload, initiate_upload, upload_chunk
from spheron_api_client.models.finish_upload_body import FinishUploadBody
from spheron_api_client.models.finish_upload_response import FinishUploadResponse
from spheron_api_client.models.initiate_upload_body import InitiateUploadBody
from spheron_api_client.models.initiate_upload_response import InitiateUploadResponse
from spheron_api_client.models.protocol import Protocol
from spheron_api_client.models.upload_chunk_body import UploadChunkBody
from spheron_api_client.models.upload_finish_action import UploadFinishAction

from ...._exceptions import path_segment
from ...._progress import ProgressCallback
from ...._request_options import CallOptions, MultipartRequestOptions, Unpack
from ...._upload import UploadResult
from ..._upload import async_run_upload
from .._base import AsyncResource, ClientLike, coerce_enum, unset_if_none
from .._base import multipart_options as _multipart

__all__ = ["AsyncStorageCustom"]


class _AsyncPartCalls(AsyncResource):
    """The engine's data and finish calls, shared by both ways an upload is opened; every
    request carries the upload call's options."""

    def __init__(self, client: ClientLike, call: CallOptions | None) -> None:
        super().__init__(client)
        self._options = call

    async def send(self, upload_id: str, body: UploadChunkBody) -> None:
        await self._call(upload_chunk.asyncio_detailed, upload_id, body=body, options=self._options)

    async def finish(self, upload_id: str, action: UploadFinishAction) -> FinishUploadResponse:
        body = FinishUploadBody()
        return await self._call(
            finish_upload.asyncio_detailed,
            upload_id,
            body=body,
            action=action,
            options=self._options,
        )


class _AsyncUploadCalls(_AsyncPartCalls):
    """The engine's view of the upload endpoints: this client opens the upload."""

    def __init__(
        self,
        client: ClientLike,
        bucket: str,
        protocol: Protocol,
        organization_id: str | None,
        call: CallOptions | None,
    ) -> None:
        super().__init__(client, call)
        self._query = {
            "bucket": bucket,
            "protocol": protocol,
            "organization": unset_if_none(organization_id or client.organization_id),
        }

    async def initiate(self) -> InitiateUploadResponse:
        # As @spheron/core sends it: an empty JSON body and an empty maxSize= (no size limit).
        body = InitiateUploadBody()
        return await self._call(
            initiate_upload.asyncio_detailed,
            body=body,
            max_size="",
            options=self._options,
            **self._query,
        )


class _AsyncInitiatedCalls(_AsyncPartCalls):
    """The engine's view of an upload another party initiated: only data and finish are sent,
    with the single-use token it handed over."""

    def __init__(
        self, client: ClientLike, opened: InitiateUploadResponse, call: CallOptions | None
    ) -> None:
        super().__init__(client, call)
        self._opened = opened

    async def initiate(self) -> InitiateUploadResponse:
        return self._opened


class AsyncStorageCustom(AsyncResource):
    """The hand-written methods of :class:`AsyncStorage`."""

    async def upload(
        self,
        path: str | os.PathLike[str],
        *,
        bucket: str,
        protocol: Protocol | str = Protocol.IPFS,
        organization_id: str | None = None,
        on_progress: ProgressCallback | None = None,
        follow_symlinks: bool = False,
        max_parallel: int | None = None,
        **options: Unpack[MultipartRequestOptions],
    ) -> UploadResult:
        """Upload a file or a whole directory into ``bucket`` (created if missing).

        Everything is checked before anything is sent (see the README, "Uploads"): entries that
        cannot be uploaded and names the API cannot carry raise one :class:`UploadEntryError`;
        links leading out of the folder are refused unless ``follow_symlinks``. Parts are read
        from disk as they are sent, several at once (the server's ``parallelUploadCount``,
        at most 16, the client's pool size and ``max_parallel``). A file that changes while
        it is sent raises :class:`UploadFileChangedError`. ``on_progress`` gets an
        :class:`UploadProgress` at the start and after every part (possibly from a worker
        thread). On failure the upload is cancelled on the server and the error is raised.

        Args:
            path: the file or folder to upload.
            bucket: the bucket's name (created if missing).
            protocol: where content is published (``ipfs``, ``arweave``, ...).
            organization_id: the organization (default: the client's, else the token's only one).
            on_progress: called with an :class:`~spheron.UploadProgress` at the start and after
                every part.
            follow_symlinks: follow symlinks that lead out of the folder too.
            max_parallel: the most parts sent at once (also bounded by the server and the pool).
            **options: per-call options, no ``extra_body``
                (:class:`~spheron.MultipartRequestOptions`).

        Returns:
            UploadResult: the upload's id, bucket, links and CID.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
            UploadEntryError: entries that cannot be uploaded (before any request).
            UploadPathNotFoundError: ``path`` does not exist.
            UploadFileChangedError: a file changed while it was sent (the upload is cancelled).
            UploadFailedError: the server refused to finish the upload.
        """
        calls = _AsyncUploadCalls(
            self._client,
            bucket,
            coerce_enum(Protocol, protocol),
            organization_id,
            _multipart(options),
        )
        limits = [n for n in (self._client.connection_limit, max_parallel) if n is not None]
        return await async_run_upload(
            calls,
            path,
            on_progress=on_progress,
            follow_symlinks=follow_symlinks,
            max_connections=min(limits) if limits else None,
        )

    async def upload_initiated(
        self,
        path: str | os.PathLike[str],
        *,
        upload_id: str,
        token: str,
        payload_size: int,
        parallel_upload_count: int = 1,
        on_progress: ProgressCallback | None = None,
        follow_symlinks: bool = False,
        **options: Unpack[MultipartRequestOptions],
    ) -> UploadResult:
        """Send ``path`` into an upload someone else initiated (the browser-style flow).

        A server calls ``initiate`` with ``create_single_use_token=true`` and hands over the
        upload id, the single-use ``token`` and its ``payloadSize``/``parallelUploadCount``;
        this sends only the data parts and ``finish`` with that token, over this client's
        connection pool, with the same checks, bounds and cancel-on-failure as :meth:`upload`.

        Args:
            path: the file or folder to upload.
            upload_id: the upload the other party initiated.
            token: the single-use token the initiating party handed over.
            payload_size: the part size the server gave at initiation (``payloadSize``).
            parallel_upload_count: the parallelism the server gave at initiation
                (``parallelUploadCount``).
            on_progress: called with an :class:`~spheron.UploadProgress` at the start and after
                every part.
            follow_symlinks: follow symlinks that lead out of the folder too.
            **options: per-call options, no ``extra_body``
                (:class:`~spheron.MultipartRequestOptions`).

        Returns:
            UploadResult: the upload's id, links and CID.

        Raises:
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
            UploadFailedError: as :meth:`upload` (and ``UploadEntryError``,
                ``UploadPathNotFoundError`` and ``UploadFileChangedError`` in the same cases).
        """
        path_segment(upload_id, "upload_id")  # refused here, before any file is read
        opened = InitiateUploadResponse(
            upload_id=upload_id,
            payload_size=payload_size,
            parallel_upload_count=parallel_upload_count,
        )
        call = _multipart(options)
        calls = _AsyncInitiatedCalls(self._client.with_options(token=token), opened, call)
        return await async_run_upload(
            calls,
            path,
            on_progress=on_progress,
            follow_symlinks=follow_symlinks,
            max_connections=self._client.connection_limit,
        )
