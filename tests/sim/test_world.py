"""The world model alone: seeded, deterministic, independent of how often it is read."""

from __future__ import annotations

import random
from typing import Any

from ccmon.sim.render import alo, evo
from ccmon.sim.render.ccai import CcaiRenderer
from ccmon.sim.world import World, WorldConfig
from ccmon.sim.world.config import OPENING_RUSH
from ccmon.sim.world.model import Channel
from ccmon.sim.world.stats import queue_status, sla_by_group, sla_by_queue
from ccmon.sim.world.statuses import ALL_STATUSES

RENDER = CcaiRenderer("demo")
SMALL = WorldConfig(seed=11, agents=10, queues=6, interactions_per_day=2_000)


def floor_json(world: World) -> dict[str, Any]:
    floor = world.ccai.floor
    # The roster without what changes as the world runs.
    still = {"status": None, "status_updated_at": None, "last_login_time": None}
    return {
        "agents": [RENDER.agent(a) | still for a in floor.agents],
        "menus": [RENDER.menu(m) for m in floor.menus],
        "teams": [RENDER.team(t) for t in floor.teams],
        "groups": [g.name for g in floor.groups],
    }


def everything(world: World) -> dict[str, Any]:
    """Every record every endpoint could show, at the world's present."""
    now, ccai = world.now, world.ccai
    return {
        "agents": [RENDER.agent(a) for a in ccai.floor.agents],
        "current": [RENDER.agent_current_status(a, now) for a in ccai.floor.agents],
        "logs": [RENDER.activity_log(log) for log in ccai.activity_logs],
        "calls": [RENDER.call(c) for c in ccai.contacts[Channel.CALL].values()],
        "chats": [RENDER.chat(c) for c in ccai.contacts[Channel.CHAT].values()],
        "queues": [RENDER.queue_status(row) for row in queue_status(ccai, now)],
        "sla": [RENDER.menu_sla(q, s) for q, s in sla_by_queue(ccai, now, 60, Channel.CALL)],
        "groups": [RENDER.group_sla(g, s) for g, s in sla_by_group(ccai, now, 15, Channel.CHAT)],
        "evo": [evo.session(c) for by_id in world.evo.contacts.values() for c in by_id.values()],
        "periods": [alo.period(p) for p in world.alo.periods],
        "actions": [alo.action(a) for p in world.alo.periods for a in p.actions],
    }


def test_the_same_seed_builds_the_same_floor() -> None:
    assert floor_json(World(SMALL)) == floor_json(World(SMALL))


def test_another_seed_builds_another_roster() -> None:
    names = {a.name for a in World(SMALL).ccai.floor.agents}
    other = {a.name for a in World(WorldConfig(seed=12, agents=10)).ccai.floor.agents}
    assert names != other


def test_state_at_a_time_does_not_depend_on_how_often_it_was_read() -> None:
    once, often = World(SMALL), World(SMALL)
    target = SMALL.start + 3 * 3600
    steps = random.Random(5)
    while often.now < target:
        often.advance_to(min(target, often.now + steps.uniform(0.5, 400)))
        if steps.random() < 0.2:
            everything(often)  # reading must not change anything either
    once.advance_to(target)
    assert everything(once) == everything(often)


def test_time_only_moves_forward() -> None:
    world = World(SMALL)
    before = everything(world)
    world.advance_to(SMALL.start - 600)
    assert world.now == SMALL.start
    assert everything(world) == before


def test_the_default_floor_reads_like_a_contact_center() -> None:
    world = World(WorldConfig())
    agents = world.ccai.floor.agents
    assert len(agents) == 25
    assert len({a.name for a in agents}) == 25
    assert all("agent" not in a.name.lower() and "@" in a.email for a in agents)
    assert {"Tier 1 Support", "Billing", "Sales"} <= {t.name for t in world.ccai.floor.teams}
    paths = {q.menu.path for q in world.ccai.floor.queues}
    assert len(world.ccai.floor.leaves) == 6
    assert {"Main Line/Billing", "Web Chat/Orders", "Main Line/Technical Support/Internet"} <= paths
    assert {q.channel for q in world.ccai.floor.queues} == {Channel.CALL, Channel.CHAT}


def test_the_floor_is_busy_with_history_when_it_opens() -> None:
    world = World(WorldConfig(spells=OPENING_RUSH))  # the tests' day opens in a rush
    ccai = world.ccai
    assert queue_status(ccai, world.now), "contacts wait in some queue at time zero"
    statuses = {a.status.name for a in ccai.floor.agents}
    assert "In-call" in statuses
    assert len(statuses) >= 4
    calls = list(ccai.contacts[Channel.CALL].values())
    assert {c.phase.value for c in calls} >= {"finished", "abandoned", "connected"}
    assert any(sla is not None for _, sla in sla_by_queue(ccai, world.now, 60, Channel.CALL))
    assert len(ccai.activity_logs) > 100
    assert any(p.actions for p in world.alo.periods)
    assert world.evo.contacts[Channel.CALL]


def test_agents_use_the_documented_statuses_and_a_custom_one() -> None:
    world = World(WorldConfig(seed=3))
    world.advance_to(world.now + 12 * 3600)
    used = {log.status for log in world.ccai.activity_logs}
    assert used <= set(ALL_STATUSES)
    assert {s.name for s in used} >= {"Available", "In-call", "In-chat", "Wrap-up", "Offline"}
    assert any(s.id > 0 for s in used), "the custom status shows up"


def test_contacts_that_give_up_are_failed_and_outside_sla() -> None:
    world = World(WorldConfig(seed=4))
    world.advance_to(world.now + 4 * 3600)
    calls = [RENDER.call(c) for c in world.ccai.contacts[Channel.CALL].values()]
    failed = [c for c in calls if c["status"] == "failed"]
    assert failed
    assert all(c["fail_reason"] == "eu_abandoned" for c in failed)
    events = {c["queue_durations"][0]["service_level_event"] for c in failed}
    assert events <= {"excluded", "not_in_sla"}
    answered = [c for c in calls if c["status"] == "finished"]
    assert {c["queue_durations"][0]["service_level_event"] for c in answered} <= {
        "in_sla",
        "not_in_sla",
    }
    assert all(c["agent_info"] is not None and c["call_duration"] > 0 for c in answered)


def test_old_history_is_forgotten() -> None:
    config = WorldConfig(seed=2, agents=6, retention_s=3600)
    world = World(config)
    world.advance_to(world.now + 6 * 3600)
    oldest = min(c.created_at for c in world.ccai.contacts[Channel.CALL].values())
    assert oldest > world.now - 2 * 3600


def test_a_large_floor_builds() -> None:
    world = World(WorldConfig(agents=5_000, queues=500, interactions_per_day=20_000, warmup_s=600))
    assert len(world.ccai.floor.agents) == 5_000
    assert len(world.ccai.floor.leaves) == 500
    assert len({a.name for a in world.ccai.floor.agents}) == 5_000
    assert all(q.team_assignments for q in world.ccai.floor.queues)
