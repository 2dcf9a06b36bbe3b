"""Finding 4: pagination must end, and never yield more than ``limit``.

A server that always answers a full page (the same one, or fresh items forever) used to get
15,000 requests in 10 s; now a repeated page raises ``PaginationError`` at once and fresh full
pages stop at ``max_pages``. Requests are counted at the server.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import pytest

from spheron import PaginationError, Spheron
from tests._modes import collect, open_client
from tests.hostile._servers import SeenRequest, Send, hostile_server, http_response

from .._complete import complete

TOKEN = "spheron_pagination_token_77aa"


def _query(request: SeenRequest) -> dict[str, int]:
    return {k: int(v[0]) for k, v in parse_qs(urlsplit(request.target).query).items()}


def _projects(ids: list[str]) -> bytes:
    return json.dumps(
        {"projects": [complete("Project", {"_id": i, "name": i}) for i in ids]}
    ).encode()


def same_full_page(request: SeenRequest, send: Send) -> None:
    size = _query(request)["limit"]
    send(http_response(200, _projects([f"p{i}" for i in range(size)])))


def fresh_full_pages(request: SeenRequest, send: Send) -> None:
    query = _query(request)
    start = query.get("skip", 0)
    send(http_response(200, _projects([f"p{start + i}" for i in range(query["limit"])])))


def too_long_pages(request: SeenRequest, send: Send) -> None:
    start = _query(request).get("skip", 0)
    send(http_response(200, _projects([f"p{start + i}" for i in range(50)])))


def _collect(mode: str, url: str, **pager: Any) -> tuple[list[str], BaseException | None]:
    """Iterate ``organizations.projects`` and return the ids seen and what was raised."""
    seen: list[Any] = []
    max_pages = pager.pop("max_pages", None)

    async def run() -> BaseException | None:
        async with open_client(mode, token=TOKEN, base_url=url, organization_id="o1") as client:
            it = client.organizations.list_projects(**pager)
            if max_pages is not None:
                it.max_pages = max_pages
            try:
                await collect(it, into=seen)
            except Exception as exc:
                return exc
        return None

    error = anyio.run(run)
    return [p.id for p in seen], error


def test_a_server_that_repeats_its_page_is_caught_on_the_second_request(mode: str) -> None:
    with hostile_server(same_full_page) as server:
        seen, raised = _collect(mode, server.url, page_size=10)
        assert len(server.requests) == 2
    assert isinstance(raised, PaginationError)
    assert "ignores skip" in str(raised) and raised.pages == 2
    assert seen == [f"p{i}" for i in range(10)]  # the first page was real data, kept


def test_fresh_full_pages_forever_stop_at_max_pages(mode: str) -> None:
    with hostile_server(fresh_full_pages) as server:
        seen, raised = _collect(mode, server.url, page_size=5, max_pages=7)
        assert len(server.requests) == 7
    assert isinstance(raised, PaginationError)
    assert "max_pages=7" in str(raised)
    assert seen == [f"p{i}" for i in range(35)]


@pytest.mark.parametrize("limit", [1, 20, 30, 75])
def test_never_more_than_limit_even_from_a_server_that_answers_more(mode: str, limit: int) -> None:
    with hostile_server(too_long_pages) as server:
        seen, raised = _collect(mode, server.url, page_size=20, limit=limit)
        sent = [_query(r)["limit"] for r in server.requests]
    assert raised is None
    assert seen == [f"p{i}" for i in range(limit)]
    # The extra items a long page brought are used, not fetched again: one request per 50.
    assert all(size <= 20 for size in sent) and len(sent) == -(-limit // 50)


def test_the_default_page_cap_bounds_a_runaway_server() -> None:
    from spheron import SyncPager
    from spheron._pagination import DEFAULT_MAX_PAGES

    calls = 0

    def fetch(skip: int, size: int) -> list[int]:
        nonlocal calls
        calls += 1
        return list(range(skip, skip + size))

    with pytest.raises(PaginationError):
        for _ in SyncPager(fetch, page_size=1):
            pass
    assert calls == DEFAULT_MAX_PAGES


def test_max_pages_must_be_positive() -> None:
    from spheron import SyncPager

    with pytest.raises(ValueError, match="max_pages"):
        SyncPager(lambda s, n: [], max_pages=0)


def test_first_page_is_trimmed_to_limit() -> None:
    with (
        hostile_server(too_long_pages) as server,
        Spheron(token=TOKEN, base_url=server.url, organization_id="o1") as client,
    ):
        page = client.organizations.list_projects(limit=5).first_page()
    assert [p.id for p in page] == [f"p{i}" for i in range(5)]
