"""Lazy iteration over ``skip``/``limit`` list endpoints: the page and the limits, in both modes.

The pagers themselves are ``spheron._async._pagination.AsyncPager`` and its generated sync copy
``spheron._sync._pagination.SyncPager``.

A pager fetches one page at a time when iterated and stops at the first short page (fewer
items than asked for) or once ``limit`` items have been yielded::

    for project in client.organizations.projects(page_size=50, limit=200):
        ...
    first = client.organizations.projects().first_page()
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["DEFAULT_PAGE_SIZE", "Page", "PagerBase"]

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
"""Items asked for per request unless ``page_size`` says otherwise."""


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
