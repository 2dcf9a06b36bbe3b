"""What every namespace shares: the client protocol, call helpers and argument coercion."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from enum import Enum
from typing import Any, Protocol, TypeVar

from spheron_api_client.client import AuthenticatedClient
from spheron_api_client.errors import ResponseValidationError
from spheron_api_client.types import UNSET, Response, Unset

__all__ = [
    "AsyncResource",
    "ClientLike",
    "SyncResource",
    "coerce_enum",
    "coerce_model",
    "expect_parsed",
    "optional_enum",
    "unset_if_none",
]

T = TypeVar("T")
E = TypeVar("E", bound=Enum)
M = TypeVar("M")


class ClientLike(Protocol):
    """What a namespace needs from ``Spheron``/``AsyncSpheron``."""

    @property
    def api(self) -> AuthenticatedClient: ...

    @property
    def organization_id(self) -> str | None: ...


def _operation(fn: Callable[..., object]) -> str:
    return fn.__module__.rpartition(".")[2] or getattr(fn, "__name__", "operation")


def expect_parsed(response: Response[T], operation: str) -> T:
    """The decoded body of ``response``; an answer the document does not describe raises."""
    if response.parsed is None:
        status = int(response.status_code)
        raise ResponseValidationError(
            f"{operation} answered {status}, a status the API document does not describe for it "
            "(expected a 2xx JSON answer)",
            status_code=status,
            body=response.content.decode("utf-8", errors="replace"),
        )
    return response.parsed


def coerce_enum(cls: type[E], value: E | str) -> E:
    """``value`` as a member of ``cls``; unknown strings are kept (the enums are tolerant)."""
    return value if isinstance(value, cls) else cls(value)


def optional_enum(cls: type[E], value: E | str | None) -> E | Unset:
    """``value`` as a member of ``cls``, or ``UNSET`` (leave it out) for ``None``."""
    return UNSET if value is None else coerce_enum(cls, value)


def coerce_model(
    from_dict: Callable[[Mapping[str, Any]], M], value: M | Mapping[str, Any], *, name: str
) -> M:
    """``value`` as a generated model; a mapping (API spelling) goes through ``from_dict``.

    A mapping that does not fit raises ``ValueError`` naming the argument ``name``.
    """
    if not isinstance(value, Mapping):
        return value
    try:
        return from_dict(value)
    except KeyError as exc:
        raise ValueError(f"{name} is missing the key {exc}") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"{name} does not fit the API's shape: {exc}") from exc


def unset_if_none(value: T | None) -> T | Unset:
    """``UNSET`` (leave the field out) for ``None``."""
    return UNSET if value is None else value


class SyncResource:
    """Base of the synchronous namespaces."""

    def __init__(self, client: ClientLike) -> None:
        self._client = client

    def _call(self, fn: Callable[..., Response[T]], /, *args: Any, **kwargs: Any) -> T:
        """Run a generated ``sync_detailed`` function and return its decoded body."""
        return expect_parsed(fn(*args, client=self._client.api, **kwargs), _operation(fn))

    def _org(self, organization_id: str | None) -> str:
        from .account import resolve_organization_id

        return resolve_organization_id(self._client, organization_id)


class AsyncResource:
    """Base of the asyncio namespaces."""

    def __init__(self, client: ClientLike) -> None:
        self._client = client

    async def _call(
        self, fn: Callable[..., Awaitable[Response[T]]], /, *args: Any, **kwargs: Any
    ) -> T:
        """Await a generated ``asyncio_detailed`` function and return its decoded body."""
        response = await fn(*args, client=self._client.api, **kwargs)
        return expect_parsed(response, _operation(fn))

    async def _org(self, organization_id: str | None) -> str:
        from .account import async_resolve_organization_id

        return await async_resolve_organization_id(self._client, organization_id)
