"""Every fault the simulator can inject, on every source, with the live app on screen.

For each (source, fault) the app runs against the simulator and the test records what a
supervisor would see while the fault lasts and after it clears; one test per case then
checks, in order, that

1. the app stays up;
2. the status bar names the problem in words (health word on the first line, the error in
   one sentence on the second);
3. the other sources keep polling and stay "ok";
4. nothing already on screen is lost or corrupted: for faults where every request fails,
   the failing source's rows are exactly what they were, none removed; for data faults
   (random 5xx, wrong types, hostile text) the rows are exactly the records the source
   holds; every screen line stays printable and full width;
5. requests never exceed the budget (the simulator rejected none for rate, no second holds
   more than the budget), and a 429 storm is met with one request per pause, not a storm;
6. the source recovers by itself when the fault clears.

The cases run on a compressed timescale (see ``tests.support.fault_floor``). Each case is
its own test with its own app (``pytest -k "ccai and 429"`` runs one alone); the cases share
one simulator, which each app meets alone and leaves without a fault.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from textual.pilot import Pilot

from ccmon.engine.health import Health
from ccmon.sim.runner import SimServer
from ccmon.ui.app import CcmonApp
from tests.support.fault_floor import (
    BUDGET_PER_S,
    SLOW_S,
    VENDORS,
    Resolver,
    Traffic,
    build_app,
    fast_sim,
    health_of,
    live_polls,
    rows_of,
    screen_vs_data,
    status_text,
    tombstones_of,
    traffic,
)
from tests.support.screen import screen_problems, screen_text
from tests.support.waiting import wait_for

HOSTILE_MARKERS = (
    "[bold red]x[/]",
    "[link=",
    "pwned title",
    "exe.txt",
    "[31mred",
    "客服中心",
    "LLLLL",
)
"""What the simulator's hostile strings look like once made inert (escapes lose their ESC)."""
WAIT_S = 12.0
"""Longest wait for detection, the others' polls, or recovery; each takes 0.1-3 s."""
HOLD_S = 0.6
"""How long a detected fault is left on, so that several polls meet it."""


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    kind: str
    """A simulator fault kind, or "dns"."""
    health: frozenset[Health]
    says: tuple[str, ...]
    """Phrases the status bar must show (lower case), besides "<source> <health word>"."""
    params: dict[str, Any] = field(default_factory=dict)
    every_request_fails: bool = True
    storm: bool = False


OK, DEGRADED, UNREACHABLE = Health.OK, Health.DEGRADED, Health.UNREACHABLE
CASES = (
    Case("slow", "slow", frozenset({UNREACHABLE}), ("no answer from",), {"delay_s": SLOW_S}),
    Case("5xx", "error5xx", frozenset({DEGRADED}), ("server error (http 50",)),
    Case(
        "5xx-random",
        "error5xx",
        frozenset({DEGRADED}),
        ("server error (http 50",),
        {"probability": 0.5},
        every_request_fails=False,
    ),
    Case("html-502", "html", frozenset({DEGRADED}), ("server error (http 502", "html error page")),
    Case("bad-json", "badjson", frozenset({DEGRADED}), ("sent malformed json",)),
    Case("wrong-type", "wrongtype", frozenset({OK}), ("bad fields",), every_request_fails=False),
    Case(
        "401", "auth", frozenset({Health.AUTH_FAILED}), ("credentials rejected",), {"status": 401}
    ),
    Case("403", "auth", frozenset({Health.AUTH_FAILED}), ("access denied",), {"status": 403}),
    Case(
        "429",
        "ratelimit",
        frozenset({Health.RATE_LIMITED}),
        ("pausing all requests",),
        {"retry_after": True},
        storm=True,
    ),
    Case(
        "429-no-retry-after",
        "ratelimit",
        frozenset({Health.RATE_LIMITED}),
        ("pausing all requests",),
        {"retry_after": False},
        storm=True,
    ),
    Case("refused", "down", frozenset({UNREACHABLE}), ("connection refused",)),
    Case("dns", "dns", frozenset({UNREACHABLE}), ("host name not found",)),
    Case("hostile", "hostile", frozenset({OK}), (), every_request_fails=False),
)


