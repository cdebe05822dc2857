"""Backoff and recovery of the poll loops, with a source whose failures the test switches."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence

import pytest

from ccmon.domain import Collection, Record
from ccmon.engine.scheduler import AUTH_BACKOFF_S, MAX_BACKOFF_S, PROBE_S, SourcePoller, backoff_s
from ccmon.http import ErrorKind, SourceError
from ccmon.http.pagination import PagePacer
from ccmon.sources.base import Feed, FeedRun, Source, Tier
from tests.support.waiting import eventually


def feed(name: str, tier: Tier, interval_s: float) -> Feed:
    async def run(priority: float, pacer: PagePacer | None = None) -> None:
        return None

    return Feed("flaky", name, tier, interval_s, (), run)


@pytest.mark.parametrize(
    ("tier", "interval_s", "failures", "kind", "expected"),
    [
        (Tier.LIVE, 2.5, 1, ErrorKind.SERVER, 2.5),
        (Tier.LIVE, 2.5, 3, ErrorKind.UNREACHABLE, 10.0),
        (Tier.LIVE, 2.5, 50, ErrorKind.RATE_LIMITED, PROBE_S),
        (Tier.HISTORY, 30.0, 4, ErrorKind.TIMEOUT, 30.0),
        (Tier.REFERENCE, 600.0, 1, ErrorKind.SERVER, MAX_BACKOFF_S),
        (Tier.LIVE, 2.5, 1, ErrorKind.AUTH, AUTH_BACKOFF_S),
        (Tier.LIVE, 2.5, 9, ErrorKind.AUTH, MAX_BACKOFF_S),
    ],
)
def test_backoff_grows_and_is_capped(
    tier: Tier, interval_s: float, failures: int, kind: ErrorKind, expected: float
) -> None:
    assert backoff_s(feed("f", tier, interval_s), failures, kind, MAX_BACKOFF_S) == expected


class SwitchableSource(Source):
    """Feeds that fail with a given error kind until the test clears it."""

    name = "flaky"

    def __init__(self, intervals: dict[str, float]) -> None:
        self.failing: dict[str, ErrorKind] = {}
        self.calls: Counter[str] = Counter()
        self.ok: Counter[str] = Counter()
        self._feeds = [
            Feed("flaky", name, Tier.LIVE, interval, (), self._runner(name))
            for name, interval in intervals.items()
        ]

    def _runner(self, name: str) -> FeedRun:
        async def run(priority: float, pacer: PagePacer | None = None) -> None:
            self.calls[name] += 1
            if kind := self.failing.get(name):
                raise SourceError(kind, f"flaky: {name} {kind}")
            self.ok[name] += 1

        return run

    def feeds(self) -> Sequence[Feed]:
        return self._feeds

    def records(self, collection: Collection) -> Sequence[Record]:
        return []


async def test_first_recovered_feed_calls_in_its_failed_siblings() -> None:
    source = SwitchableSource({"live": 0.02, "slow": 8.0, "locked": 0.02})
    source.failing = {
        "live": ErrorKind.UNREACHABLE,
        "slow": ErrorKind.UNREACHABLE,
        "locked": ErrorKind.AUTH,
    }
    poller = SourcePoller(source, lambda feed: None)
    poller.start()
    try:
        await eventually(lambda: source.calls["live"] >= 3 and source.calls["slow"] >= 1)
        # "slow" now waits out at least 0.8 x 8 s; "locked" at least 0.8 x 60 s.
        assert poller.states["flaky.slow"].due - time.monotonic() > 5
        locked_calls = source.calls["locked"]

        del source.failing["live"], source.failing["slow"]
        await eventually(lambda: source.ok["live"] >= 1)
        await eventually(lambda: source.ok["slow"] >= 1, within=4.0)  # not 6.4+ s

        assert poller.states["flaky.slow"].failures == 0
        assert source.calls["locked"] == locked_calls, "an auth failure is not retried early"
        assert poller.states["flaky.locked"].error is not None
    finally:
        await poller.stop()


async def test_a_feed_failing_alone_is_not_pulled_forward_by_healthy_siblings() -> None:
    source = SwitchableSource({"live": 0.01, "broken": 5.0})
    source.failing = {"broken": ErrorKind.BAD_RESPONSE}
    poller = SourcePoller(source, lambda feed: None)
    poller.start()
    try:
        await eventually(lambda: source.ok["live"] >= 30)
        assert source.calls["broken"] == 1
    finally:
        await poller.stop()
