"""The pager engine, and every ``skip``/``limit`` list endpoint behind a namespace method."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from spheron import AsyncPager, Page, SyncPager

from .._complete import complete_answer
from ._fakes import FakeApi, FakeClient, collect, namespace, resolve

# --- the engine -------------------------------------------------------------------------


class Source:
    """``total`` numbered items served by skip/limit; records each request."""

    def __init__(self, total: int, *, cap: int | None = None) -> None:
        self.items = list(range(total))
        self.cap = cap
        self.requests: list[tuple[int, int]] = []

    def fetch(self, skip: int, limit: int) -> list[int]:
        self.requests.append((skip, limit))
        size = limit if self.cap is None else max(limit, self.cap)
        return self.items[skip : skip + size]

    async def afetch(self, skip: int, limit: int) -> list[int]:
        return self.fetch(skip, limit)


def pager(source: Source, mode: str, **kwargs: Any) -> SyncPager[int] | AsyncPager[int]:
    if mode == "sync":
        return SyncPager(source.fetch, **kwargs)
    return AsyncPager(source.afetch, **kwargs)


async def test_iterates_across_page_boundaries(mode: str) -> None:
    source = Source(7)

    items = await collect(pager(source, mode, page_size=3))

    assert items == list(range(7))
    assert source.requests == [(0, 3), (3, 3), (6, 3)]


async def test_exact_multiple_needs_one_empty_page(mode: str) -> None:
    source = Source(6)

    assert await collect(pager(source, mode, page_size=3)) == list(range(6))
    assert source.requests == [(0, 3), (3, 3), (6, 3)]


async def test_limit_caps_items_and_shrinks_the_last_request(mode: str) -> None:
    source = Source(100)

    items = await collect(pager(source, mode, page_size=4, limit=10))

    assert items == list(range(10))
    assert source.requests == [(0, 4), (4, 4), (8, 2)]


async def test_limit_smaller_than_page_size(mode: str) -> None:
    source = Source(100)

    assert await collect(pager(source, mode, page_size=50, limit=3)) == [0, 1, 2]
    assert source.requests == [(0, 3)]


async def test_limit_zero_sends_nothing(mode: str) -> None:
    source = Source(5)

    assert await collect(pager(source, mode, limit=0)) == []
    assert (await resolve(pager(source, mode, limit=0).first_page())).items == []
    assert source.requests == []


async def test_empty_source_takes_one_request(mode: str) -> None:
    source = Source(0)

    assert await collect(pager(source, mode)) == []
    assert source.requests == [(0, 20)]


async def test_server_answering_more_than_asked_is_trimmed_to_limit(mode: str) -> None:
    source = Source(30, cap=10)

    assert await collect(pager(source, mode, page_size=2, limit=5)) == [0, 1, 2, 3, 4]


async def test_server_answering_more_than_asked_is_not_skipped_over(mode: str) -> None:
    source = Source(25, cap=10)

    assert await collect(pager(source, mode, page_size=2)) == list(range(25))
    assert source.requests == [(0, 2), (10, 2), (20, 2), (25, 2)]


async def test_first_page_and_page(mode: str) -> None:
    source = Source(5)
    pages = pager(source, mode, page_size=2)

    first = await resolve(pages.first_page())
    third = await resolve(pages.page(4))

    assert (first.items, first.has_more, first.next_skip) == ([0, 1], True, 2)
    assert (third.items, third.has_more, third.next_skip) == ([4], False, None)
    assert list(first) == [0, 1] and len(third) == 1
    assert source.requests == [(0, 2), (4, 2)]


async def test_start_skip(mode: str) -> None:
    source = Source(5)

    assert await collect(pager(source, mode, page_size=2, skip=3)) == [3, 4]


async def test_pages(mode: str) -> None:
    source = Source(5)
    pages = pager(source, mode, page_size=2).pages()

    assert [p.items for p in await collect(pages)] == [[0, 1], [2, 3], [4]]


async def test_to_list(mode: str) -> None:
    assert await resolve(pager(Source(3), mode, page_size=2).to_list()) == [0, 1, 2]


async def test_lazy_until_iterated(mode: str) -> None:
    source = Source(5)

    pager(source, mode)

    assert source.requests == []


@pytest.mark.parametrize("kwargs", [{"page_size": 0}, {"limit": -1}, {"skip": -1}])
def test_rejects_bad_arguments(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        SyncPager(Source(1).fetch, **kwargs)


def test_page_of_zero_requested_has_no_more() -> None:
    assert not Page([], 0, 0).has_more


# --- the namespaces ---------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    target: str
    path: str
    wrap: Callable[[list[dict[str, Any]]], Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.target + ("+" + ",".join(self.kwargs) if self.kwargs else "")


def under(key: str) -> Callable[[list[dict[str, Any]]], Any]:
    return lambda items: {key: items}


def bare(items: list[dict[str, Any]]) -> Any:
    return items


ORG = "/v1/organization/org-1"
LISTINGS = [
    Listing(
        "organizations.list_projects",
        f"{ORG}/projects",
        under("projects"),
        kwargs={"state": "MAINTAINED"},
        query={"state": "MAINTAINED"},
    ),
    # Bucket filters that are not given are sent empty, as @spheron/core sends them.
    Listing(
        "organizations.list_buckets",
        f"{ORG}/buckets",
        under("buckets"),
        query={"name": "", "state": ""},
    ),
    Listing(
        "organizations.list_buckets",
        f"{ORG}/buckets/domains",
        under("buckets"),
        kwargs={"with_domains": True, "name": "site"},
        query={"name": "site", "state": ""},
    ),
    Listing(
        "organizations.list_compute_projects", f"{ORG}/compute-projects", under("computeProjects")
    ),
    Listing(
        "projects.list_deployments",
        "/v1/project/p1/deployments",
        bare,
        args=("p1",),
        kwargs={"status": "Deployed"},
        query={"status": "Deployed"},
    ),
    Listing(
        "storage.buckets.list",
        f"{ORG}/buckets",
        under("buckets"),
        kwargs={"state": "ARCHIVED"},
        query={"name": "", "state": "ARCHIVED"},
    ),
    Listing("storage.buckets.list_uploads", "/v1/bucket/b1/uploads", bare, args=("b1",)),
    Listing("compute.projects.list", f"{ORG}/compute-projects", under("computeProjects")),
    Listing(
        "compute.projects.list_instances",
        "/v1/compute-project/cp-1/instances",
        under("extendedInstances"),
        args=("cp-1",),
        kwargs={"topup_report": True},
        query={"topupReport": "y"},
    ),
    Listing(
        "compute.instances.list",
        "/v1/compute-instance",
        under("instances"),
        kwargs={"state": "Active", "compute_project_id": "cp-1"},
        query={"organizationId": "org-1", "state": "Active", "computeProjectId": "cp-1"},
    ),
    Listing(
        "compute.machine_images.list",
        "/v1/compute-machine-image",
        lambda items: {"akashMachineImages": items, "totalCount": 5},
        kwargs={"search": "gpu", "region": "us-east"},
        query={"searchString": "gpu", "region": "us-east"},
    ),
]


def serve(fake: FakeApi, listing: Listing, total: int) -> None:
    items = [{"_id": f"item-{n}"} for n in range(total)]

    def answer(request: httpx.Request) -> httpx.Response:
        skip = int(request.url.params["skip"])
        limit = int(request.url.params["limit"])
        page = complete_answer("GET", listing.path, listing.wrap(items[skip : skip + limit]))
        return httpx.Response(200, json=page)

    fake.route("GET", listing.path, answer)


def listed(client: FakeClient, mode: str, listing: Listing, **kwargs: Any) -> Any:
    target, _, method = listing.target.rpartition(".")
    call = getattr(namespace(client, mode, target), method)
    return call(*listing.args, **listing.kwargs, **kwargs)


def pages_asked(fake: FakeApi, listing: Listing) -> list[tuple[str, str, dict[str, str]]]:
    return [(s.method, s.path, s.query) for s in fake.sent]


def query(listing: Listing, skip: int, limit: int) -> dict[str, str]:
    return {**listing.query, "skip": str(skip), "limit": str(limit)}


@pytest.mark.parametrize("listing", LISTINGS, ids=str)
async def test_listing_walks_all_pages(
    listing: Listing, mode: str, fake: FakeApi, client: FakeClient
) -> None:
    serve(fake, listing, 5)

    items = await collect(listed(client, mode, listing, page_size=2))

    assert [item.id for item in items] == [f"item-{n}" for n in range(5)]
    assert pages_asked(fake, listing) == [
        ("GET", listing.path, query(listing, 0, 2)),
        ("GET", listing.path, query(listing, 2, 2)),
        ("GET", listing.path, query(listing, 4, 2)),
    ]


@pytest.mark.parametrize("listing", LISTINGS, ids=str)
async def test_listing_limit_and_first_page(
    listing: Listing, mode: str, fake: FakeApi, client: FakeClient
) -> None:
    serve(fake, listing, 50)

    items = await collect(listed(client, mode, listing, page_size=4, limit=6))
    first = await resolve(listed(client, mode, listing).first_page())

    assert len(items) == 6
    assert len(first.items) == 20
    assert pages_asked(fake, listing) == [
        ("GET", listing.path, query(listing, 0, 4)),
        ("GET", listing.path, query(listing, 4, 2)),
        ("GET", listing.path, query(listing, 0, 20)),
    ]
