"""``client.storage.uploads``, ``.pins`` and ``.ipns``: uploaded content and its names."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from functools import cached_property

from spheron_api_client.api.ipns import (
    get_ipns_name,
    list_ipns_names_for_organization,
    list_ipns_names_for_upload,
    publish_ipns_name,
    update_ipns_name,
)
from spheron_api_client.api.uploads import (
    get_cid_status,
    get_upload,
    pin_cid,
    pin_cids,
    pin_upload,
    unpin_upload,
    upload_files,
)
from spheron_api_client.models.finish_upload_response import FinishUploadResponse
from spheron_api_client.models.ipns_name import IPNSName
from spheron_api_client.models.list_ipns_names_for_organization_body import (
    ListIpnsNamesForOrganizationBody,
)
from spheron_api_client.models.pin_cid_body import PinCidBody
from spheron_api_client.models.pin_cid_response import PinCidResponse
from spheron_api_client.models.pin_cids_body import PinCidsBody
from spheron_api_client.models.pin_cids_response_200_item import PinCidsResponse200Item
from spheron_api_client.models.pin_status import PinStatus
from spheron_api_client.models.protocol import Protocol
from spheron_api_client.models.upload import Upload
from spheron_api_client.models.upload_files_body import UploadFilesBody
from spheron_api_client.types import File

from ..._request_options import MultipartRequestOptions, RequestOptions, Unpack
from .._raw import async_raw
from ._base import AsyncResource, coerce_enum, multipart_options, unset_if_none

__all__ = ["AsyncIpnsNames", "AsyncPins", "AsyncUploads"]


def _upload_files_body(parts: Mapping[str, File | Sequence[File]]) -> UploadFilesBody:
    """Every part under the caller's name; a sequence sends several parts under one name."""
    body = UploadFilesBody()
    for name, value in parts.items():
        body[name] = value if isinstance(value, File) else list(value)
    return body


class AsyncUploads(AsyncResource):
    """Uploads: one version of a bucket's content."""

    async def get(self, upload_id: str, **options: Unpack[RequestOptions]) -> Upload:
        """An upload.

        Args:
            upload_id: the upload's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Upload: an upload.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return (await self._call(get_upload.asyncio_detailed, upload_id, options=options)).upload

    async def pin(self, upload_id: str, **options: Unpack[RequestOptions]) -> Upload:
        """Pin an upload's content again.

        Args:
            upload_id: the upload's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Upload: the upload.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return (await self._call(pin_upload.asyncio_detailed, upload_id, options=options)).upload

    async def unpin(self, upload_id: str, **options: Unpack[RequestOptions]) -> Upload:
        """Stop pinning an upload's content.

        Args:
            upload_id: the upload's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            Upload: the upload.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return (await self._call(unpin_upload.asyncio_detailed, upload_id, options=options)).upload

    async def upload_files(
        self,
        parts: Mapping[str, File | Sequence[File]],
        *,
        bucket: str,
        protocol: Protocol | str = Protocol.IPFS,
        organization_id: str | None = None,
        **options: Unpack[MultipartRequestOptions],
    ) -> FinishUploadResponse:
        """Single-shot upload: every part in one ``multipart/form-data`` request to ``bucket``.

        ``parts`` maps part names to files (``{"filekey": File(...)}`` as gitopia-storage sends
        it, or ``{"files": [File(...), ...]}``); bytes, filenames and content types are sent as
        given. Use ``client.storage.upload`` for large content (chunked, resumable parts).

        Args:
            parts: part names mapped to files (``{"filekey": File(...)}``), a sequence sending
                several parts under one name.
            bucket: the bucket's name (created if missing).
            protocol: where content is published (``ipfs``, ``arweave``, ...).
            organization_id: the organization (default: the client's, else the token's only one).
            **options: per-call options, no ``extra_body``
                (:class:`~spheron.MultipartRequestOptions`).

        Returns:
            FinishUploadResponse: the finished upload's id, links and CID.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            upload_files.asyncio_detailed,
            body=_upload_files_body(parts),
            bucket=bucket,
            protocol=coerce_enum(Protocol, protocol),
            organization=unset_if_none(organization_id or self._client.organization_id),
            options=multipart_options(options),
        )

    @cached_property
    def with_raw_response(self) -> AsyncUploadsWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncUploadsWithRawResponse(self)


