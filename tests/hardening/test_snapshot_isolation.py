"""A feed that fails in a way nobody foresaw costs ``snapshot`` that feed, not the document.

The live screen's scheduler already isolates such a failure (one feed reads "failed", the
others carry on); ``snapshot`` let anything but a SourceError escape, so one unexpected
exception (httpx's InvalidURL from a vendor id was one, see test_vendor_ids) ended the
command with a traceback and no output for any source.
"""

from __future__ import annotations

from collections.abc import Sequence

from ccmon.domain import Agent, AgentState, Collection, Record
from ccmon.http import RateLimiter, SourceClient
from ccmon.http.pagination import PagePacer
from ccmon.snapshot.collect import collect
from ccmon.sources.base import Feed, Source, Tier


class _Source(Source):
    def __init__(self, name: str, crash: bool) -> None:
        super().__init__(SourceClient(name, "http://x.example.test", limiter=RateLimiter(1)))
        self.name = name
        self.crash = crash
        self.agents: list[Agent] = []

    def feeds(self) -> Sequence[Feed]:
        async def broken(priority: float, pacer: PagePacer | None = None) -> None:
            raise RuntimeError("a bug")

        async def works(priority: float, pacer: PagePacer | None = None) -> None:
            agent = Agent(self.name, "1", "Ann", AgentState.AVAILABLE, "Available", None, None)
            self.agents = [agent]

        return [
            Feed(self.name, "broken", Tier.LIVE, 1, (), broken if self.crash else works),
            Feed(self.name, "agents", Tier.LIVE, 1, (Collection.AGENTS,), works),
        ]

    def records(self, collection: Collection) -> Sequence[Record]:
        return self.agents if collection is Collection.AGENTS else []


async def test_an_unexpected_exception_fails_that_feed_only() -> None:
    sources = [_Source("ccai", crash=True), _Source("evo", crash=False)]
    snapshot = await collect(sources, ["ccai", "alo", "evo"], deadline_s=5)
    ccai = snapshot.sources["ccai"]
    assert ccai.status == "error"
    assert ccai.failed_feeds == ["broken"]
    assert ccai.error == "ccai: broken failed (RuntimeError('a bug'))"
    assert snapshot.sources["evo"].status == "ok"
    assert {a.source for a in snapshot.collections[Collection.AGENTS]} == {"ccai", "evo"}
