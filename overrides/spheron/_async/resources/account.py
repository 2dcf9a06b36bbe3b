"""The token's scope and the caller's profile; which organization helpers act on."""

from __future__ import annotations

import weakref
from collections.abc import Sequence

from spheron_api_client.api.api_keys import get_token_scope
from spheron_api_client.api.profile import get_profile
from spheron_api_client.client import AuthenticatedClient
from spheron_api_client.models.token_scope import TokenScope
from spheron_api_client.models.token_scope_organizations_item import TokenScopeOrganizationsItem
from spheron_api_client.models.user import User

from ..._errors import SpheronConfigError
from ..._exceptions import path_segment
from ..._request_options import call_scope
from ..._resource_base import ClientLike, Options, as_call_options, expect_parsed

__all__ = ["async_profile", "async_resolve_organization_id", "async_token_scope"]


class _PerClient:
    """The organization found through the token scope, per generated client, by identity.

    The generated client is unhashable (attrs ``eq``), so entries are keyed by ``id`` and
    dropped when the client is garbage-collected.
    """

    def __init__(self) -> None:
        self._entries: dict[int, tuple[weakref.ref[AuthenticatedClient], str]] = {}

    def get(self, api: AuthenticatedClient) -> str | None:
        entry = self._entries.get(id(api))
        return entry[1] if entry is not None and entry[0]() is api else None

    def set(self, api: AuthenticatedClient, organization_id: str) -> None:
        key = id(api)
        self._entries[key] = (
            weakref.ref(api, lambda _: self._entries.pop(key, None)),
            organization_id,
        )


_resolved = _PerClient()


async def async_token_scope(client: ClientLike, options: Options = None) -> TokenScope:
    """The token's user and the organizations it may act on."""
    with call_scope(as_call_options(options)):
        response = await get_token_scope.asyncio_detailed(client=client.api)
    return expect_parsed(response, "get_token_scope")


async def async_profile(client: ClientLike, options: Options = None) -> User:
    """The signed-in user's profile."""
    with call_scope(as_call_options(options)):
        response = await get_profile.asyncio_detailed(client=client.api)
    return expect_parsed(response, "get_profile").user


async def async_resolve_organization_id(client: ClientLike, explicit: str | None) -> str:
    """The organization to act on.

    ``explicit`` wins, then ``client.organization_id``; otherwise the token scope is asked once
    (and remembered): a single organization is used, several raise :class:`SpheronConfigError`.
    """
    known = _known(client, explicit)
    if known is not None:
        return known
    return _remember(client, await async_token_scope(client))


def _known(client: ClientLike, explicit: str | None) -> str | None:
    if explicit is not None:
        # An explicit id is never replaced by the default: "" is refused, not "use the default".
        path_segment(explicit, "organization_id")
        return explicit
    if client.organization_id:
        return client.organization_id
    return _resolved.get(client.api)


def _remember(client: ClientLike, scope: TokenScope) -> str:
    organization_id = _single_organization(scope.organizations)
    _resolved.set(client.api, organization_id)
    return organization_id


def _single_organization(organizations: Sequence[TokenScopeOrganizationsItem]) -> str:
    found = list(organizations)
    if len(found) == 1:
        return found[0].id
    if not found:
        raise SpheronConfigError(
            "the token gives access to no organization; pass organization_id=... or create "
            "the client with organization_id=..."
        )
    choices = ", ".join(_describe(org) for org in found)
    raise SpheronConfigError(
        f"the token gives access to {len(found)} organizations, so it is unclear which one to "
        f"use: {choices}. Pass organization_id=... to the call or create the client with "
        "Spheron(organization_id=...)."
    )


def _describe(org: TokenScopeOrganizationsItem) -> str:
    name = org.name if isinstance(org.name, str) and org.name else org.username
    return f"{org.id} ({name})" if isinstance(name, str) and name else org.id
