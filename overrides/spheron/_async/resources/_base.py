"""Base of the namespace classes: run a generated operation with the client's ``api``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from spheron_api_client.types import Response

from ..._request_options import call_scope
from ..._resource_base import (
    ClientLike,
    Options,
    as_call_options,
    coerce_enum,
    coerce_model,
    deprecated_alias,
    expect_parsed,
    extra_options,
    multipart_options,
    operation_name,
    optional_enum,
    unset_if_none,
)
from .._primitives import Await
from .account import async_resolve_organization_id

__all__ = [
    "AsyncResource",
    "ClientLike",
    "as_call_options",
    "coerce_enum",
    "coerce_model",
    "deprecated_alias",
    "expect_parsed",
    "extra_options",
    "multipart_options",
    "optional_enum",
    "unset_if_none",
]

T = TypeVar("T")


class AsyncResource:
    """Base of the namespaces: holds the client, runs operations, resolves the organization."""

    def __init__(self, client: ClientLike) -> None:
        self._client = client

    async def _call(
        self,
        fn: Callable[..., Await[Response[T]]],
        /,
        *args: Any,
        options: Options = None,
        **kwargs: Any,
    ) -> T:
        """Run a generated ``asyncio_detailed`` function with the call's ``options`` (see
        :class:`~spheron.RequestOptions`) and return its decoded body."""
        with call_scope(as_call_options(options)):
            response = await fn(*args, client=self._client.api, **kwargs)
        return expect_parsed(response, operation_name(fn))

    async def _call_within(
        self,
        seconds: float,
        fn: Callable[..., Await[Response[T]]],
        /,
        *args: Any,
        options: Options = None,
    ) -> T:
        """:meth:`_call`, bounded to ``seconds`` in all (a poll inside a wait)."""
        api = self._client.with_options(total_timeout=seconds).api
        with call_scope(as_call_options(options)):
            response = await fn(*args, client=api)
        return expect_parsed(response, operation_name(fn))

    async def _org(self, organization_id: str | None) -> str:
        return await async_resolve_organization_id(self._client, organization_id)
