"""The shared token bucket: spacing across concurrent callers, priority, 429 pauses."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from ccmon.http.ratelimit import INCREASE_ABOVE_S, INCREASE_EVERY_S, RateLimiter

RATE = 20.0  # 50 ms apart: fast tests, still far above timer jitter


async def _grant_times(limiter: RateLimiter, callers: int, each: int) -> list[float]:
    times: list[float] = []

    async def caller() -> None:
        for _ in range(each):
            await limiter.acquire()
            times.append(time.monotonic())

    await asyncio.gather(*(caller() for _ in range(callers)))
    return sorted(times)


async def test_concurrent_callers_never_exceed_the_rate() -> None:
    limiter = RateLimiter(RATE, burst=1, margin_s=0.0)
    times = await _grant_times(limiter, callers=5, each=4)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) == 20
    assert min(gaps) >= 1 / RATE - 0.005


async def test_burst_allows_that_many_at_once_then_the_rate() -> None:
    limiter = RateLimiter(RATE, burst=3, margin_s=0.0)
    times = await _grant_times(limiter, callers=6, each=1)
    assert times[2] - times[0] < 0.02
    assert times[3] - times[2] >= 1 / RATE - 0.005
    # Any window of w seconds holds at most burst + w * rate grants.
    window = 1 / RATE
    for start in times:
        inside = [t for t in times if start <= t < start + window - 0.005]
        assert len(inside) <= 3 + window * RATE


async def test_margin_widens_the_spacing() -> None:
    limiter = RateLimiter(RATE, burst=1, margin_s=0.03)
    times = await _grant_times(limiter, callers=2, each=3)
    assert min(b - a for a, b in itertools.pairwise(times)) >= 1 / RATE + 0.025


async def test_lower_priority_value_is_served_first() -> None:
    limiter = RateLimiter(RATE, burst=1, margin_s=0.0)
    await limiter.acquire()  # empty the bucket so the next three have to queue
    order: list[str] = []

    async def take(name: str, priority: float) -> None:
        await limiter.acquire(priority)
        order.append(name)

    tasks = [
        asyncio.create_task(take("history", 2.0)),
        asyncio.create_task(take("reference", 3.0)),
        asyncio.create_task(take("live", 0.0)),
    ]
    await asyncio.gather(*tasks)
    assert order == ["live", "history", "reference"]


async def test_pause_holds_every_caller_for_retry_after() -> None:
    limiter = RateLimiter(RATE, burst=1, margin_s=0.0)
    await limiter.acquire()
    started = time.monotonic()
    applied = limiter.pause(0.3)
    times = await _grant_times(limiter, callers=3, each=1)
    assert applied == pytest.approx(0.3)
    assert times[0] - started >= 0.29
    assert limiter.paused_for == 0.0


async def test_pause_without_retry_after_grows_with_each_429() -> None:
    limiter = RateLimiter(1.0, burst=1, margin_s=0.0)
    first = limiter.pause(None)
    second = limiter.pause(None)
    third = limiter.pause(None)
    assert 1.0 <= first <= 1.5
    assert 2.0 <= second <= 3.0
    assert 4.0 <= third <= 6.0
    limiter.note_success()
    assert limiter.pause(None) <= 1.5


async def test_a_guessed_pause_is_capped_but_retry_after_is_honoured() -> None:
    limiter = RateLimiter(1.0, burst=1, margin_s=0.0)
    guesses = [limiter.pause(None) for _ in range(12)]
    assert max(guesses) == 30.0
    assert guesses[-1] == 30.0
    assert limiter.pause(120.0) == 120.0
    assert limiter.pause(3600.0) == 300.0


async def test_cancelled_waiter_does_not_block_the_others() -> None:
    limiter = RateLimiter(RATE, burst=1, margin_s=0.0)
    await limiter.acquire()
    stuck = asyncio.create_task(limiter.acquire(0.0))
    other = asyncio.create_task(limiter.acquire(1.0))
    await asyncio.sleep(0)
    stuck.cancel()
    await asyncio.wait_for(other, timeout=1.0)
    assert limiter.waiting == 0


async def test_used_last_minute_counts_grants() -> None:
    limiter = RateLimiter(RATE, burst=1, margin_s=0.0)
    for _ in range(3):
        await limiter.acquire()
    assert limiter.used_last_minute() == 3
    assert limiter.budget_per_minute == 1200


def test_invalid_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="rate"):
        RateLimiter(0)


async def test_a_slot_spends_its_token_when_the_request_goes_on_the_wire() -> None:
    # The server counts arrivals: a request held back (connecting, TLS) after its grant
    # must push the next grant back too, and nothing is granted while it is pending.
    limiter = RateLimiter(RATE, burst=1, margin_s=0.0)
    second_granted: list[float] = []

    async def second() -> None:
        await limiter.acquire()
        second_granted.append(time.monotonic())

    async with limiter.slot() as on_wire:
        waiter = asyncio.create_task(second())
        await asyncio.sleep(3 / RATE)  # three intervals "connecting"
        assert not second_granted
        sent_at = time.monotonic()
        on_wire()
    await waiter
    assert second_granted[0] - sent_at >= 1 / RATE - 0.005


async def test_a_slot_left_without_going_on_the_wire_still_costs_a_token() -> None:
    limiter = RateLimiter(RATE, burst=1, margin_s=0.0)
    with pytest.raises(ConnectionError):
        async with limiter.slot():
            raise ConnectionError
    left_at = time.monotonic()
    await limiter.acquire()
    assert time.monotonic() - left_at >= 1 / RATE - 0.005
    assert limiter.waiting == 0


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_429_above_the_documented_rate_drops_straight_to_it() -> None:
    clock = _Clock()
    limiter = RateLimiter(100.0, documented_rate=1.0, margin_s=0.0, monotonic=clock)
    limiter.pause(1.0)
    assert limiter.effective_rate == 1.0
    assert limiter.interval_s == 1.0
    limiter.pause(1.0)  # another answer of the same pause (it was in flight): no second cut
    assert limiter.effective_rate == 1.0
    clock.now += 2.0
    limiter.pause(1.0)  # a storm: 429 after 429 says nothing more about the rate
    assert limiter.effective_rate == 1.0
    clock.now += 2.0
    limiter.note_success()
    limiter.pause(1.0)  # a 429 after an answer, at the documented rate: half of it
    assert limiter.effective_rate == 0.5


def test_the_effective_rate_never_drops_below_a_quarter() -> None:
    clock = _Clock()
    limiter = RateLimiter(2.0, documented_rate=1.0, margin_s=0.0, monotonic=clock)
    for _ in range(6):
        limiter.pause(1.0)
        clock.now += 2.0
        limiter.note_success()
    assert limiter.effective_rate == 0.25


def test_the_effective_rate_climbs_back_slowly_up_to_the_setting() -> None:
    clock = _Clock()
    limiter = RateLimiter(1.2, documented_rate=1.0, margin_s=0.0, monotonic=clock)
    limiter.pause(1.0)
    assert limiter.effective_rate == 0.6
    limiter.note_success()  # too soon: one step per INCREASE_EVERY_S
    assert limiter.effective_rate == 0.6
    rates = []
    for _ in range(5):
        clock.now += INCREASE_EVERY_S
        limiter.note_success()
        rates.append(round(limiter.effective_rate, 6))
    assert rates == [0.7, 0.8, 0.9, 1.0, 1.0]  # above the documented rate: slower still
    for _ in range(3):
        clock.now += INCREASE_ABOVE_S
        limiter.note_success()
        rates.append(round(limiter.effective_rate, 6))
    assert rates[-3:] == [1.1, 1.2, 1.2]


def test_without_a_documented_rate_a_429_halves_the_setting() -> None:
    limiter = RateLimiter(5.0, margin_s=0.0, monotonic=_Clock())
    limiter.pause(None)
    assert limiter.effective_rate == 2.5
