"""The hand-written methods of ``resources/uploads.py`` (generated), which derives from
the classes here: uploaded content and its names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from spheron_api_client.api.uploads import pin_cid, pin_cids, upload_files
from spheron_api_client.models.finish_upload_response import FinishUploadResponse
from spheron_api_client.models.pin_cid_body import PinCidBody
from spheron_api_client.models.pin_cid_response import PinCidResponse
from spheron_api_client.models.pin_cids_body import PinCidsBody
from spheron_api_client.models.pin_cids_response_200_item import PinCidsResponse200Item
from spheron_api_client.models.protocol import Protocol
from spheron_api_client.models.upload_files_body import UploadFilesBody
from spheron_api_client.types import File

from ...._request_options import MultipartRequestOptions, RequestOptions, Unpack
from .._base import AsyncResource, coerce_enum, multipart_options, unset_if_none

__all__ = ["AsyncPinsCustom", "AsyncUploadsCustom"]


def _upload_files_body(parts: Mapping[str, File | Sequence[File]]) -> UploadFilesBody:
    """Every part under the caller's name; a sequence sends several parts under one name."""
    body = UploadFilesBody()
    for name, value in parts.items():
        body[name] = value if isinstance(value, File) else list(value)
    return body


class AsyncUploadsCustom(AsyncResource):
    """The hand-written methods of :class:`AsyncUploads`."""

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
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        return await self._call(
            upload_files.asyncio_detailed,
            body=_upload_files_body(parts),
            bucket=bucket,
            protocol=coerce_enum(Protocol, protocol),
            organization=unset_if_none(organization_id or self._client.organization_id),
            options=multipart_options(options),
        )


class AsyncPinsCustom(AsyncResource):
    """The hand-written methods of :class:`AsyncPins`."""

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
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
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
            SpheronError: InvalidArgumentError, APIError, ResponseValidationError; README "Errors".
        """
        return await self._call(
            pin_cids.asyncio_detailed,
            body=PinCidsBody(cids=list(cids)),
            bucket=bucket,
            organization=unset_if_none(organization_id or self._client.organization_id),
            options=options,
        )
