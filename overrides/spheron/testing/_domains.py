"""What site, instance and bucket domains share: the lookup by the path's ``domainId`` and the
rule that a domain name is used once across all of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from ._http import Ctx, conflict, not_found
from ._state import BucketDomain, Domain

__all__ = ["DOMAIN_TYPES", "claim_name", "named_in_path"]

DOMAIN_TYPES = ("domain", "subdomain", "handshake-domain", "handshake-subdomain", "ens-domain")

DomainT = TypeVar("DomainT", Domain, BucketDomain)


def named_in_path(ctx: Ctx, domains: Iterable[DomainT]) -> DomainT:
    """The one of ``domains`` that the path's ``domainId`` names, by id or by name (404)."""
    ref = ctx.path("domainId")
    for dom in domains:
        if ref in (dom.id, dom.name):
            return dom
    raise not_found("Domain", ref)


def claim_name(ctx: Ctx, name: str, except_id: str | None = None) -> None:
    """Refuse (409) a name another domain (site, instance or bucket) already uses."""
    others: list[Domain | BucketDomain] = [*ctx.state.domains.values()]
    others += ctx.state.bucket_domains.values()
    if any(d.name.lower() == name.lower() and d.id != except_id for d in others):
        raise conflict(f"Domain {name} is already in use")
