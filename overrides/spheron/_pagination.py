"""Lazy iteration over ``skip``/``limit`` list endpoints.

A pager fetches one page at a time when iterated and stops at the first short page (fewer
items than asked for) or once ``limit`` items have been yielded. A server that answers the same
full page again (it ignores ``skip``) raises :class:`PaginationError` instead of looping forever,
and so does going past ``max_pages`` pages (default 10,000)::

    for project in client.organizations.projects(page_size=50, limit=200):
        ...
    first = client.organizations.projects().first_page()
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from ._errors import SpheronError

__all__ = [
    "DEFAULT_MAX_PAGES",
    "DEFAULT_PAGE_SIZE",
    "AsyncPager",
    "Page",
    "PaginationError",
    "SyncPager",
]

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
"""Items asked for per request unless ``page_size`` says otherwise."""

DEFAULT_MAX_PAGES = 10_000
"""Pages one iteration may fetch before :class:`PaginationError` (a runaway server's bound)."""


class PaginationError(SpheronError):
    """The server's pages cannot be followed: a page repeats the previous one, or too many pages.

    ``pages`` is how many pages were fetched, ``skip`` the offset of the offending page.
    """

    def __init__(self, message: str, *, pages: int, skip: int) -> None:
        super().__init__(message)
        self.pages = pages
        self.skip = skip


def _identity(item: object) -> object:
    """What tells two items apart: the API's ``_id`` when the model has one, else the item."""
    for name in ("id", "field_id"):
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value
    to_dict = getattr(item, "to_dict", None)
    return repr(to_dict()) if callable(to_dict) else repr(item)


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
    def __init__(
        self, *, page_size: int, limit: int | None, skip: int, max_pages: int | None = None
    ) -> None:
        max_pages = DEFAULT_MAX_PAGES if max_pages is None else max_pages
        if max_pages < 1:
            raise ValueError(f"max_pages must be at least 1, got {max_pages}")
        self.max_pages = max_pages
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

    def _check_repeat(self, page: Page[T], previous: Page[T] | None, fetched: int) -> None:
        """Raise when ``page`` repeats ``previous``: the server ignores ``skip``."""
        if (
            previous is not None
            and page.items
            and [_identity(i) for i in page.items] == [_identity(i) for i in previous.items]
        ):
            raise PaginationError(
                f"the server answered the same {len(page.items)} items for skip={page.skip} as "
                f"for skip={previous.skip}: it ignores skip, so paging would never end",
                pages=fetched,
                skip=page.skip,
            )

    def _check_budget(self, fetched: int, skip: int) -> None:
        """Raise before fetching one page more than ``max_pages``."""
        if fetched >= self.max_pages:
            raise PaginationError(
                f"stopped after {fetched} pages (max_pages={self.max_pages}) and the server "
                "still answers full pages; pass a larger max_pages= or a limit=",
                pages=fetched,
                skip=skip,
            )

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
        max_pages: int | None = None,
    ) -> None:
        super().__init__(page_size=page_size, limit=limit, skip=skip, max_pages=max_pages)
        self._fetch = fetch

    def page(self, skip: int | None = None, *, size: int | None = None) -> Page[T]:
        """Fetch one page starting at ``skip`` (default: the pager's start)."""
        start = self.skip if skip is None else skip
        requested = self.page_size if size is None else size
        return Page(self._fetch(start, requested), start, requested)

    def first_page(self) -> Page[T]:
        """Fetch the first page only (at most ``limit`` items)."""
        size = self._request_size(0)
        return self._trim(self.page(size=size), 0) if size else Page([], self.skip, 0)

    def pages(self) -> Iterator[Page[T]]:
        """Yield pages until a short page or ``limit``; :class:`PaginationError` on a loop."""
        skip, yielded, fetched = self.skip, 0, 0
        previous: Page[T] | None = None
        while (size := self._request_size(yielded)) > 0:
            self._check_budget(fetched, skip)
            page = self.page(skip, size=size)
            fetched += 1
            self._check_repeat(page, previous, fetched)
            previous = page
            page = self._trim(page, yielded)
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
