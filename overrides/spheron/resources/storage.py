"""``client.storage``: upload files and directories to IPFS/Arweave buckets."""

from __future__ import annotations

import os

from spheron_api_client.api.storage_buckets import migrate_projects_to_storage
from spheron_api_client.api.uploads import finish_upload, initiate_upload, upload_chunk
from spheron_api_client.models.finish_upload_body import FinishUploadBody
from spheron_api_client.models.finish_upload_response import FinishUploadResponse
from spheron_api_client.models.initiate_upload_body import InitiateUploadBody
from spheron_api_client.models.initiate_upload_response import InitiateUploadResponse
from spheron_api_client.models.migrate_projects_to_storage_body import (
    MigrateProjectsToStorageBody,
)
from spheron_api_client.models.migrate_projects_to_storage_response import (
    MigrateProjectsToStorageResponse,
)
from spheron_api_client.models.protocol import Protocol
from spheron_api_client.models.upload_chunk_body import UploadChunkBody
from spheron_api_client.models.upload_finish_action import UploadFinishAction

from .._progress import ProgressCallback
from .._upload import UploadResult, async_run_upload, run_upload
from .._upload_plan import pool_connection_limit
from ._base import AsyncResource, ClientLike, SyncResource, coerce_enum, unset_if_none
from .buckets import AsyncBuckets, Buckets
from .uploads import AsyncIpnsNames, AsyncPins, AsyncUploads, IpnsNames, Pins, Uploads

__all__ = ["AsyncStorage", "Storage"]


class _UploadCalls(SyncResource):
    """The engine's view of the upload endpoints (sync)."""

    def __init__(
        self, client: ClientLike, bucket: str, protocol: Protocol, organization_id: str | None
    ) -> None:
        super().__init__(client)
        self._query = {
            "bucket": bucket,
            "protocol": protocol,
            "organization": unset_if_none(organization_id or client.organization_id),
        }

    def initiate(self) -> InitiateUploadResponse:
        return self._call(initiate_upload.sync_detailed, body=InitiateUploadBody(), **self._query)

    def send(self, upload_id: str, body: UploadChunkBody) -> None:
        self._call(upload_chunk.sync_detailed, upload_id, body=body)

    def finish(self, upload_id: str, action: UploadFinishAction) -> FinishUploadResponse:
        body = FinishUploadBody()
        return self._call(finish_upload.sync_detailed, upload_id, body=body, action=action)


class _AsyncUploadCalls(AsyncResource):
    """The engine's view of the upload endpoints (asyncio)."""

    def __init__(
        self, client: ClientLike, bucket: str, protocol: Protocol, organization_id: str | None
    ) -> None:
        super().__init__(client)
        self._query = {
            "bucket": bucket,
            "protocol": protocol,
            "organization": unset_if_none(organization_id or client.organization_id),
        }

    async def initiate(self) -> InitiateUploadResponse:
        body = InitiateUploadBody()
        return await self._call(initiate_upload.asyncio_detailed, body=body, **self._query)

    async def send(self, upload_id: str, body: UploadChunkBody) -> None:
        await self._call(upload_chunk.asyncio_detailed, upload_id, body=body)

    async def finish(self, upload_id: str, action: UploadFinishAction) -> FinishUploadResponse:
        body = FinishUploadBody()
        return await self._call(finish_upload.asyncio_detailed, upload_id, body=body, action=action)


class Storage(SyncResource):
    """Storage: ``upload()``, plus ``.buckets``, ``.uploads``, ``.pins`` and ``.ipns``."""

    def __init__(self, client: ClientLike) -> None:
        super().__init__(client)
        self.buckets = Buckets(client)
        self.uploads = Uploads(client)
        self.pins = Pins(client)
        self.ipns = IpnsNames(client)

    def upload(
        self,
        path: str | os.PathLike[str],
        *,
        bucket: str,
        protocol: Protocol | str = Protocol.IPFS,
        organization_id: str | None = None,
        on_progress: ProgressCallback | None = None,
        follow_symlinks: bool = False,
    ) -> UploadResult:
        """Upload a file or a whole directory into ``bucket`` (created if missing).

        Parts are read from disk as they are sent, several at once on worker threads.
        ``on_progress`` gets an :class:`UploadProgress` at the start and after every part
        (possibly from a worker thread). On failure the upload is cancelled on the server
        and the error is raised.

        Before anything is sent, every entry that cannot be uploaded (broken or looping
        symlinks, symlinks out of ``path`` unless ``follow_symlinks=True``, FIFOs, sockets,
        devices, unreadable files or folders, names the server would not receive exactly) is
        reported in one :class:`~spheron.UploadEntryError`; a missing ``path`` raises
        :class:`~spheron.UploadPathNotFoundError`. A file that changes while it is uploaded
        raises :class:`~spheron.UploadFileChangedError` and nothing is committed. The server's
        part size and parallelism are clamped (see the README, "Uploads").
        """
        calls = _UploadCalls(self._client, bucket, coerce_enum(Protocol, protocol), organization_id)
        return run_upload(
            calls,
            path,
            on_progress=on_progress,
            follow_symlinks=follow_symlinks,
            max_connections=pool_connection_limit(self._client),
        )

    def migrate_projects(
        self, *, webapp_organization_id: str, organization_id: str | None = None
    ) -> MigrateProjectsToStorageResponse:
        """Copy the upload-type projects of a sites organization into this storage one."""
        body = MigrateProjectsToStorageBody(webapp_organization_id=webapp_organization_id)
        org = self._org(organization_id)
        return self._call(migrate_projects_to_storage.sync_detailed, org, body=body)


class AsyncStorage(AsyncResource):
    """Storage: ``upload()``, plus ``.buckets``, ``.uploads``, ``.pins`` and ``.ipns``."""

    def __init__(self, client: ClientLike) -> None:
        super().__init__(client)
        self.buckets = AsyncBuckets(client)
        self.uploads = AsyncUploads(client)
        self.pins = AsyncPins(client)
        self.ipns = AsyncIpnsNames(client)

    async def upload(
        self,
        path: str | os.PathLike[str],
        *,
        bucket: str,
        protocol: Protocol | str = Protocol.IPFS,
        organization_id: str | None = None,
        on_progress: ProgressCallback | None = None,
        follow_symlinks: bool = False,
    ) -> UploadResult:
        """Upload a file or a whole directory into ``bucket`` (see :meth:`Storage.upload`).

        Parts are sent by concurrent asyncio tasks; file reads run in a worker thread.
        """
        calls = _AsyncUploadCalls(
            self._client, bucket, coerce_enum(Protocol, protocol), organization_id
        )
        return await async_run_upload(
            calls,
            path,
            on_progress=on_progress,
            follow_symlinks=follow_symlinks,
            max_connections=pool_connection_limit(self._client),
        )

    async def migrate_projects(
        self, *, webapp_organization_id: str, organization_id: str | None = None
    ) -> MigrateProjectsToStorageResponse:
        """Copy the upload-type projects of a sites organization into this storage one."""
        body = MigrateProjectsToStorageBody(webapp_organization_id=webapp_organization_id)
        org = await self._org(organization_id)
        return await self._call(migrate_projects_to_storage.asyncio_detailed, org, body=body)
