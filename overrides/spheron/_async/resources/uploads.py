"""``client.storage.uploads``, ``.pins`` and ``.ipns``: uploaded content and its names."""

from __future__ import annotations

import builtins
from collections.abc import Sequence

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
)
from spheron_api_client.models.ipns_name import IPNSName
from spheron_api_client.models.list_ipns_names_for_organization_body import (
    ListIpnsNamesForOrganizationBody,
)
from spheron_api_client.models.pin_cid_body import PinCidBody
from spheron_api_client.models.pin_cid_response import PinCidResponse
from spheron_api_client.models.pin_cids_body import PinCidsBody
from spheron_api_client.models.pin_cids_response_200_item import PinCidsResponse200Item
from spheron_api_client.models.pin_status import PinStatus
from spheron_api_client.models.upload import Upload

from ._base import AsyncResource, unset_if_none

__all__ = ["AsyncIpnsNames", "AsyncPins", "AsyncUploads"]


class AsyncUploads(AsyncResource):
    """Uploads: one version of a bucket's content."""

    async def get(self, upload_id: str) -> Upload:
        """An upload."""
        return (await self._call(get_upload.asyncio_detailed, upload_id)).upload

    async def pin(self, upload_id: str) -> Upload:
        """Pin an upload's content again."""
        return (await self._call(pin_upload.asyncio_detailed, upload_id)).upload

    async def unpin(self, upload_id: str) -> Upload:
        """Stop pinning an upload's content."""
        return (await self._call(unpin_upload.asyncio_detailed, upload_id)).upload


class AsyncPins(AsyncResource):
    """Pin content that is already on IPFS into a bucket."""

    async def pin(
        self,
        cid: str,
        *,
        bucket: str,
        organization_id: str | None = None,
        in_background: bool | None = None,
    ) -> PinCidResponse:
        """Pin ``cid`` as a new upload of ``bucket`` (created if missing)."""
        return await self._call(
            pin_cid.asyncio_detailed,
            cid,
            body=PinCidBody(),
            bucket=bucket,
            in_background=unset_if_none(in_background),
            organization=unset_if_none(organization_id or self._client.organization_id),
        )

    async def pin_many(
        self, cids: Sequence[str], *, bucket: str, organization_id: str | None = None
    ) -> list[PinCidsResponse200Item]:
        """Pin several CIDs into ``bucket``; one upload per CID."""
        return await self._call(
            pin_cids.asyncio_detailed,
            body=PinCidsBody(cids=list(cids)),
            bucket=bucket,
            organization=unset_if_none(organization_id or self._client.organization_id),
        )

    async def status(self, cid: str) -> PinStatus:
        """Where a CID is pinned across the IPFS cluster."""
        return (await self._call(get_cid_status.asyncio_detailed, cid)).pin_status


class AsyncIpnsNames(AsyncResource):
    """IPNS names published for uploads."""

    async def list(self, organization_id: str | None = None) -> list[IPNSName]:
        """Every IPNS name of the organization."""
        body = ListIpnsNamesForOrganizationBody(organization_id=await self._org(organization_id))
        return await self._call(list_ipns_names_for_organization.asyncio_detailed, body=body)

    async def list_for_upload(self, upload_id: str) -> builtins.list[IPNSName]:
        """The IPNS names pointing at an upload."""
        return await self._call(list_ipns_names_for_upload.asyncio_detailed, upload_id)

    async def get(self, ipns_name_id: str) -> IPNSName:
        """One IPNS name."""
        return await self._call(get_ipns_name.asyncio_detailed, ipns_name_id)

    async def publish(self, upload_id: str) -> IPNSName:
        """Publish a new IPNS name for an upload."""
        return (await self._call(publish_ipns_name.asyncio_detailed, upload_id)).ipns_name

    async def update(self, upload_id: str, ipns_name_id: str) -> IPNSName:
        """Point an existing IPNS name at ``upload_id``."""
        updated = await self._call(update_ipns_name.asyncio_detailed, upload_id, ipns_name_id)
        return updated.ipns_name
