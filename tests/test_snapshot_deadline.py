"""``snapshot`` against a big floor and a failing source, at the real rate limit.

A snapshot has a deadline (it must finish within a minute); what it reads first and what it
says when the deadline comes decide whether the document is any use.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.domain import Agent, Collection, Queue
from ccmon.http import ErrorKind
from ccmon.sim.config import RateLimit
from ccmon.sim.runner import SimServer
from ccmon.snapshot.collect import Snapshot, collect
from tests.support.sim import sim_sources

MakeSim = Callable[..., SimServer]


async def _snapshot(sim: SimServer, deadline_s: float, **env: str) -> Snapshot:
    sources = [s for s in sim_sources(sim, env) if s.name == "ccai"]
    try:
        return await collect(sources, ["ccai"], deadline_s=deadline_s)
    finally:
        for source in sources:
            await source.aclose()


async def test_a_floor_too_big_for_the_deadline_gives_live_data_and_says_what_is_missing(
    make_sim: MakeSim,
) -> None:
    # 1,000 agents: a 10-page roster, more than a 3 s deadline at 5 requests/second allows
    # (the proportions of 5,000 agents at CCAI's 1 request/second and snapshot's 50 s).
    sim = make_sim(agents=1000, queues=20, speed=0, ccai_rate=RateLimit(5, 1))
    snapshot = await _snapshot(sim, deadline_s=3, CCMON_CCAI_RATE="5")
    report = snapshot.sources["ccai"]
    agents = [a for a in snapshot.collections[Collection.AGENTS] if isinstance(a, Agent)]
    queues = [q for q in snapshot.collections[Collection.QUEUES] if isinstance(q, Queue)]
    logged_in = {str(a.id) for a in sim.world.agents() if a.logged_in}
    assert report.status == "error"
    assert report.error is not None
    assert "ccai: gave up after 3 s at 5 requests/s with agents, calls, chats not" in report.error
    assert report.failed_feeds == ["agents", "calls", "chats"]
    assert report.error_kind is ErrorKind.TIMEOUT  # the deadline: the floor is too big for it
    # Live status came first: every logged-in agent is there, with a state.
    assert logged_in <= {a.id for a in agents}
    # The roster pages read before the deadline were kept: some names, not none.
    named = [a for a in agents if not a.name.startswith("#")]
    assert 0 < len(named) < 1000 * 0.8
    # The menu tree and SLA were read before the roster: queues have their names.
    assert queues
    assert all(q.name and not q.name.startswith("#") for q in queues)
    assert snapshot.collections[Collection.SLA]
    assert not [r for r in sim.request_log() if r.rate_limited]


async def test_a_refused_connection_is_named_and_ends_the_source_early() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    env = {
        "CCMON_CONFIG": "/dev/null",
        "CCMON_CCAI_BASE_URL": f"http://127.0.0.1:{port}/manager/api/v1",
        "CCMON_CCAI_TOKEN": "t",
    }
    sources = build_sources(load_settings(env=env))
    try:
        snapshot = await collect(sources, ["ccai"], deadline_s=50)
    finally:
        for source in sources:
            await source.aclose()
    report = snapshot.sources["ccai"]
    assert report.error is not None
    assert "connection refused" in report.error
    assert report.failed_feeds == ["agent_status"]  # the others would be refused the same
    assert report.counters["requests"] == 4  # one request, its retries, nothing more


async def test_the_real_error_survives_the_deadline(make_sim: MakeSim) -> None:
    sim = make_sim(agents=12)
    sim.faults.set("ccai", "html")
    snapshot = await _snapshot(sim, deadline_s=8)
    error = snapshot.sources["ccai"].error
    assert error is not None
    assert error.startswith("ccai: server error (HTTP 502 on /agents/current_status, an HTML")
    assert "; gave up after 8 s" in error
