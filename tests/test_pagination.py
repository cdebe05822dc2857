"""CCAI page/per and Evo Page/hasMorePages walking, every page through the client."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from ccmon.http import RateLimiter, SourceClient, SourceError
from ccmon.http.pagination import MAX_PAGES, ccai_pages, evo_pages

BASE = "https://acme.example.test/manager/api/v1"


def client_for(handler: Callable[[httpx.Request], httpx.Response]) -> SourceClient:
    return SourceClient(
        "ccai", BASE, limiter=RateLimiter(100, margin_s=0.0), transport=httpx.MockTransport(handler)
    )


def rows(start: int, count: int) -> list[dict[str, int]]:
    return [{"id": i} for i in range(start, start + count)]


async def collect_ccai(
    client: SourceClient, per: int = 3, max_pages: int = MAX_PAGES
) -> list[list[object]]:
    pages = ccai_pages(client, "agents", {"x": "1"}, per=per, max_pages=max_pages)
    return [page async for page in pages]


async def test_stops_on_a_short_page_without_headers() -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        page = int(request.url.params["page"])
        return httpx.Response(200, json=rows(page * 10, 3 if page < 3 else 1))

    async with client_for(handler) as client:
        pages = await collect_ccai(client)
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [u.params["page"] for u in seen] == ["1", "2", "3"]
    assert all(u.params["per"] == "3" and u.params["x"] == "1" for u in seen)


async def test_total_header_avoids_an_extra_empty_request() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(200, json=rows(0, 3), headers={"Total": "6", "Per-Page": "3"})

    async with client_for(handler) as client:
        pages = await collect_ccai(client)
    assert len(pages) == 2
    assert calls == 2


async def test_link_next_is_followed_and_its_absence_stops() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        headers = (
            {"Link": f'<{BASE}/agents?page={page + 1}&per=3>; rel="next"'}
            if page < 2
            else {"Link": f'<{BASE}/agents?page=1&per=3>; rel="first"'}
        )
        return httpx.Response(200, json=rows(page, 3), headers=headers)

    async with client_for(handler) as client:
        pages = await collect_ccai(client)
    assert len(pages) == 2


async def test_link_to_another_host_is_not_followed() -> None:
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        page = int(request.url.params["page"])
        link = '<https://evil.example.test/steal?page=2>; rel="next"'
        return httpx.Response(200, json=rows(page, 3 if page == 1 else 0), headers={"Link": link})

    async with client_for(handler) as client:
        await collect_ccai(client)
    assert set(hosts) == {"acme.example.test"}


async def test_max_pages_bounds_a_server_that_never_ends() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=rows(0, 3))

    async with client_for(handler) as client:
        pages = await collect_ccai(client, max_pages=5)
    assert len(pages) == 5


async def test_non_list_body_is_a_clear_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"error": "nope"})

    async with client_for(handler) as client:
        with pytest.raises(SourceError, match="sent a JSON dict, expected a list"):
            await collect_ccai(client)


async def test_evo_pages_are_zero_based_and_stop_on_has_more_pages() -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        page = int(request.url.params["Page"])
        return httpx.Response(200, json={"items": rows(page, 2), "hasMorePages": page < 2})

    async with client_for(handler) as client:
        pages = [p async for p in evo_pages(client, "portal/activity", per=2)]
    assert len(pages) == 3
    assert [u.params["Page"] for u in seen] == ["0", "1", "2"]
    assert seen[0].params["SimplifiedPaging"] == "true"
    assert seen[0].params["CountPerPage"] == "2"


async def test_evo_without_simplified_paging_uses_total_pages() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"Items": rows(0, 2), "TotalPages": 2})

    async with client_for(handler) as client:
        pages = [p async for p in evo_pages(client, "portal/activity", per=2)]
    assert len(pages) == 2


async def test_evo_empty_items_end_paging() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["Page"])
        return httpx.Response(200, json={"items": rows(0, 2) if page == 0 else []})

    async with client_for(handler) as client:
        pages = [p async for p in evo_pages(client, "portal/activity", per=2)]
    assert [len(p) for p in pages] == [2, 0]
