"""A long paged walk (a 5,000-agent roster is 50 pages) must not hold a source's budget.

The walk and a live poll share one real rate limiter; the walk's pages come from
``ccai_pages`` and the poll loop decides their spacing per tier.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence

import httpx

from ccmon.domain import Collection, Record
from ccmon.engine.scheduler import PAGE_SPACING_REQUESTS, SourcePoller
from ccmon.http import RateLimiter, SourceClient
from ccmon.http.pagination import PagePacer, ccai_pages
from ccmon.sources.base import Feed, FeedRun, Source, Tier
from tests.support.waiting import eventually

BASE = "https://acme.example.test/manager/api/v1"
PAGES = 30


def roster_pages(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/agents"):
        page = int(request.url.params["page"])
        return httpx.Response(200, json=[{"id": page}] * (100 if page < PAGES else 1))
    return httpx.Response(200, json=[])


async def longest_live_gap(spacing: float) -> float:
    """Walk the roster while a live feed polls every 0.1 s; the live feed's longest wait."""
    limiter = RateLimiter(20, margin_s=0.0)  # a request every 0.05 s
    transport = httpx.MockTransport(roster_pages)
    async with SourceClient("ccai", BASE, limiter=limiter, transport=transport) as client:

        async def walk() -> None:
            pacer = PagePacer(spacing)
            async for _ in ccai_pages(client, "agents", priority=time.monotonic(), pacer=pacer):
                pass

        roster = asyncio.create_task(walk())
        answered = [time.monotonic()]
        while not roster.done():
            due = time.monotonic()
            await client.get_json("agents/current_status", priority=due)
            answered.append(time.monotonic())
            await asyncio.sleep(max(0.0, due + 0.1 - time.monotonic()))
        await roster
    return max(b - a for a, b in itertools.pairwise(answered))


async def test_spaced_pages_leave_room_for_the_live_feed() -> None:
    unspaced = await longest_live_gap(0.0)
    spaced = await longest_live_gap(PAGE_SPACING_REQUESTS * 0.05)
    assert unspaced > 1.0  # the whole walk (30 x 0.05 s) went first
    assert spaced < 0.5, spaced


class TieredSource(Source):
    """One feed per tier; each records the page spacing its poll loop gave it."""

    name = "ccai"

    def __init__(self) -> None:
        super().__init__(SourceClient("ccai", BASE, limiter=RateLimiter(1.0)))
        self.spacing: dict[str, list[float]] = {tier.name.lower(): [] for tier in Tier}
        self._feeds = [
            Feed("ccai", tier.name.lower(), tier, 0.01, (), self._runner(tier.name.lower()))
            for tier in Tier
        ]

    def _runner(self, name: str) -> FeedRun:
        async def run(priority: float = 0.0, pacer: PagePacer | None = None) -> None:
            self.spacing[name].append(0.0 if pacer is None else pacer.spacing_s)

        return run

    def feeds(self) -> Sequence[Feed]:
        return self._feeds

    def records(self, collection: Collection) -> Sequence[Record]:
        return []


async def test_only_live_feeds_are_not_spaced_the_first_walk_included() -> None:
    # An unspaced first roster walk held the budget at 5,000 agents (50 pages) for 50 s.
    source = TieredSource()
    poller = SourcePoller(source, lambda feed: None)
    poller.start()
    try:
        await eventually(lambda: min(map(len, source.spacing.values())) >= 2)
    finally:
        await poller.stop()
        await source.aclose()
    spaced = PAGE_SPACING_REQUESTS * (1.0 + 0.05)
    assert source.spacing["live"][:2] == [0.0, 0.0]
    assert source.spacing["reference"][:2] == [spaced, spaced]
    assert source.spacing["near"][:2] == [spaced, spaced]
    assert source.spacing["history"][:2] == [spaced, spaced]


def test_walks_at_once_share_one_page_spacing() -> None:
    # A big floor's first fill walks the roster, the menu tree and an hour of calls and
    # chats at once: together they may take one page per spacing, not one each.
    pacer = PagePacer(8.0)
    asked = []
    for page in (2, 3, 4):
        for first in (0.0, 1.0, 5.0):  # three walks that began at about the same time
            asked.append(pacer.priority(first, page))
    assert sorted(asked) == asked
    assert min(b - a for a, b in itertools.pairwise(asked)) >= 8.0
    assert pacer.priority(3.0, 1) == 3.0  # a first page is never held back