@dataclass(slots=True)
class Seen:
    """What one case looked like from the supervisor's chair and from the server."""

    problems: list[str] = field(default_factory=list)
    """What did not happen in time (detection, recovery), with the screen at that moment."""
    running: bool = True
    health: Health | None = None
    status: str = ""
    """The status bar when the fault was first named."""
    status_end: str = ""
    """... and after it had lasted a while."""
    others: dict[str, tuple[bool, Health]] = field(default_factory=dict)
    rows_before: dict[str, Any] = field(default_factory=dict)
    rows_during: dict[str, Any] = field(default_factory=dict)
    tombstones: list[str] = field(default_factory=list)
    unlike_data: list[str] = field(default_factory=list)
    """Where the source's rows on screen differ from the data the engine holds."""
    screen: list[str] = field(default_factory=list)
    hostile_shown: bool = False
    """Some of the simulator's hostile text is on screen (as inert text)."""
    recovered_status: str = ""
    rows_after: int = 0
    traffic: Traffic | None = None
    storm_s: float = 0.0
    named_after_s: float = 0.0
    recovered_after_s: float = 0.0
    storm_requests: int = 0


def _records(rows: dict[str, Any]) -> dict[str, Any]:
    return {key: record for key, (record, _marker) in rows.items()}


def _named(app: CcmonApp, vendor: str, case: Case, degraded: int, since: float) -> bool:
    health = health_of(app, vendor)
    if not case.every_request_fails and not _polled_since(app, vendor, since):
        return False
    text = status_text(app).lower()
    if health.health not in case.health:
        return False
    if case.kind == "wrongtype" and health.degraded_fields <= degraded:
        return False
    words = [f"{vendor} {health.health.value}", *case.says]
    return all(word in text for word in words)


def _polled_since(app: CcmonApp, vendor: str, since: float) -> bool:
    return any(ok is not None and ok > since for ok in live_polls(app, vendor).values())


def _recovered(app: CcmonApp, vendor: str, since: float) -> bool:
    health = health_of(app, vendor)
    polled = all(ok is not None and ok > since for ok in live_polls(app, vendor).values())
    return (
        health.health is Health.OK
        and health.last_error is None
        and polled
        and f"{vendor} ok" in status_text(app)
    )


@dataclass(slots=True)
class SourceRun:
    """One app against one simulator, where one source meets every fault in turn."""

    vendor: str
    sim: SimServer
    resolver: Resolver
    app: CcmonApp
    pilot: Pilot[None]

    @property
    def others(self) -> list[str]:
        return [v for v in VENDORS if v != self.vendor]

    async def until(self, out: Seen, condition: Callable[[], bool], what: str) -> None:
        """Wait for ``condition``; if it never holds, note it (with the status bar)."""
        try:
            await wait_for(self.pilot, condition, WAIT_S, what=what)
        except AssertionError as exc:
            out.problems.append(f"{exc}; status bar: {status_text(self.app)!r}")

    async def start(self, case: Case) -> None:
        if case.kind == "dns":
            self.resolver.break_name(self.vendor)
        else:
            await asyncio.to_thread(self.sim.faults.set, self.vendor, case.kind, **case.params)

    async def clear(self, case: Case) -> None:
        if case.kind == "dns":
            self.resolver.repair(self.vendor)
        else:
            await asyncio.to_thread(self.sim.faults.clear, self.vendor)

    async def play(self, case: Case) -> Seen:
        app, vendor, out = self.app, self.vendor, Seen()
        degraded = health_of(app, vendor).degraded_fields
        set_at = time.monotonic()
        await self.start(case)
        await self.until(
            out, lambda: _named(app, vendor, case, degraded, set_at), f"{vendor} {case.id} named"
        )
        out.named_after_s = time.monotonic() - set_at
        out.health = health_of(app, vendor).health
        out.status = status_text(app)
        out.rows_before = rows_of(app, vendor)
        await self.pilot.pause(HOLD_S)
        await self.until(
            out,
            lambda: all(_polled_since(app, v, set_at) for v in self.others),
            "the other sources polled",
        )
        if not case.every_request_fails:
            try:
                await wait_for(
                    self.pilot,
                    lambda: not screen_vs_data(app, vendor),
                    what="screen shows the data",
                )
            except AssertionError:
                out.unlike_data = screen_vs_data(app, vendor)
        out.status_end = status_text(app)
        out.others = {
            v: (_polled_since(app, v, set_at), health_of(app, v).health) for v in self.others
        }
        out.rows_during = rows_of(app, vendor)
        out.tombstones = tombstones_of(app, vendor)
        out.screen = screen_problems(app)
        if case.kind == "hostile":  # the source's next poll brings it (later on a busy machine)
            try:
                await wait_for(
                    self.pilot,
                    lambda: any(marker in screen_text(app) for marker in HOSTILE_MARKERS),
                    WAIT_S,
                    what="hostile text on screen",
                )
                out.hostile_shown = True
            except AssertionError:
                out.hostile_shown = False
            out.screen = screen_problems(app)  # with the hostile text on it
        clear_at = time.monotonic()
        await self.clear(case)
        await self.until(
            out, lambda: _recovered(app, vendor, clear_at), f"{vendor} recovered from {case.id}"
        )
        recovered_at = time.monotonic()
        out.recovered_after_s = recovered_at - clear_at
        out.recovered_status = status_text(app)
        out.rows_after = len(rows_of(app, vendor))
        out.running = app.is_running
        log = self.sim.request_log(vendor)
        out.traffic = traffic(log, set_at, recovered_at)
        out.storm_s = clear_at - set_at
        out.storm_requests = traffic(log, set_at, clear_at).requests
        return out