class AsyncUploadsWithRawResponse:
    """``AsyncUploads.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncUploads) -> None:
        self.get = async_raw(namespace.get)
        self.pin = async_raw(namespace.pin)
        self.unpin = async_raw(namespace.unpin)
        self.upload_files = async_raw(namespace.upload_files)


class AsyncPins(AsyncResource):
    """Pin content that is already on IPFS into a bucket."""

    async def pin(
        self,
        cid: str,
        *,
        bucket: str,
        organization_id: str | None = None,
        in_background: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> PinCidResponse:
        """Pin ``cid`` as a new upload of ``bucket`` (created if missing).

        Args:
            cid: the IPFS content id.
            bucket: the bucket's name (created if missing).
            organization_id: the organization (default: the client's, else the token's only one).
            in_background: let the server pin after answering (``None``: the server's default).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            PinCidResponse: the new upload's id and CID.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            pin_cid.asyncio_detailed,
            cid,
            body=PinCidBody(),
            bucket=bucket,
            in_background=unset_if_none(in_background),
            organization=unset_if_none(organization_id or self._client.organization_id),
            options=options,
        )

    async def pin_many(
        self,
        cids: Sequence[str],
        *,
        bucket: str,
        organization_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> list[PinCidsResponse200Item]:
        """Pin several CIDs into ``bucket``; one upload per CID.

        Args:
            cids: the IPFS content ids.
            bucket: the bucket's name (created if missing).
            organization_id: the organization (default: the client's, else the token's only one).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[PinCidsResponse200Item]: one result per CID.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            pin_cids.asyncio_detailed,
            body=PinCidsBody(cids=list(cids)),
            bucket=bucket,
            organization=unset_if_none(organization_id or self._client.organization_id),
            options=options,
        )

    async def status(self, cid: str, **options: Unpack[RequestOptions]) -> PinStatus:
        """Where a CID is pinned across the IPFS cluster.

        Args:
            cid: the IPFS content id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            PinStatus: where a CID is pinned across the IPFS cluster.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return (await self._call(get_cid_status.asyncio_detailed, cid, options=options)).pin_status

    @cached_property
    def with_raw_response(self) -> AsyncPinsWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncPinsWithRawResponse(self)


class AsyncPinsWithRawResponse:
    """``AsyncPins.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncPins) -> None:
        self.pin = async_raw(namespace.pin)
        self.pin_many = async_raw(namespace.pin_many)
        self.status = async_raw(namespace.status)


class AsyncIpnsNames(AsyncResource):
    """IPNS names published for uploads."""

    async def list(
        self, organization_id: str | None = None, **options: Unpack[RequestOptions]
    ) -> list[IPNSName]:
        """Every IPNS name of the organization.

        Args:
            organization_id: the organization (default: the client's, else the token's only one).
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[IPNSName]: every IPNS name of the organization.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            SpheronConfigError: no ``organization_id`` and the token reaches several or none.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        body = ListIpnsNamesForOrganizationBody(organization_id=await self._org(organization_id))
        return await self._call(
            list_ipns_names_for_organization.asyncio_detailed, body=body, options=options
        )

    async def list_for_upload(
        self, upload_id: str, **options: Unpack[RequestOptions]
    ) -> builtins.list[IPNSName]:
        """The IPNS names pointing at an upload.

        Args:
            upload_id: the upload's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            list[IPNSName]: the IPNS names pointing at an upload.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(
            list_ipns_names_for_upload.asyncio_detailed, upload_id, options=options
        )

    async def get(self, ipns_name_id: str, **options: Unpack[RequestOptions]) -> IPNSName:
        """One IPNS name.

        Args:
            ipns_name_id: the IPNS name's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            IPNSName: one IPNS name.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return await self._call(get_ipns_name.asyncio_detailed, ipns_name_id, options=options)

    async def publish(self, upload_id: str, **options: Unpack[RequestOptions]) -> IPNSName:
        """Publish a new IPNS name for an upload.

        Args:
            upload_id: the upload's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            IPNSName: the new IPNS name.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        return (
            await self._call(publish_ipns_name.asyncio_detailed, upload_id, options=options)
        ).ipns_name

    async def update(
        self, upload_id: str, ipns_name_id: str, **options: Unpack[RequestOptions]
    ) -> IPNSName:
        """Point an existing IPNS name at ``upload_id``.

        Args:
            upload_id: the upload the name points at from now on.
            ipns_name_id: the IPNS name's id.
            **options: per-call options (:class:`~spheron.RequestOptions`).

        Returns:
            IPNSName: the IPNS name.

        Raises:
            InvalidArgumentError: a bad id or option, before anything is sent.
            APIError: a non-2xx answer, or no answer in time.
            ResponseValidationError: a 2xx body that does not match the API document.
        """
        updated = await self._call(
            update_ipns_name.asyncio_detailed, upload_id, ipns_name_id, options=options
        )
        return updated.ipns_name

    @cached_property
    def with_raw_response(self) -> AsyncIpnsNamesWithRawResponse:
        """These methods returning a :class:`~spheron.RawResponse` (status, headers,
        request id, ``.parse()``)."""
        return AsyncIpnsNamesWithRawResponse(self)


class AsyncIpnsNamesWithRawResponse:
    """``AsyncIpnsNames.with_raw_response``: each method returns a RawResponse."""

    def __init__(self, namespace: AsyncIpnsNames) -> None:
        self.list = async_raw(namespace.list)
        self.list_for_upload = async_raw(namespace.list_for_upload)
        self.get = async_raw(namespace.get)
        self.publish = async_raw(namespace.publish)
        self.update = async_raw(namespace.update)
