"""What site, instance and bucket domains share: the lookup by the path's ``domainId``, the
rule that a domain name is used once across all of them, creation, the partial update of name
and link, and verification."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from ._http import Ctx, conflict, not_found, opt_str, req_str
from ._state import JSON, BucketDomain, Domain

__all__ = [
    "DOMAIN_TYPES",
    "claim_name",
    "named_in_path",
    "new_domain",
    "patch_name_and_link",
    "verify",
]

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


def new_domain(
    ctx: Ctx,
    name: str,
    link: str,
    kind: str,
    *,
    project_id: str | None = None,
    instance_id: str | None = None,
    environment_ids: list[str] | None = None,
    is_latest: bool = False,
) -> Domain:
    """Store a new site (``project_id``) or instance (``instance_id``) domain."""
    dom = Domain(
        id=ctx.state.new_id(),
        name=name,
        link=link,
        type=kind,
        project_id=project_id,
        instance_id=instance_id,
        environment_ids=environment_ids or [],
        is_latest=is_latest,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    ctx.state.domains[dom.id] = dom
    return dom


def patch_name_and_link(ctx: Ctx, dom: DomainT, body: JSON) -> None:
    """A partial update's ``name`` and ``link`` (absent ones are kept); a new name is claimed
    (409 when taken) and has to be verified again."""
    name = req_str(body, "name") if body.get("name") is not None else dom.name
    claim_name(ctx, name, except_id=dom.id)
    link = opt_str(body, "link")
    if link is not None:
        dom.link = link
    if name != dom.name:
        dom.name, dom.verified = name, False


def verify(ctx: Ctx, dom: DomainT) -> bool:
    """Check that ``dom`` points at its target: it does unless the fake was told otherwise
    (``unverifiable_domains``)."""
    dom.verified = dom.name not in ctx.state.unverifiable_domains
    return dom.verified
