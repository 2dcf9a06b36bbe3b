"""Marketplace apps and the compute machine catalog (static data from ``_catalog``)."""

from __future__ import annotations

from . import _catalog as catalog
from ._http import Ctx, Routes, not_found, paginate
from ._state import JSON

routes = Routes()


@routes.get("/v1/marketplace-app")
def list_apps(ctx: Ctx) -> JSON:
    category = ctx.query_enum("category", catalog.CATEGORIES)
    apps = [a for a in catalog.APPS if category is None or a["metadata"]["category"] == category]
    return {"templates": apps}


@routes.get("/v1/marketplace-app/categories")
def list_categories(ctx: Ctx) -> JSON:
    return {"categories": list(catalog.CATEGORIES)}


@routes.get("/v1/marketplace-app/{marketplaceAppId}")
def get_app(ctx: Ctx) -> JSON:
    app = catalog.app_by_id(ctx.path("marketplaceAppId"))
    if app is None:
        raise not_found("Marketplace app", ctx.path("marketplaceAppId"))
    return app


@routes.get("/v1/compute-machine-image")
def list_machines(ctx: Ctx) -> JSON:
    search = (ctx.query("searchString") or "").lower()
    region = ctx.query("region")
    provider = ctx.query("provider")
    skip, limit = ctx.page()
    found = [
        m
        for m in catalog.MACHINES
        if search in str(m["name"]).lower()
        and (region in (None, "any") or region in catalog.MACHINE_REGIONS[str(m["name"])])
        and (provider is None or provider.lower() == "akash")
    ]
    return {"akashMachineImages": paginate(found, skip, limit), "totalCount": len(found)}


@routes.get("/v1/compute-machine-image/regions")
def list_regions(ctx: Ctx) -> JSON:
    return {"regions": list(catalog.REGIONS), "totalCount": len(catalog.REGIONS)}
