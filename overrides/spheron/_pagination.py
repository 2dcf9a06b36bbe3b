"""Lazy iteration over ``skip``/``limit`` list endpoints: the page, the limits and the loop
checks, in both modes.

The pagers themselves are ``spheron._async._pagination.AsyncPager`` and its generated sync copy
``spheron._sync._pagination.SyncPager``.

A pager fetches one page at a time when iterated and stops at the first short page (fewer
items than asked for) or once ``limit`` items have been yielded. A server that answers the same
full page again (it ignores ``skip``) raises :class:`PaginationError` instead of looping forever,
and so does going past ``max_pages`` pages (default 10,000)::

    for project in client.organizations.list_projects(page_size=50, limit=200):
        ...
    first = client.organizations.list_projects().first_page()
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from ._errors import InvalidArgumentError, SpheronError

__all__ = ["DEFAULT_MAX_PAGES", "DEFAULT_PAGE_SIZE", "Page", "PagerBase", "PaginationError"]

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
    value = getattr(item, "id", None)
    if isinstance(value, str):
        return value
    to_dict = getattr(item, "to_dict", None)
    return repr(to_dict()) if callable(to_dict) else repr(item)


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


class PagerBase(Generic[T]):
    def __init__(
        self, *, page_size: int, limit: int | None, skip: int, max_pages: int | None = None
    ) -> None:
        max_pages = DEFAULT_MAX_PAGES if max_pages is None else max_pages
        if max_pages < 1:
            raise InvalidArgumentError(f"max_pages must be at least 1, got {max_pages}")
        self.max_pages = max_pages
        if page_size < 1:
            raise InvalidArgumentError(f"page_size must be at least 1, got {page_size}")
        if limit is not None and limit < 0:
            raise InvalidArgumentError(f"limit must not be negative, got {limit}")
        if skip < 0:
            raise InvalidArgumentError(f"skip must not be negative, got {skip}")
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
