"""A token bucket that every request of one source waits on, pages and retries included.

Waiters are served by priority (lower first, FIFO among equals), so a poll scheduler can let
live feeds overtake history feeds without ever sending faster than the bucket allows. A 429
answer pauses the bucket for everyone (:meth:`RateLimiter.pause`), not just the caller that
got it: the server's limit is per customer, so every caller would hit it next.

The server counts a request when it arrives, not when ccmon decided to send it: opening a
connection, a TLS handshake or a busy event loop can hold a request back for a few hundred
milliseconds, and a token spent at grant time would then let the next request arrive too
soon after it. :meth:`RateLimiter.slot` therefore reserves the token at grant time and spends
it when the request goes on the wire; no later request is granted while that is pending.

The limit is per account, not per process: with a :class:`SharedBudget` every request also
waits until other ccmon processes' latest requests on the account are their spacing old.

The configured rate is a ceiling, not a promise: after a 429 the effective rate drops
(multiplicative decrease: to half, and at once to the vendor's documented rate if it was
above it), then climbs back by a tenth of the documented rate every
:data:`INCREASE_EVERY_S` of answered requests (additive increase; every
:data:`INCREASE_ABOVE_S` above the documented rate) up to the setting. A rate
set too high costs a few 429s, not half the requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import math
import random
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from ccmon.http.shared_budget import SharedBudget

_WINDOW_S = 60.0
INCREASE_EVERY_S = 10.0
"""The effective rate rises one step after this long without a 429."""
INCREASE_ABOVE_S = 60.0
"""Above the documented rate, one step per this long: an account that does not allow more
costs one 429 every few minutes, not one every 20 s."""
INCREASE_STEP = 0.1
"""One step of additive increase, as a share of the documented rate."""
FLOOR_SHARE = 0.25
"""The effective rate never drops below this share of min(setting, documented rate)."""


@dataclass(order=True, slots=True)
class _Waiter:
    priority: float
    seq: int
    wake: asyncio.Event = field(compare=False, default_factory=asyncio.Event)


class RateLimiter:
    """At most ``burst`` requests at once, refilled at ``rate`` per second.

    ``documented_rate`` is what the vendor promises (CCAI: 1/s); a 429 brings a higher
    effective rate straight down to it. ``shared`` spaces requests against other processes
    on the same account. ``margin_s`` is added to the spacing between tokens: the server
    measures arrival times, and a request that waited longer for a connection than the next
    one would otherwise arrive early. With the CCAI default (rate 1, burst 1, margin 0.05 s)
    requests are at least 1.05 s apart.
    """

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        *,
        margin_s: float = 0.05,
        monotonic: Callable[[], float] = time.monotonic,
        max_pause_s: float = 300.0,
        max_guess_s: float = 30.0,
        documented_rate: float | None = None,
        shared: SharedBudget | None = None,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.rate = rate
        self.burst = burst
        self.documented_rate = documented_rate or rate
        self.effective_rate = rate
        self._margin_s = margin_s
        self._interval = 1.0 / rate + margin_s
        self._shared = shared
        self._monotonic = monotonic
        self._rate_changed = monotonic()
        self._max_pause_s = max_pause_s
        self._max_guess_s = max_guess_s
        self._tokens = float(burst)
        self._reserved = 0  # granted, not yet on the wire
        self._refilled_at = monotonic()
        """Up to when :attr:`_tokens` counts what the rate has earned."""
        self._paused_until = -math.inf
        """No token is granted before this (a 429's pause); tokens are earned from then."""
        self._waiters: list[_Waiter] = []
        self._seq = itertools.count()
        self._granted: deque[float] = deque()
        self._throttle_streak = 0

    # -- acquiring -------------------------------------------------------------------------
    async def acquire(self, priority: float = 0.0) -> None:
        """Wait for a token and spend it now. Lower ``priority`` values are served first."""
        async with self.slot(priority):
            pass

    @contextlib.asynccontextmanager
    async def slot(self, priority: float = 0.0) -> AsyncIterator[Callable[[], None]]:
        """Wait for a token and hold it for one request; yields ``on_wire``.

        Call ``on_wire()`` when the request's bytes go out: the token is spent then, and
        the spacing to the next request starts from there. Leaving the block spends it if
        that did not happen (a request that never reached the wire still costs a token).
        """
        await self._reserve(priority)
        try:
            await self._shared_turn()
        except BaseException:
            self._reserved -= 1  # never sent: the token stays
            self._wake_head()
            raise
        spent = False

        def on_wire() -> None:
            nonlocal spent
            if not spent:
                spent = True
                if self._shared is not None:
                    self._shared.on_wire(self._interval)
                self._spend()

        try:
            yield on_wire
        finally:
            on_wire()

    async def _shared_turn(self) -> None:
        """Wait until other processes' latest requests on this account are old enough."""
        if self._shared is None:
            return
        try:  # the other side is another process: nothing to wait on but the clock
            while (delay := self._shared.claim(self._interval)) > 0:  # noqa: ASYNC110
                await asyncio.sleep(delay)
        except BaseException:
            self._shared.release()
            raise

    async def _reserve(self, priority: float) -> None:
        me = _Waiter(priority, next(self._seq))
        heapq.heappush(self._waiters, me)
        try:
            while True:
                if self._waiters[0] is not me:
                    me.wake.clear()
                    await me.wake.wait()
                    continue
                delay = self._try_reserve()
                if delay <= 0:
                    heapq.heappop(self._waiters)
                    self._wake_head()
                    return
                me.wake.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(delay):
                        await me.wake.wait()
        except BaseException:
            if me in self._waiters:
                self._waiters.remove(me)
                heapq.heapify(self._waiters)
                self._wake_head()
            raise

    def _refill(self, now: float) -> None:
        since = max(self._refilled_at, self._paused_until)
        if now > since:  # nothing is earned during a pause
            self._tokens = min(float(self.burst), self._tokens + (now - since) / self._interval)
            self._refilled_at = now

    def _try_reserve(self) -> float:
        """Reserve a token and return 0, or return how long until one may be free."""
        now = self._monotonic()
        if now < self._paused_until:
            return self._paused_until - now
        self._refill(now)
        free = self._tokens - self._reserved
        if free >= 1.0:
            self._reserved += 1
            self._granted.append(now)
            return 0.0
        # A pending reservation wakes the head when it is spent; this is the latest it can be.
        return (1.0 - free) * self._interval

    def _spend(self) -> None:
        self._refill(self._monotonic())
        self._reserved -= 1
        self._tokens -= 1.0
        self._wake_head()

    def _wake_head(self) -> None:
        if self._waiters:
            self._waiters[0].wake.set()

    # -- being told to slow down -------------------------------------------------------------
    def pause(self, retry_after: float | None) -> float:
        """Stop granting tokens after a 429; returns the pause applied, in seconds.

        ``retry_after`` is the server's Retry-After (honoured up to ``max_pause_s``); without
        one, the pause grows exponentially with jitter over consecutive 429s (1, 2, 4 ... s)
        up to ``max_guess_s``, so a source whose storm has ended is not left idle for minutes
        on a guess, while one probe per ``max_guess_s`` costs next to nothing.
        """
        # The first 429 after an answered request says the rate was too high; more in a row
        # (a storm, or requests that were in flight) say nothing more about it.
        first_of_pause = self._throttle_streak == 0 and self._monotonic() >= self._paused_until
        self._throttle_streak += 1
        if retry_after is None:
            base = 2.0 ** min(self._throttle_streak - 1, 16)
            delay = min(self._max_guess_s, base + random.uniform(0, base / 2))
        else:
            delay = min(retry_after, self._max_pause_s)
        delay = max(1.0 / self.rate + self._margin_s, delay)  # at least one configured interval
        if first_of_pause:
            self._decrease()
        resume_at = self._monotonic() + delay
        if resume_at > self._paused_until:
            self._paused_until = resume_at
            self._tokens = 0.0
        self._wake_head()
        return delay

    def note_success(self) -> None:
        self._throttle_streak = 0
        now = self._monotonic()
        rate, documented = self.effective_rate, self.documented_rate
        if rate >= self.rate:
            return
        above = rate >= documented  # probing what the vendor does not promise: slower
        if now - self._rate_changed >= (INCREASE_ABOVE_S if above else INCREASE_EVERY_S):
            step = rate + INCREASE_STEP * documented
            self._set_rate(min(self.rate, step if above else min(documented, step)), now)

    def _decrease(self) -> None:
        floor = FLOOR_SHARE * min(self.rate, self.documented_rate)
        lower = min(self.effective_rate / 2, self.documented_rate)
        self._set_rate(max(floor, lower), self._monotonic())

    def _set_rate(self, rate: float, now: float) -> None:
        self._refill(now)  # tokens earned so far at the old rate
        self.effective_rate = rate
        self._interval = 1.0 / rate + self._margin_s
        self._rate_changed = now

    # -- reporting -------------------------------------------------------------------------
    @property
    def interval_s(self) -> float:
        """Seconds between requests at the effective rate (spacing margin included)."""
        return self._interval

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self._monotonic())

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    def used_last_minute(self) -> int:
        """Tokens granted in the last 60 s; the budget is ``rate * 60``."""
        horizon = self._monotonic() - _WINDOW_S
        while self._granted and self._granted[0] < horizon:
            self._granted.popleft()
        return len(self._granted)

    @property
    def budget_per_minute(self) -> int:
        return int(_WINDOW_S / self._interval)
