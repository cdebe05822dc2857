"""A rate set above what the account allows costs a few 429s, not half the requests.

The simulated account allows (and documents) 4 requests/second, enforced on arrival, so the
test takes seconds; ccmon is told 100. (At CCAI's real 1/s, before the limiter adapted, 11 of
the first 23 requests drew a 429.)
"""

from __future__ import annotations

from collections.abc import Callable

from ccmon.engine.engine import Engine
from ccmon.sim.config import RateLimit
from ccmon.sim.runner import SimServer
from tests.support.sim import sim_now, sim_sources
from tests.support.waiting import eventually

REQUESTS = 20
ALLOWED = 4.0


async def test_a_rate_above_the_limit_slows_down_after_the_first_429s(
    make_sim: Callable[..., SimServer],
) -> None:
    sim = make_sim(agents=10, speed=0.0, ccai_rate=RateLimit(ALLOWED, 1))
    sources = sim_sources(
        sim,
        documented_rates={"ccai": ALLOWED},
        CCMON_CCAI_RATE="100",
        CCMON_ALO_ENABLED="false",
        CCMON_EVO_ENABLED="false",
    )
    engine = Engine(sources, now=sim_now(sim))
    async with engine:
        await eventually(
            lambda: len(sim.request_log("ccai")) >= REQUESTS, "enough requests", within=60
        )
        [health] = engine.health()
    log = sim.request_log("ccai")
    rejected = [r for r in log if r.rate_limited]
    assert len(rejected) <= 4, f"{len(rejected)} of {len(log)} requests drew a 429"
    assert health.rate == 100
    assert health.effective_rate is not None
    assert health.effective_rate <= ALLOWED
