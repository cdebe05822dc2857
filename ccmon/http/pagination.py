"""Walk paged list endpoints, every page through the same rate-limited client.

CCAI: ``page`` (1-based) and ``per``; follow ``Link: rel="next"`` when the server sends Link
headers, else stop when ``Total`` says so, else on a short page. Evo: 0-based ``Page`` and
``CountPerPage`` with ``SimplifiedPaging`` → ``hasMorePages``. Both stop at ``max_pages`` so a
misbehaving server cannot keep a feed paging forever.

Each further page of a walk asks the limiter with a priority one :class:`PagePacer`
spacing later than the page before, so a long walk (a 5,000-agent roster is 50 pages)
interleaves with the other feeds' requests instead of holding the budget until it is done.
The pacer is shared by every walk of a source: on a big floor's first fill the roster, the
menu tree and an hour of calls and chats are all walked at once, and together they still
take one page per spacing, not one each.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from ccmon.http.client import JsonResponse, SourceClient
from ccmon.http.errors import ErrorKind, SourceError

log = logging.getLogger(__name__)

MAX_PAGES = 200


class PagePacer:
    """The priorities of further pages, for every walk of one source (see the module doc)."""

    def __init__(self, spacing_s: float) -> None:
        self.spacing_s = spacing_s
        self._next = float("-inf")

    def priority(self, first: float, page: int) -> float:
        """The priority of ``page`` (1-based) of a walk whose first page asked at ``first``."""
        if page <= 1 or self.spacing_s <= 0:
            return first
        wanted = max(first + (page - 1) * self.spacing_s, self._next)
        self._next = wanted + self.spacing_s
        return wanted


def _page_priority(priority: float, page: int, pacer: PagePacer | None) -> float:
    """``pacer`` None: every page at ``priority`` (live feeds, ``snapshot``, ``doctor``)."""
    return priority if pacer is None else pacer.priority(priority, page)


def expect_list(client: SourceClient, response: JsonResponse, endpoint: str) -> list[Any]:
    if isinstance(response.data, list):
        return response.data
    raise SourceError(
        ErrorKind.BAD_RESPONSE,
        f"{client.name}: {endpoint} sent a JSON {type(response.data).__name__}, expected a list",
        status=response.status,
        endpoint=endpoint,
    )


def _int_header(response: JsonResponse, *names: str) -> int | None:
    for name in names:
        value = response.headers.get(name)
        if value is not None:
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def ccai_pages(
    client: SourceClient,
    path: str,
    params: dict[str, Any] | None = None,
    *,
    per: int = 100,
    priority: float = 0.0,
    pacer: PagePacer | None = None,
    max_pages: int = MAX_PAGES,
) -> AsyncIterator[list[Any]]:
    """Yield each page's list of raw records; ``pacer`` spaces the pages after the first."""
    target = path
    query: dict[str, Any] | None = {**(params or {}), "page": 1, "per": per}
    for page in range(1, max_pages + 1):
        response = await client.get_json(
            target, query, priority=_page_priority(priority, page, pacer)
        )
        items = expect_list(client, response, "/" + path)
        yield items
        if not items:
            return
        if "link" in response.headers:
            nxt = response.next_link
            if nxt is None:
                return
            if client.same_origin(nxt):
                target, query = nxt, None
                continue
            log.warning("%s: ignoring a Link rel=next to another host", client.name)
        per_page = _int_header(response, "per-page", "x-per-page") or per
        total = _int_header(response, "total", "x-total", "x-total-count")
        if (total is not None and page * per_page >= total) or len(items) < per_page:
            return
        target, query = path, {**(params or {}), "page": page + 1, "per": per}
    log.warning("%s: stopped paging /%s after %d pages", client.name, path, max_pages)


def _field(data: dict[str, Any], name: str) -> Any:
    """ServiceStack may send camelCase or PascalCase."""
    return data.get(name, data.get(name[:1].upper() + name[1:]))


async def evo_pages(
    client: SourceClient,
    path: str,
    params: dict[str, Any] | None = None,
    *,
    per: int = 100,
    priority: float = 0.0,
    pacer: PagePacer | None = None,
    max_pages: int = MAX_PAGES,
) -> AsyncIterator[list[Any]]:
    """Yield each page's ``items``; ``pacer`` spaces the pages after the first."""
    for page in range(max_pages):
        query = {**(params or {}), "Page": page, "CountPerPage": per, "SimplifiedPaging": "true"}
        response = await client.get_json(
            path, query, priority=_page_priority(priority, page + 1, pacer)
        )
        data = response.data
        items = _field(data, "items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise SourceError(
                ErrorKind.BAD_RESPONSE,
                f"{client.name}: /{path} sent no 'items' list",
                status=response.status,
                endpoint="/" + path,
            )
        yield items
        more = _field(data, "hasMorePages")
        pages = _field(data, "totalPages")
        if not items or more is False:
            return
        if more is None and (
            (isinstance(pages, int) and 0 < pages <= page + 1) or len(items) < per
        ):
            return
    log.warning("%s: stopped paging /%s after %d pages", client.name, path, max_pages)
