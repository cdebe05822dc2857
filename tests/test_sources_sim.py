"""ccmon's sources end to end against the simulator over loopback HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from ccmon.domain import Agent, Collection, Interaction, Phase, Queue, Sla
from ccmon.domain.serialize import iso
from ccmon.sim.runner import SimServer
from ccmon.snapshot.collect import collect
from ccmon.sources.ccai.source import CcaiSource
from tests.support.sim import UNTHROTTLED, sim_sources

MakeSim = Callable[..., SimServer]


async def read_everything(sim: SimServer, **env: str) -> Any:
    sources = sim_sources(sim, {**UNTHROTTLED, **env})
    try:
        return await collect(sources, ["ccai", "alo", "evo"], deadline_s=30)
    finally:
        for source in sources:
            await source.aclose()


async def test_every_feed_reads_the_simulator_without_losing_anything(make_sim: MakeSim) -> None:
    sim = make_sim(agents=30, rate_limit=False)
    snapshot = await read_everything(sim)
    for name, report in snapshot.sources.items():
        assert report.status == "ok", (name, report.error)
        assert report.skipped_records == 0, name
        assert report.degraded_fields == 0, name
    agents = {a.id: a for a in snapshot.collections[Collection.AGENTS] if isinstance(a, Agent)}
    world = {str(a.id): a for a in sim.world.agents()}
    assert set(world) <= set(agents)
    assert all(agents[i].name != f"#{i}" for i in world)  # joined with the roster
    assert all(agents[i].team for i in world)
    every_queue = [q for q in snapshot.collections[Collection.QUEUES] if isinstance(q, Queue)]
    queues = [q for q in every_queue if q.source == "ccai"]
    expected = {(str(v.menu_id), v.channel) for v in sim.world.queues()}
    assert {(q.id, q.channel) for q in queues} == expected
    assert any(q.in_queue > 0 for q in queues)
    assert all(q.agent_ids for q in queues)
    # Evo has no queue endpoint: its queues are those its sessions wait in.
    sessions = [
        i
        for i in snapshot.collections[Collection.INTERACTIONS]
        if isinstance(i, Interaction) and i.source == "evo"
    ]
    evo_queues = {(q.name, q.channel): q.in_queue for q in every_queue if q.source == "evo"}
    assert evo_queues
    assert evo_queues == {
        (name, kind): sum(
            1 for i in sessions if (i.queue, i.kind, i.phase) == (name, kind, Phase.WAITING)
        )
        for name, kind in {(i.queue, i.kind) for i in sessions if i.queue is not None}
    }
    kinds = {
        (i.source, i.kind)
        for i in snapshot.collections[Collection.INTERACTIONS]
        if isinstance(i, Interaction)
    }
    assert {("ccai", "call"), ("ccai", "chat"), ("evo", "call")} <= kinds
    assert snapshot.collections[Collection.ACTIONS]
    assert snapshot.collections[Collection.SLA]


async def test_singular_menu_spelling_is_found(make_sim: MakeSim) -> None:
    sim = make_sim(agents=10, rate_limit=False, menu_paths="singular")
    snapshot = await read_everything(sim)
    assert snapshot.sources["ccai"].status == "ok", snapshot.sources["ccai"].error
    assert snapshot.collections[Collection.QUEUES]
    paths = {r.path for r in sim.request_log("ccai") if r.status == 200}
    assert any("/menu/" in p for p in paths)
    assert any(p.endswith("/menu/sla_by_queue_group") for p in paths)  # as the prose spells it
    scopes = {s.scope for s in snapshot.collections[Collection.SLA] if isinstance(s, Sla)}
    assert scopes == {"queue", "queue_group"}


async def test_pages_end_on_a_short_page_without_headers(make_sim: MakeSim) -> None:
    sim = make_sim(agents=130, rate_limit=False, pagination_headers=False)
    [ccai] = [s for s in sim_sources(sim, UNTHROTTLED) if isinstance(s, CcaiSource)]
    await ccai.poll_roster()
    await ccai.aclose()
    assert len(ccai.agents()) == 130
    pages = [r for r in sim.request_log("ccai") if r.path.endswith("/agents")]
    assert len(pages) == 2


async def test_calls_are_incremental_after_the_first_poll(make_sim: MakeSim) -> None:
    sim = make_sim(agents=12, rate_limit=False)
    [ccai] = [s for s in sim_sources(sim, UNTHROTTLED) if isinstance(s, CcaiSource)]
    await ccai.poll_calls()
    first = {r.key: r for r in ccai.records(Collection.INTERACTIONS) if isinstance(r, Interaction)}
    first_requests = len([r for r in sim.request_log("ccai") if r.path.endswith("/calls")])
    newest = max(r.updated_at for r in first.values() if r.updated_at is not None)
    await asyncio.sleep(0.5)  # 15 s of simulated time: calls move on
    await ccai.poll_calls()
    await ccai.aclose()
    calls = [r for r in sim.request_log("ccai") if r.path.endswith("/calls")]
    second = [parse_qs(r.query) for r in calls[first_requests:]]
    assert first_requests >= 1
    assert len(first) > 50
    # One small page from the newest updated_at seen, less the two-minute overlap.
    assert len(second) == 1
    assert second[0]["updated_at[from]"] == [iso(newest - timedelta(seconds=120), millis=True)]
    assert calls[-1].response_bytes < sum(r.response_bytes for r in calls[:first_requests]) / 5
    after = {r.key: r for r in ccai.records(Collection.INTERACTIONS) if isinstance(r, Interaction)}
    assert set(first) <= set(after)  # nothing seen before is lost
    changed = [key for key in first if after[key] != first[key]]
    assert changed  # and what changed in between came in with the small page
    assert all(after[key].updated_at is not None for key in changed)


def _demo_snapshot() -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCMON_")}
    return subprocess.Popen(
        [sys.executable, "-m", "ccmon", "snapshot", "--demo", "--format", "json"],
        env={**env, "CCMON_CONFIG": os.devnull},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def test_demo_snapshot_is_the_same_floor_twice() -> None:
    runs = [_demo_snapshot(), _demo_snapshot()]  # in parallel: each waits on 1 req/s
    documents = []
    for run in runs:
        out, err = run.communicate(timeout=90)
        assert run.returncode == 0, err
        documents.append(json.loads(out))
    first, second = documents

    def floor(doc: dict[str, Any]) -> tuple[Any, Any]:
        agents = sorted(
            (a["id"], a["name"], a["team"], a["state"], a["status"]) for a in doc["agents"]
        )
        queues = sorted((q["id"], q["name"], q["channel"], q["source"]) for q in doc["queues"])
        return agents, queues

    def since(doc: dict[str, Any]) -> dict[str, float]:
        return {a["id"]: _epoch(a["state_since"]) for a in doc["agents"] if a["state_since"]}

    assert floor(first) == floor(second)
    # Each world starts at its own "now" (to the second), so times agree within that.
    assert since(first).keys() == since(second).keys()
    assert all(abs(t - since(second)[i]) <= 2 for i, t in since(first).items())
    assert len(first["agents"]) == 25
    assert len({a["name"] for a in first["agents"]}) == 25  # 25 people, not one name repeated
    assert all(" " in a["name"] and not a["name"].startswith("#") for a in first["agents"])
    assert first["sources"]["ccai"]["rate_limited"] == 0
