"""The Starlette application: route tables, authentication and JSON error handling."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from . import (
    _routes_cluster,
    _routes_compute,
    _routes_deployments,
    _routes_instances,
    _routes_marketplace,
    _routes_orgs,
    _routes_projects,
    _routes_public,
    _routes_storage,
    _routes_upload_deployments,
)
from ._auth import authenticate
from ._faults import ConnectionRegistry, FaultMiddleware, Faults
from ._http import ApiError, Ctx, RouteSpec, error_response
from ._log import RequestLog
from ._state import SpheronState

ROUTE_MODULES = (
    _routes_orgs,
    _routes_projects,
    _routes_deployments,
    _routes_storage,
    _routes_compute,
    _routes_instances,
    _routes_marketplace,
    _routes_public,
    _routes_cluster,
    _routes_upload_deployments,
)


def route_specs() -> list[RouteSpec]:
    """Every implemented route; literal path segments win over parameters."""
    specs = [spec for module in ROUTE_MODULES for spec in module.routes.specs]
    return sorted(specs, key=lambda s: [seg.startswith("{") for seg in s.path.split("/")])


def _endpoint(spec: RouteSpec, state: SpheronState) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        body = await request.body()
        try:
            with state.lock:
                token = authenticate(
                    state,
                    request.headers.get("authorization"),
                    spec.auth,
                    # A single-use token names its upload; on the deprecated upload-deployment
                    # routes the deployment id is that upload's id.
                    request.path_params.get("uploadId", request.path_params.get("deploymentId")),
                )
                result = spec.handler(Ctx(request, body, state, token))
        except ApiError as exc:
            return exc.response()
        if isinstance(result, Response):
            return result
        return JSONResponse(result)

    endpoint.__name__ = spec.handler.__name__
    return endpoint


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"Cannot {request.method} {request.url.path}"
    else:
        message = exc.detail
    return error_response(exc.status_code, message, dict(exc.headers or {}))


async def _server_error(request: Request, exc: Exception) -> Response:
    return error_response(500, f"Internal server error: {type(exc).__name__}: {exc}")


def build_app(
    state: SpheronState, faults: Faults, log: RequestLog, connections: ConnectionRegistry
) -> tuple[ASGIApp, list[Route]]:
    """The ASGI app (fault middleware around Starlette) and its routes."""
    routes = [
        Route(spec.path, _endpoint(spec, state), methods=[spec.method]) for spec in route_specs()
    ]
    starlette = Starlette(
        routes=routes,
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    app = FaultMiddleware(
        starlette,
        faults=faults,
        log=log,
        clock=state.clock,
        connections=connections,
        routes=routes,
    )
    return app, routes
