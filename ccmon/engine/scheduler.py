"""Poll loops: one task per feed, all drawing on their source's shared rate limiter.

Budget sharing is earliest-deadline-first. A feed that becomes due at ``t`` asks the limiter
with priority ``t + slack(tier)``: live feeds have no slack and overtake everything that is
not overdue, while a reference feed waits up to a minute for a free slot but, once that long
overdue, goes before a live feed that has only just become due. No feed starves and none can
push the source over its rate, because the limiter hands out the tokens.

Live feeds keep a fixed cadence (the next poll is due one interval after the previous one was
due, not after it finished), so a slow answer does not make the screen drift further behind.
A paged fetch does not hold the budget either: outside the live tier, each further page asks
:data:`PAGE_SPACING_REQUESTS` request intervals later than the one before (counted over every
walk of the source at once), so a 50-page roster refresh takes about one request in that many
from the live feeds instead of starving them for its whole length once it is overdue. The
very first walk is spaced the same way (its first page goes first): at 5,000 agents an
unspaced first roster walk held the budget for 50 s, and the live feeds with it; names now
fill in page by page while the live feeds keep polling.

A failing feed backs off exponentially on its own; the others carry on. A live feed's backoff
is capped at :data:`PROBE_S`, so when a source comes back the screen follows within about that
long; and the first feed of a source to succeed after failing calls its failed siblings in at
once (the limiter still paces them), instead of each waiting out its own backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ccmon.http import ErrorKind, SourceError
from ccmon.http.errors import redact
from ccmon.http.pagination import PagePacer
from ccmon.sources.base import Feed, Source, Tier

log = logging.getLogger(__name__)

SLACK_S = {Tier.LIVE: 0.0, Tier.NEAR: 10.0, Tier.HISTORY: 20.0, Tier.REFERENCE: 60.0}
FIRST_SLACK_S = {Tier.LIVE: 0.0, Tier.NEAR: 3.0, Tier.HISTORY: 5.0, Tier.REFERENCE: 0.0}
"""The first fill: reference data (names) and live data in start order, the rest soon after.
Later pages of a big roster are spaced like any walk's, so they interleave with live polls."""
PAGE_SPACING_REQUESTS = 8
MAX_BACKOFF_S = 300.0
PROBE_S = 30.0
"""A failing feed is tried again at least this often (or at its interval, if longer)."""
AUTH_BACKOFF_S = 60.0
"""Wrong credentials do not fix themselves quickly; don't spend the budget proving it."""


@dataclass(slots=True)
class FeedState:
    feed: Feed
    due: float = 0.0
    last_ok: float | None = None
    """``time.monotonic()`` when the feed last completed."""
    last_attempt: float | None = None
    failures: int = 0
    error: SourceError | None = None
    failing_since: float | None = None
    """When the current run of failures was first seen (None while the feed succeeds)."""
    runs: int = 0

    def age(self, now: float) -> float | None:
        return None if self.last_ok is None else now - self.last_ok


OnSuccess = Callable[[Feed], None]


class SourcePoller:
    """Runs every feed of one source until cancelled."""

    def __init__(
        self,
        source: Source,
        on_success: OnSuccess,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        max_backoff_s: float = MAX_BACKOFF_S,
    ) -> None:
        self.source = source
        self.max_backoff_s = max_backoff_s
        self._on_success = on_success
        self._monotonic = monotonic
        self.states = {feed.id: FeedState(feed) for feed in source.feeds()}
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._pacer = PagePacer(0.0)
        """Shared by all walks of the source: together they take one page per spacing."""

    def start(self) -> None:
        now = self._monotonic()
        # Reference data first (the live feeds need its names), then by tier.
        for state in sorted(self.states.values(), key=lambda s: s.feed.tier != Tier.REFERENCE):
            state.due = now
            self._tasks.append(asyncio.create_task(self._loop(state), name=state.feed.id))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    def refresh_now(self) -> None:
        """Make every feed due now; the limiter still paces the requests."""
        now = self._monotonic()
        for state in self.states.values():
            if state.error is None or state.error.kind is not ErrorKind.AUTH:
                state.due = min(state.due, now)
        self._wake.set()

    async def _sleep_until(self, state: FeedState) -> None:
        """Sleep until the feed is due; :meth:`refresh_now` may move that earlier."""
        while (delay := state.due - self._monotonic()) > 0:
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()

    async def _loop(self, state: FeedState) -> None:
        feed = state.feed
        while True:
            await self._sleep_until(state)
            due = min(state.due, self._monotonic())
            state.last_attempt = self._monotonic()
            slack = SLACK_S if state.runs else FIRST_SLACK_S
            priority = due + slack[feed.tier]
            try:
                await feed.run(priority, self._page_pacer(state))
            except SourceError as exc:
                self._failed(state, exc)
                continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug in one feed must not take the others down
                log.exception("feed %s crashed", feed.id)
                self._failed(
                    state,
                    SourceError(
                        ErrorKind.BAD_RESPONSE,
                        f"{feed.source}: {feed.name} failed ({redact(repr(exc)):.80})",
                    ),
                )
                continue
            now = self._monotonic()
            if state.failures:
                self._recovered(now)
            state.last_ok, state.failures, state.error, state.failing_since = now, 0, None, None
            state.runs += 1
            self._on_success(feed)
            next_due = due + feed.interval_s
            state.due = next_due if next_due > now else now + min(feed.interval_s, 0.25)

    def _page_pacer(self, state: FeedState) -> PagePacer | None:
        if state.feed.tier is Tier.LIVE:
            return None
        self._pacer.spacing_s = PAGE_SPACING_REQUESTS * self.source.client.limiter.interval_s
        return self._pacer

    def _failed(self, state: FeedState, exc: SourceError) -> None:
        if not state.failures:
            state.failing_since = self._monotonic()
        state.failures += 1
        state.error = exc
        backoff = backoff_s(state.feed, state.failures, exc.kind, self.max_backoff_s)
        state.due = self._monotonic() + backoff * random.uniform(0.8, 1.2)
        log.info("feed %s failed (%s); next try in %.0f s", state.feed.id, exc, backoff)

    def _recovered(self, now: float) -> None:
        """The source answers again: retry its other failed feeds now, not after their backoff."""
        for other in self.states.values():
            error = other.error
            if other.failures and error is not None and error.kind is not ErrorKind.AUTH:
                other.due = min(other.due, now)
        self._wake.set()


def backoff_s(feed: Feed, failures: int, kind: ErrorKind, max_backoff_s: float) -> float:
    """How long a feed waits after its ``failures``-th failure in a row (before jitter)."""
    if kind is ErrorKind.AUTH:
        return min(max_backoff_s, AUTH_BACKOFF_S * 2.0 ** min(failures - 1, 8))
    cap = min(max_backoff_s, max(PROBE_S, feed.interval_s))
    return min(cap, feed.interval_s * 2.0 ** min(failures - 1, 8))


def feed_states(pollers: Sequence[SourcePoller]) -> list[FeedState]:
    return [state for poller in pollers for state in poller.states.values()]
