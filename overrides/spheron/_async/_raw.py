"""``with_raw_response`` and ``with_streaming_response``: wrappers that return the HTTP answer.

``async_raw`` (sync: ``raw``) turns a namespace method into one that returns a
:class:`~spheron.RawResponse` of the method's value, with the same parameters (typed through
``ParamSpec``, so ``.parse()`` has the method's return type). List methods return a pager
without a request; ``async_raw_pager`` (sync: ``raw_pager``) fetches their first page and
returns its response, with the pager (which starts again from the first page when iterated)
as ``.parse()``.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable
from typing import Generic, ParamSpec, TypeVar

import httpx

from .._exceptions import ResponseValidationError
from .._raw_response import RawResponse, ResponseInfo, raw_response
from .._request_options import capture_responses
from ._pagination import AsyncPager
from ._primitives import Await

__all__ = ["AsyncStreamedResponse", "async_raw", "async_raw_pager"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def async_raw(method: Callable[P, Await[R]]) -> Callable[P, Await[RawResponse[R]]]:
    """``method``, returning the :class:`RawResponse` of its (last) request."""

    async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[R]:
        with capture_responses() as seen:
            try:
                value = await method(*args, **kwargs)
            except ResponseValidationError as exc:
                return raw_response(seen, error=exc)
        return raw_response(seen, value)

    functools.update_wrapper(call, method)  # name, docstring, and the signature for inspect
    return call


def async_raw_pager(
    method: Callable[P, AsyncPager[T]],
) -> Callable[P, Await[RawResponse[AsyncPager[T]]]]:
    """A list method, returning the :class:`RawResponse` of its first page."""

    async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[AsyncPager[T]]:
        pager = method(*args, **kwargs)
        with capture_responses() as seen:
            try:
                await pager.first_page()
            except ResponseValidationError as exc:
                return raw_response(seen, error=exc)
        return raw_response(seen, pager)

    functools.update_wrapper(call, method)  # name, docstring, and the signature for inspect
    return call


class AsyncStreamedResponse(ResponseInfo, Generic[T]):
    """A streaming call's response: status and headers are here, the body is not read yet.

    :meth:`parse` iterates the body as the method would (events, ...); or read it yourself
    through ``http_response`` (``iter_bytes()``/``aiter_bytes()``, ``iter_lines()``/...).
    """

    def __init__(
        self, http_response: httpx.Response, parse: Callable[[], AsyncIterator[T]]
    ) -> None:
        super().__init__(http_response)
        self._parse = parse

    def parse(self) -> AsyncIterator[T]:
        """The items the method would yield, decoded as they arrive."""
        return self._parse()
