"""Request plumbing shared by the route modules: errors, parameters, bodies, route tables."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse

from . import _multipart
from ._state import JSON, SpheronState, Token

AuthMode = Literal["token", "upload", "none"]


class ApiError(Exception):
    """Answered as ``{"message": ...}`` with :attr:`status`."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def response(self) -> JSONResponse:
        return error_response(self.status, self.message, self.headers)


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"message": message}, status_code=status, headers=headers)


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, f"{what} {ident} not found")


def conflict(message: str) -> ApiError:
    return ApiError(409, message)


T = TypeVar("T")


# -- body field helpers ----------------------------------------------------------------------


def req_str(body: JSON, key: str, *, allow_empty: bool = False) -> str:
    value = body.get(key)
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise bad_request(f"{key} is required and must be a non-empty string")
    return value


def opt_str(body: JSON, key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(f"{key} must be a string")
    return value


def req_enum(body: JSON, key: str, allowed: Iterable[str]) -> str:
    value = body.get(key)
    choices = list(allowed)
    if value not in choices:
        raise bad_request(f"{key} must be one of {', '.join(choices)}")
    return str(value)


def _required(body: JSON, key: str, kind: type[T], what: str) -> T:
    value = body.get(key)
    if not isinstance(value, kind):
        raise bad_request(f"{key} is required and must be {what}")
    return value


def req_bool(body: JSON, key: str) -> bool:
    return _required(body, key, bool, "a boolean")


def opt_bool(body: JSON, key: str, default: bool = False) -> bool:
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise bad_request(f"{key} must be a boolean")
    return value


def req_int(body: JSON, key: str, *, minimum: int | None = None) -> int:
    """An integer, also when sent as a numeric string (``"80"``), as real callers do."""
    value = body.get(key)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"{key} is required and must be an integer")
    if minimum is not None and value < minimum:
        raise bad_request(f"{key} must be >= {minimum}")
    return value


def str_list(body: JSON, key: str, *, required: bool = True) -> list[str] | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad_request(f"{key} must be a list of strings")
    return list(value)


def req_obj(body: JSON, key: str) -> JSON:
    return _required(body, key, dict, "an object")


def obj_list(body: JSON, key: str) -> list[JSON]:
    value = body.get(key)
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise bad_request(f"{key} is required and must be a list of objects")
    return list(value)


# -- request context -------------------------------------------------------------------------


class Ctx:
    """What a handler sees: the state, the caller's token, parameters and the body."""

    def __init__(
        self, request: Request, body: bytes, state: SpheronState, token: Token | None
    ) -> None:
        self.request = request
        self.body = body
        self.state = state
        self._token = token
        self.now = state.now()
        self._path_params: dict[str, str] = {}

    def derive(self, *, body: JSON | None = None, path_params: dict[str, str] | None = None) -> Ctx:
        """The same request with another JSON body or other path parameters, for routes that
        translate a request and hand it to another route's handler (the deprecated routes)."""
        raw = self.body if body is None else json.dumps(body).encode()
        derived = Ctx(self.request, raw, self.state, self._token)
        derived.now = self.now
        derived._path_params = {**self._path_params, **(path_params or {})}
        return derived

    @property
    def token(self) -> Token:
        if self._token is None:  # pragma: no cover - only on auth="none" routes
            raise ApiError(401, "Unauthorized")
        return self._token

    # parameters

    def path(self, name: str) -> str:
        if name in self._path_params:
            return self._path_params[name]
        return str(self.request.path_params[name])

    def query(self, name: str) -> str | None:
        """A query value; an empty value (``?name=``) counts as absent, as the SDK sends those."""
        value = self.request.query_params.get(name)
        return value if value else None

    def required_query(self, name: str) -> str:
        value = self.query(name)
        if value is None:
            raise bad_request(f"query parameter {name} is required")
        return value

    def query_int(self, name: str, default: int, *, minimum: int = 0) -> int:
        raw = self.query(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise bad_request(f"query parameter {name} must be an integer") from None
        if value < minimum:
            raise bad_request(f"query parameter {name} must be >= {minimum}")
        return value

    def query_enum(
        self, name: str, allowed: Iterable[str], *, required: bool = False
    ) -> str | None:
        value = self.required_query(name) if required else self.query(name)
        choices = list(allowed)
        if value is not None and value not in choices:
            raise bad_request(f"query parameter {name} must be one of {', '.join(choices)}")
        return value

    def query_bool(self, name: str) -> bool | None:
        raw = self.query(name)
        if raw is None:
            return None
        if raw.lower() in ("true", "1", "y", "yes"):
            return True
        if raw.lower() in ("false", "0", "n", "no"):
            return False
        raise bad_request(f"query parameter {name} must be true or false")

    def page(self) -> tuple[int, int]:
        """``(skip, limit)``; both optional, ``limit=0`` means everything."""
        return (
            self.query_int("skip", 0),
            self.query_int("limit", self.state.default_limit),
        )

    # bodies

    def json(self) -> JSON:
        """The body as a JSON object (400 when absent, malformed or not an object)."""
        if not self.body.strip():
            raise bad_request("a JSON body is required")
        try:
            data = json.loads(self.body)
        except ValueError:
            raise bad_request("the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise bad_request("the JSON body must be an object")
        return data

    def optional_json(self) -> JSON:
        """Like :meth:`json` but an empty body is an empty object."""
        return self.json() if self.body.strip() else {}

    def multipart(self) -> list[_multipart.Part]:
        content_type = self.request.headers.get("content-type", "")
        try:
            return _multipart.parse(self.body, content_type)
        except _multipart.MultipartError as exc:
            raise bad_request(str(exc)) from None


def paginate(items: list[Any], skip: int, limit: int) -> list[Any]:
    return items[skip : skip + limit] if limit else items[skip:]


# -- route tables ----------------------------------------------------------------------------

Handler = Callable[[Ctx], Any]


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str
    handler: Handler
    auth: AuthMode = "token"


class Routes:
    """A list of routes; route modules fill one each with decorators."""

    def __init__(self) -> None:
        self.specs: list[RouteSpec] = []

    def route(
        self, method: str, path: str, auth: AuthMode = "token"
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.specs.append(RouteSpec(method, path, handler, auth))
            return handler

        return register

    def get(self, path: str, auth: AuthMode = "token") -> Callable[[Handler], Handler]:
        return self.route("GET", path, auth)

    def get_one(self, path: str, find: Callable[[Ctx, str], T], show: Callable[[T], JSON]) -> None:
        """``GET path``: the resource the path's last ``{id}`` names, as ``show`` renders it;
        ``find`` checks that the token may see it (404/403 otherwise)."""
        param = path.rpartition("{")[2].rstrip("}")

        def handler(ctx: Ctx) -> JSON:
            return show(find(ctx, ctx.path(param)))

        handler.__name__ = f"get_{show.__name__}"
        self.specs.append(RouteSpec("GET", path, handler))

    def post(self, path: str, auth: AuthMode = "token") -> Callable[[Handler], Handler]:
        return self.route("POST", path, auth)

    def put(self, path: str, auth: AuthMode = "token") -> Callable[[Handler], Handler]:
        return self.route("PUT", path, auth)

    def patch(self, path: str, auth: AuthMode = "token") -> Callable[[Handler], Handler]:
        return self.route("PATCH", path, auth)

    def delete(self, path: str, auth: AuthMode = "token") -> Callable[[Handler], Handler]:
        return self.route("DELETE", path, auth)
