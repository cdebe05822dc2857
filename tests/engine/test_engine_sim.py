"""The engine against the simulator at the real rate limits: budget, freshness, isolation."""

from __future__ import annotations

import asyncio
import itertools
import statistics
from collections.abc import Callable

from ccmon.domain import Agent, Collection
from ccmon.engine.engine import Engine
from ccmon.engine.health import Health, SourceHealth
from ccmon.sim.runner import SimServer
from tests.support.fault_floor import FAST_RETRY
from tests.support.sim import sim_now, sim_sources
from tests.support.waiting import eventually

MakeSim = Callable[..., SimServer]
RUN_S = 12.0


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


async def test_long_run_stays_within_the_rate_and_live_data_stays_fresh(
    make_sim: MakeSim,
) -> None:
    sim = make_sim(start=None, speed=1.0)  # the default floor, at today's date
    engine = Engine(sim_sources(sim), now=sim_now(sim))
    ages: dict[str, list[float]] = {"ccai.agent_status": [], "ccai.queue_status": []}
    async with engine:
        # The first fill (every feed once, ~15 requests at 1/s) is not steady state; it is
        # reached when the sampled live feeds have come round again after it.
        await eventually(
            lambda: all(state.runs for state in engine.feed_states()), "the first fill", 60
        )
        filled = {s.feed.id: s.runs for s in engine.feed_states() if s.feed.id in ages}
        await eventually(
            lambda: all(
                s.runs > filled[s.feed.id] for s in engine.feed_states() if s.feed.id in ages
            ),
            "the live feeds polled again after the first fill",
            15,
        )
        for _ in range(int(RUN_S * 10)):  # the window measured: a fixed time on purpose
            await asyncio.sleep(0.1)
            for feed, samples in ages.items():
                age = engine.feed_age(feed)
                assert age is not None
                samples.append(age)
        states = {s.feed.id: s for s in engine.feed_states()}
    log = sim.request_log()
    assert not [r for r in log if r.rate_limited]
    ccai = [r.monotonic_s for r in log if r.vendor.value == "ccai"]
    gaps = [b - a for a, b in itertools.pairwise(ccai)]
    assert min(gaps) >= 1.0 - sim.config.rate_tolerance_s
    assert len(ccai) <= (ccai[-1] - ccai[0]) * sim.config.ccai_rate.rate + 1
    for feed, samples in ages.items():
        assert p95(samples) <= 3.0, (feed, statistics.median(samples), p95(samples))
    assert all(state.runs > 0 for state in states.values()), [
        f for f, s in states.items() if not s.runs
    ]


async def test_a_failing_source_does_not_stop_the_others(make_sim: MakeSim) -> None:
    sim = make_sim(start=None, agents=10, rate_limit=False)
    sim.faults.set("alo", "auth")
    sim.faults.set("evo", "error5xx")
    # Quick retries: what is tested is that the others go on, not how long evo retries.
    sources = sim_sources(
        sim, retry=FAST_RETRY, CCMON_CCAI_RATE="20", CCMON_ALO_RATE="20", CCMON_EVO_RATE="20"
    )
    engine = Engine(sources, now=sim_now(sim), max_backoff_s=1.0)
    async with engine:

        def health() -> dict[str, SourceHealth]:
            return {h.source: h for h in engine.health()}

        await eventually(
            lambda: bool(
                engine.store.count(Collection.AGENTS)
                and health()["alo"].health is Health.AUTH_FAILED
                and health()["evo"].health is not Health.STARTING
            ),
            "agents from ccai, alo's auth failure and evo's first verdict",
            10,
        )

        def ccai_runs() -> dict[str, int]:
            return {s.feed.id: s.runs for s in engine.feed_states() if s.feed.source == "ccai"}

        before = ccai_runs()
        # ccai keeps polling while the others fail: its live feed comes round again.
        await eventually(
            lambda: ccai_runs()["ccai.agent_status"] > before["ccai.agent_status"],
            "ccai's live feed polled again while alo and evo fail",
            10,
        )
        after = health()
    assert after["ccai"].health is Health.OK
    assert after["alo"].health is Health.AUTH_FAILED
    assert "credentials rejected" in (after["alo"].last_error or "")
    assert after["evo"].health in (Health.DEGRADED, Health.UNREACHABLE)
    assert "server error" in (after["evo"].last_error or "")
    assert engine.store.count(Collection.AGENTS) >= 10


async def test_the_source_recovers_when_the_fault_clears(make_sim: MakeSim) -> None:
    sim = make_sim(start=None, agents=10, rate_limit=False)
    sim.faults.set("ccai", "html")
    engine = Engine(sim_sources(sim, CCMON_CCAI_RATE="20"), now=sim_now(sim), max_backoff_s=1.0)
    async with engine:

        def ccai() -> SourceHealth:
            return next(h for h in engine.health() if h.source == "ccai")

        # A failing poll first spends its retries (about 3.5-6.5 s), and a loaded CI machine
        # is slower still; each wait ends as soon as its condition holds.
        await eventually(lambda: ccai().last_error is not None, "the fault is seen", 30)
        assert "HTML" in (ccai().last_error or ""), ccai()
        assert engine.store.count(Collection.AGENTS) == 0
        sim.faults.clear("ccai")
        await eventually(
            lambda: ccai().health is Health.OK and engine.store.count(Collection.AGENTS) >= 10,
            "the source is back with every agent",
            30,
        )


async def test_the_first_request_brings_the_agents_with_their_names(make_sim: MakeSim) -> None:
    # At 1 request/second every request of the first fill costs a second on screen: the
    # roster goes first, so a supervisor sees the floor after one request, not after four.
    sim = make_sim(speed=0.0)
    engine = Engine(sim_sources(sim), now=sim_now(sim))
    async with engine:
        await eventually(lambda: engine.collections()[Collection.AGENTS] > 0, within=15)
        requests = [r.path for r in sim.request_log("ccai")]
    assert requests[0].endswith("/agents"), requests
    named = [
        a for a in engine.store.of_type(Collection.AGENTS, Agent) if not a.name.startswith("#")
    ]
    assert len(named) == len(sim.world.agents())


async def test_the_first_roster_walk_leaves_room_for_the_live_feeds(make_sim: MakeSim) -> None:
    # A big floor's first roster walk is many pages; it must not hold the budget for its
    # whole length (at 5,000 agents: 50 s without a single live poll).
    pages = 6
    sim = make_sim(agents=50 * pages - 10, rate_limit=False, speed=0.0)
    sources = sim_sources(
        sim,
        CCMON_CCAI_RATE="10",
        CCMON_CCAI_PAGE_SIZE="50",
        CCMON_CCAI_INTERVALS="agent_status=0.5,queue_status=0.5",
        CCMON_ALO_ENABLED="false",
        CCMON_EVO_ENABLED="false",
    )
    engine = Engine(sources, now=sim_now(sim))
    async with engine:
        states = {s.feed.id: s for s in engine.feed_states()}
        await eventually(lambda: states["ccai.agents"].runs > 0, within=60)
        agents = list(engine.store.of_type(Collection.AGENTS, Agent))
    log = [r.path.rsplit("/api/v1/", 1)[-1] for r in sim.request_log("ccai")]
    roster = [i for i, path in enumerate(log) if path == "agents"]
    assert len(roster) == pages, log
    assert log[0] == "agents"  # names still come with the first statuses
    during = log[roster[0] : roster[-1]]
    assert during.count("agents/current_status") >= 4, during
    assert len(agents) == len(sim.world.agents())
