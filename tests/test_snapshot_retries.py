"""``snapshot`` keeps reading a feed that failed, within the rate, until its deadline, and
a deadline give-up names what the source was doing then (exact fault shapes, MockTransport).

A one-shot snapshot under a flaky server used to give up on a feed after one request's
4 attempts though most of its deadline was left; one that hit the deadline while a 429's
Retry-After or a storm of 5xx was being waited out said only "gave up", with no error kind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import httpx

from ccmon.domain import Agent, AgentState, Collection, Record
from ccmon.http import ErrorKind, RateLimiter, RetryPolicy, SourceClient
from ccmon.http.pagination import PagePacer
from ccmon.snapshot.collect import Snapshot, collect
from ccmon.snapshot.render import to_document
from ccmon.sources.base import Feed, Source, Tier

QUICK = RetryPolicy(
    attempts=4, total_timeout_s=5, wait_initial_s=0.01, wait_max_s=0.02, wait_jitter_s=0.0
)


class _Source(Source):
    """One feed reading ``/agents`` through a real SourceClient."""

    name = "ccai"

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response], retry: RetryPolicy):
        client = SourceClient(
            "ccai",
            "https://acme.example.test/api",
            limiter=RateLimiter(50, margin_s=0.0),
            retry=retry,
            transport=httpx.MockTransport(handler),
        )
        super().__init__(client)
        self.agents: list[Agent] = []

    def feeds(self) -> Sequence[Feed]:
        async def poll(priority: float, pacer: PagePacer | None = None) -> None:
            await self.client.get_json("agents", priority=priority)
            self.agents = [Agent("ccai", "1", "Ann", AgentState.AVAILABLE, "Available", None, None)]

        return [Feed(self.name, "agent_status", Tier.LIVE, 1, (Collection.AGENTS,), poll)]

    def records(self, collection: Collection) -> Sequence[Record]:
        return self.agents if collection is Collection.AGENTS else []


async def _snapshot(
    handler: Callable[[httpx.Request], httpx.Response],
    deadline_s: float,
    retry: RetryPolicy = QUICK,
) -> Snapshot:
    source = _Source(handler, retry)
    try:
        return await collect([source], ["ccai"], deadline_s=deadline_s)
    finally:
        await source.aclose()


async def test_a_feed_failing_past_its_attempts_is_read_again_until_the_deadline() -> None:
    sent: list[httpx.Request] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        sent.append(request)  # one request's 4 attempts and the next one's first fail
        return httpx.Response(503) if len(sent) <= 5 else httpx.Response(200, json=[])

    snapshot = await _snapshot(flaky, deadline_s=20)
    report = snapshot.sources["ccai"]
    assert (report.status, report.error, report.failed_feeds) == ("ok", None, [])
    assert len(sent) == 6
    assert [a.key for a in snapshot.collections[Collection.AGENTS]] == ["ccai:1"]


async def test_credentials_refused_are_not_asked_again() -> None:
    sent: list[httpx.Request] = []

    def refused(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(401)

    report = (await _snapshot(refused, deadline_s=5)).sources["ccai"]
    assert report.error_kind is ErrorKind.AUTH
    assert len(sent) == 1


async def test_a_retry_after_longer_than_the_deadline_is_named_as_the_cause() -> None:
    def throttled(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "600"})

    snapshot = await _snapshot(throttled, deadline_s=1)
    report = snapshot.sources["ccai"]
    assert report.status == "error"
    assert report.error is not None
    assert report.error.startswith("ccai: rate limited (HTTP 429 on /agents); pausing all")
    assert "(Retry-After asked 600 s); gave up after 1 s" in report.error
    assert report.error_kind is ErrorKind.RATE_LIMITED
    assert to_document(snapshot)["sources"]["ccai"]["error_kind"] == "rate limited"


async def test_a_storm_of_5xx_at_the_deadline_is_named_as_the_cause() -> None:
    slow_backoff = RetryPolicy(attempts=4, total_timeout_s=30, wait_initial_s=5, wait_max_s=10)

    def storm(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502)

    report = (await _snapshot(storm, deadline_s=1, retry=slow_backoff)).sources["ccai"]
    assert report.error is not None
    assert report.error.startswith("ccai: server error (HTTP 502 on /agents); gave up after")
    assert report.error_kind is ErrorKind.SERVER