async def play_case(sim: SimServer, vendor: str, case: Case) -> Seen:
    """One app against the shared simulator, from start-up until ``vendor`` recovered from
    ``case``."""
    resolver = Resolver(sim)
    app = build_app(sim, resolver)
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(
            pilot,
            lambda: (
                all(h.health is Health.OK for h in app.engine.health())
                and all(rows_of(app, v) for v in VENDORS)
            ),
            30,
            what="every source ok with rows on screen",
        )
        return await SourceRun(vendor, sim, resolver, app, pilot).play(case)


@pytest.fixture(scope="module")
def shared_sim() -> Iterator[SimServer]:
    """One simulator for the module: a case's app starts against it, meets the fault and
    stops; the next case's app starts on a clean simulator."""
    with fast_sim() as sim:
        yield sim


@pytest.fixture
def sim_for_case(shared_sim: SimServer) -> Iterator[SimServer]:
    """The shared simulator, with no fault left behind by a case that failed half-way."""
    yield shared_sim
    for vendor in VENDORS:
        shared_sim.faults.clear(vendor)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
@pytest.mark.parametrize("vendor", VENDORS)
async def test_fault(sim_for_case: SimServer, vendor: str, case: Case) -> None:
    seen = await play_case(sim_for_case, vendor, case)
    where = f"{vendor} {case.id}"
    # 1. the app stays up
    assert seen.running, f"{where}: the app stopped"
    # 2. the status bar names the problem
    assert not seen.problems, f"{where}: " + "; ".join(seen.problems)
    assert seen.health in case.health, f"{where}: health {seen.health}"
    text = seen.status.lower()
    for phrase in (f"{vendor} {seen.health.value}", *case.says):
        assert phrase in text, f"{where}: {phrase!r} not in status bar {seen.status!r}"
    if case.every_request_fails:
        assert seen.status_end == seen.status or all(
            phrase in seen.status_end.lower() for phrase in case.says
        ), f"{where}: the status bar forgot the fault: {seen.status_end!r}"
    # 3. the other sources keep updating
    for other, (polled, health) in seen.others.items():
        assert polled, f"{where}: {other} did not poll while {vendor} failed"
        assert health is Health.OK, f"{where}: {other} reads {health} while {vendor} failed"
    # 4. nothing on screen is lost or corrupted
    assert seen.rows_before, f"{where}: {vendor} had no rows on screen to protect"
    assert not seen.screen, f"{where}: screen lines damaged: {seen.screen[:3]}"
    before, during = _records(seen.rows_before), _records(seen.rows_during)
    if case.every_request_fails:
        assert during == before, f"{where}: rows changed while every request failed"
        assert not seen.tombstones, f"{where}: rows went: {seen.tombstones[:3]}"
    # Data faults change rows (fields of the wrong type show as "—", a record without its id
    # is skipped, time moves on); what is on screen must be what the source holds.
    assert not seen.unlike_data, f"{where}: screen unlike the data: {seen.unlike_data}"
    if case.kind == "hostile":
        assert seen.hostile_shown, f"{where}: no hostile text reached the screen to test"
    # 5. the budget holds, and 429s are answered with patience
    assert seen.traffic is not None
    assert seen.traffic.rate_limited == 0, f"{where}: {seen.traffic}"
    assert seen.traffic.busiest_second <= BUDGET_PER_S, f"{where}: {seen.traffic}"
    if case.storm:
        # Each 429 pauses the whole source for Retry-After (1 s) or 1, 2, 4 ... s.
        allowed = seen.storm_s + 2
        assert seen.storm_requests <= allowed, (
            f"{where}: {seen.storm_requests} requests in a {seen.storm_s:.1f} s 429 storm"
        )
    # 6. it recovers by itself
    assert f"{vendor} ok" in seen.recovered_status, seen.recovered_status
    assert seen.rows_after, f"{where}: no rows after recovery"
