"""The demo's day, as ccmon sees it: a normal floor at first, a rush later; ``--seed`` picks it.

Read over HTTP by ccmon's own sources from a simulator with a stopped clock, moved by hand,
and measured with ccmon's own metrics (the figures the screen shows).
"""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, datetime

from ccmon.commands.demo import DEMO_SEED, demo_config
from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.domain import Agent, AgentState, Collection, Interaction, Queue, Sla
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.metrics import FloorMetrics, compute
from ccmon.sim.runner import SimServer
from ccmon.still import read_once
from tests.support.sim import UNTHROTTLED

START = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
POLICY = SlaPolicy()  # ccmon's defaults: 80 % within 20 s, 60- and 15-minute windows


def floor_at(sim: SimServer) -> FloorMetrics:
    """Every feed read once at the simulator's present, and the floor metrics of that."""
    at = datetime.fromtimestamp(sim.clock.now(), UTC)
    env = {**sim.env, "CCMON_CONFIG": os.devnull, **UNTHROTTLED}
    sources = build_sources(load_settings(env=env), now=lambda: at)

    read_once(sources)

    def every(collection: Collection) -> list[object]:
        return [r for s in sources for r in s.records(collection)]

    return compute(
        now=at,
        agents=[r for r in every(Collection.AGENTS) if isinstance(r, Agent)],
        queues=[r for r in every(Collection.QUEUES) if isinstance(r, Queue)],
        interactions=[r for r in every(Collection.INTERACTIONS) if isinstance(r, Interaction)],
        sla=[r for r in every(Collection.SLA) if isinstance(r, Sla)],
        policy=POLICY,
    )


def demo_sim(seed: int | None = None) -> SimServer:
    """The demo's simulator, its clock stopped at START (moved with ``clock.advance``)."""
    config = demo_config(seed, start=START, speed=0.0, rate_limit=False)
    return SimServer(config)


def day(seed: int | None, minutes: list[int]) -> list[FloorMetrics]:
    seen = []
    with demo_sim(seed) as sim:
        elapsed = 0
        for minute in minutes:
            sim.clock.advance((minute - elapsed) * 60)
            elapsed = minute
            seen.append(floor_at(sim))
    return seen


def available(metrics: FloorMetrics) -> int:
    return metrics.agents_by_state[AgentState.AVAILABLE]


def pct(value: float | None) -> float:
    assert value is not None, "enough contacts for a service level"
    return value


def test_the_demo_starts_on_a_normal_floor_and_a_rush_comes_later() -> None:
    opening, two_in, rush, after, recovered = day(None, [0, 2, 12, 16, 30])
    target = POLICY.target_pct
    for calm in (opening, two_in):
        assert pct(calm.sl_pct) >= target
        assert pct(calm.recent_sl_pct) >= target
        assert available(calm) >= 3, "agents are free to take the next contact"
    assert available(rush) == 0, "the rush: nobody free"
    assert rush.waiting >= 3, "the rush: queues build"
    assert pct(after.recent_sl_pct) < target
    assert pct(after.recent_sl_pct) < pct(after.sl_pct), "the 15-minute figure shows it first"
    assert pct(recovered.recent_sl_pct) >= target > pct(recovered.sl_pct), (
        "the recovery shows in the 15-minute figure while the 60-minute one still remembers"
    )


def test_the_same_seed_is_the_same_day_and_another_seed_another() -> None:
    def picture(seed: int | None) -> list[tuple[object, ...]]:
        return [
            (m.sl_pct, m.recent_sl_pct, m.waiting, sorted(m.agents_by_state.items()))
            for m in day(seed, [0, 12])
        ]

    assert picture(DEMO_SEED + 1) == picture(DEMO_SEED + 1)
    assert picture(DEMO_SEED + 1) != picture(None)


def test_the_demo_day_is_the_default_simulator_day_and_tests_keep_theirs() -> None:
    from ccmon.sim.config import SimConfig
    from tests.support.sim import test_config

    assert demo_config().spells == SimConfig().spells, "ccmon sim serves the demo's day"
    assert test_config().spells != demo_config().spells
    assert dataclasses.replace(demo_config(5), seed=DEMO_SEED) == demo_config()
