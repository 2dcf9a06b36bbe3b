"""Routes around the API proper: the health page, the profile and the wallet sign-in.

``GET /status`` and the two wallet sign-in steps need no token, as on the real API. The fake
cannot check an Ethereum signature: ``verifyWeb3Login`` only requires an address and a
signature and answers an empty object (the evidence records no keys of the real answer).
"""

from __future__ import annotations

import secrets

from starlette.responses import Response

from . import _render as render
from ._clock import isoformat
from ._http import Ctx, Routes
from ._state import JSON, Organization

routes = Routes()


@routes.get("/status", auth="none")
def api_status(ctx: Ctx) -> Response:
    """An empty page, as the old documentation describes it (not JSON)."""
    return Response(b"", status_code=200)


@routes.get("/v1/profile/")
@routes.get("/v2/profile")
def get_profile(ctx: Ctx) -> JSON:
    """The token's user, with one master organization per organization the token reaches (the
    fake keeps one organization for sites, compute and storage, so all three are that one)."""
    user = ctx.state.users[ctx.token.user_id]
    orgs = [ctx.state.organizations[i] for i in ctx.token.organizations]
    since = min((o.created_at for o in orgs), default=ctx.now)
    return {
        "user": {
            "_id": user.id,
            "platformProfile": {
                "username": user.username,
                "avatar": "",
                "name": user.name,
                "email": user.email,
                "is_active": True,
            },
            "organizations": [_master_organization(o) for o in orgs],
            "createdAt": isoformat(since),
            "updatedAt": isoformat(since),
        }
    }


def _master_organization(org: Organization) -> JSON:
    rendered = render.organization(org)
    return {
        "_id": org.id,
        "profile": rendered["profile"],
        "site": rendered,
        "compute": rendered,
        "storage": rendered,
        "preferedAppType": org.app_type,
        "publiclyAccessible": org.app_type,
    }


@routes.post("/v1/auth/web3/nonce", auth="none")
def create_web3_nonce(ctx: Ctx) -> JSON:
    ctx.optional_json()  # no body is needed; one caller sends its HTTP library's options
    return {"nonce": secrets.token_hex(16)}


@routes.get("/v1/auth/web3/callback", auth="none")
def verify_web3_login(ctx: Ctx) -> JSON:
    for name in ("address", "signature"):
        ctx.required_query(name)
    return {}
