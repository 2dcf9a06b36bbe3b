"""Base of the namespace classes: run a generated operation with the client's ``api``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from spheron_api_client.types import Response

from ..._request_options import call_scope

# The helpers the namespace modules take from here ("X as X": re-exported, listed once).
from ..._resource_base import ClientLike as ClientLike
from ..._resource_base import Options, expect_parsed, operation_name
from ..._resource_base import as_call_options as as_call_options
from ..._resource_base import coerce_enum as coerce_enum
from ..._resource_base import coerce_model as coerce_model
from ..._resource_base import deprecated_alias as deprecated_alias
from ..._resource_base import extra_options as extra_options
from ..._resource_base import multipart_options as multipart_options
from ..._resource_base import optional_enum as optional_enum
from ..._resource_base import unset_if_none as unset_if_none
from .._primitives import Await
from .account import async_resolve_organization_id

__all__ = ["AsyncResource"]

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
        call = as_call_options(options)
        if call is None:  # the common case: no context to set (a context manager per call costs)
            response = await fn(*args, client=self._client.api, **kwargs)
        else:
            with call_scope(call):
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
