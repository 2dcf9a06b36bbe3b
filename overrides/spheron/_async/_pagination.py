"""The pager: fetches pages of a ``skip``/``limit`` list endpoint lazily as it is iterated."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from .._pagination import DEFAULT_PAGE_SIZE, Page, PagerBase
from ._primitives import Await

__all__ = ["AsyncPager"]

T = TypeVar("T")


class AsyncPager(PagerBase[T]):
    """Iterate a list endpoint lazily; ``first_page()``/``page(skip)`` fetch a single page."""

    def __init__(
        self,
        fetch: Callable[[int, int], Await[list[T]]],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        skip: int = 0,
        max_pages: int | None = None,
    ) -> None:
        super().__init__(page_size=page_size, limit=limit, skip=skip, max_pages=max_pages)
        self._fetch = fetch

    async def page(self, skip: int | None = None, *, size: int | None = None) -> Page[T]:
        """Fetch one page starting at ``skip`` (default: the pager's start)."""
        start = self.skip if skip is None else skip
        requested = self.page_size if size is None else size
        return Page(await self._fetch(start, requested), start, requested)

    async def first_page(self) -> Page[T]:
        """Fetch the first page only (at most ``limit`` items)."""
        size = self._request_size(0)
        return self._trim(await self.page(size=size), 0) if size else Page([], self.skip, 0)

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Yield pages until a short page or ``limit``; :class:`PaginationError` on a loop."""
        skip, yielded, fetched = self.skip, 0, 0
        previous: Page[T] | None = None
        while (size := self._request_size(yielded)) > 0:
            self._check_budget(fetched, skip)
            page = await self.page(skip, size=size)
            fetched += 1
            self._check_repeat(page, previous, fetched)
            previous = page
            page = self._trim(page, yielded)
            yielded += len(page.items)
            yield page
            if page.next_skip is None:
                return
            skip = page.next_skip

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item

    async def to_list(self) -> list[T]:
        """Every item (up to ``limit``) in one list."""
        return [item async for item in self]
