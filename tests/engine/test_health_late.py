"""Live data that stopped coming is never a green "ok", even when no request failed.

At 5,000 agents the first roster walk once held the budget for a minute: no live poll
failed, they just did not run, and the status bar read "ok 58s old" in green.
"""

from __future__ import annotations

from collections.abc import Sequence

from ccmon.domain import Collection, Record
from ccmon.engine.health import Health, source_health
from ccmon.engine.scheduler import FeedState
from ccmon.http import RateLimiter, SourceClient
from ccmon.http.pagination import PagePacer
from ccmon.sources.base import Feed, Source, Tier

INTERVAL_S = 2.5


class _Quiet(Source):
    name = "ccai"

    def feeds(self) -> Sequence[Feed]:
        return []

    def records(self, collection: Collection) -> Sequence[Record]:
        return []


async def _nothing(priority: float, pacer: PagePacer | None = None) -> None:
    return None


def _answered(name: str, tier: Tier, at: float) -> FeedState:
    interval = INTERVAL_S if tier is Tier.LIVE else 600.0
    return FeedState(Feed("ccai", name, tier, interval, (), _nothing), last_ok=at, runs=1)


def _health(now: float) -> Health:
    client = SourceClient("ccai", "http://ccai.example.invalid", limiter=RateLimiter(1.0))
    states = [
        _answered("agent_status", Tier.LIVE, at=4.2),
        _answered("queue_status", Tier.LIVE, at=5.3),
        _answered("menus", Tier.REFERENCE, at=3.0),
    ]
    return source_health(_Quiet(client), states, now).health


def test_live_data_within_three_intervals_is_ok() -> None:
    assert _health(now=4.2 + 3 * INTERVAL_S) is Health.OK


def test_live_data_older_than_three_intervals_is_not_ok() -> None:
    assert _health(now=62.0) is Health.DEGRADED
    assert _health(now=4.2 + 3 * INTERVAL_S + 0.1) is Health.DEGRADED
