"""Lazy iteration over ``skip``/``limit`` list endpoints.

A pager fetches one page at a time when iterated and stops at the first short page (fewer
items than asked for) or once ``limit`` items have been yielded::

    for project in client.organizations.projects(page_size=50, limit=200):
        ...
    first = client.organizations.projects().first_page()
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["DEFAULT_PAGE_SIZE", "AsyncPager", "Page", "SyncPager"]

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
"""Items asked for per request unless ``page_size`` says otherwise."""

PageFetcher = Callable[[int, int], list[T]]
AsyncPageFetcher = Callable[[int, int], Awaitable[list[T]]]


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page: the ``items`` answered for ``skip`` when ``requested`` were asked for."""

    items: list[T]
    skip: int
    requested: int

    @property
    def has_more(self) -> bool:
        """Whether a further page may exist (this one was full)."""
        return self.requested > 0 and len(self.items) >= self.requested

    @property
    def next_skip(self) -> int | None:
        """The ``skip`` of the following page, or ``None`` after a short page."""
        return self.skip + len(self.items) if self.has_more else None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class _PagerBase(Generic[T]):
    def __init__(self, *, page_size: int, limit: int | None, skip: int) -> None:
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, got {page_size}")
        if limit is not None and limit < 0:
            raise ValueError(f"limit must not be negative, got {limit}")
        if skip < 0:
            raise ValueError(f"skip must not be negative, got {skip}")
        self.page_size = page_size
        self.limit = limit
        self.skip = skip

    def _request_size(self, yielded: int) -> int:
        if self.limit is None:
            return self.page_size
        return min(self.page_size, self.limit - yielded)

    def _trim(self, page: Page[T], yielded: int) -> Page[T]:
        """Drop items beyond ``limit`` (a server may answer more than it was asked for)."""
        if self.limit is None or len(page.items) <= self.limit - yielded:
            return page
        return Page(page.items[: self.limit - yielded], page.skip, page.requested)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(page_size={self.page_size}, limit={self.limit}, "
            f"skip={self.skip})"
        )


class SyncPager(_PagerBase[T]):
    """Iterate a list endpoint lazily; ``first_page()``/``page(skip)`` fetch a single page."""

    def __init__(
        self,
        fetch: PageFetcher[T],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        skip: int = 0,
    ) -> None:
        super().__init__(page_size=page_size, limit=limit, skip=skip)
        self._fetch = fetch

    def page(self, skip: int | None = None, *, size: int | None = None) -> Page[T]:
        """Fetch one page starting at ``skip`` (default: the pager's start)."""
        start = self.skip if skip is None else skip
        requested = self.page_size if size is None else size
        return Page(self._fetch(start, requested), start, requested)

    def first_page(self) -> Page[T]:
        """Fetch the first page only (at most ``limit`` items)."""
        size = self._request_size(0)
        return self.page(size=size) if size else Page([], self.skip, 0)

    def pages(self) -> Iterator[Page[T]]:
        """Yield pages until a short page or ``limit``; the last may be trimmed to ``limit``."""
        skip, yielded = self.skip, 0
        while (size := self._request_size(yielded)) > 0:
            page = self._trim(self.page(skip, size=size), yielded)
            yielded += len(page.items)
            yield page
            if page.next_skip is None:
                return
            skip = page.next_skip

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items

    def to_list(self) -> list[T]:
        """Every item (up to ``limit``) in one list."""
        return list(self)


class AsyncPager(_PagerBase[T]):
    """The ``async for`` twin of :class:`SyncPager`."""

    def __init__(
        self,
        fetch: AsyncPageFetcher[T],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        skip: int = 0,
    ) -> None:
        super().__init__(page_size=page_size, limit=limit, skip=skip)
        self._fetch = fetch

    async def page(self, skip: int | None = None, *, size: int | None = None) -> Page[T]:
        """Fetch one page starting at ``skip`` (default: the pager's start)."""
        start = self.skip if skip is None else skip
        requested = self.page_size if size is None else size
        return Page(await self._fetch(start, requested), start, requested)

    async def first_page(self) -> Page[T]:
        """Fetch the first page only (at most ``limit`` items)."""
        size = self._request_size(0)
        return await self.page(size=size) if size else Page([], self.skip, 0)

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Yield pages until a short page or ``limit``; the last may be trimmed to ``limit``."""
        skip, yielded = self.skip, 0
        while (size := self._request_size(yielded)) > 0:
            page = self._trim(await self.page(skip, size=size), yielded)
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
