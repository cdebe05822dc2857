"""The Python API tests use to poke the world, seen through the vendor APIs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ccmon.sim.runner import SimServer
from tests.support.sim import sim_client

MakeSim = Callable[..., SimServer]


def current(client: httpx.Client) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in client.get("agents/current_status").json()}


def test_set_agent_status_shows_in_the_api(make_sim: MakeSim) -> None:
    sim = make_sim(rate_limit=False, speed=0)
    agent = sim.world.agents()[0]
    with sim_client(sim, "ccai") as client:
        sim.world.set_agent_status(agent.id, "break")
        row = current(client)[agent.id]
        assert (row["status"], row["status_id"]) == ("Break", -2)
        sim.world.set_agent_status(agent.id, "Coaching")
        assert current(client)[agent.id]["status_id"] == 5
        sim.world.set_agent_status(agent.id, "Offline")
        assert agent.id not in current(client)
        sim.world.set_agent_status(agent.id, "Available")
        assert current(client)[agent.id]["status"] in ("Available", "In-call", "In-chat")
        logs = client.get("agent_activity_logs", params={"agent_id[]": agent.id, "per": 100}).json()
        activities = [log["activity"] for log in logs]
        logout = len(activities) - 1 - activities[::-1].index("logout")
        assert activities[logout - 2 : logout + 2] == [
            "user_status_changed",  # Break
            "user_status_changed",  # Coaching
            "logout",
            "login",
        ]


def test_a_poked_status_sticks_while_time_passes(make_sim: MakeSim) -> None:
    sim = make_sim(rate_limit=False, speed=0)
    agent = sim.world.agents()[3]
    sim.world.set_agent_status(agent.id, "Meal")
    sim.clock.advance(4 * 3600)
    assert next(a for a in sim.world.agents() if a.id == agent.id).status == "Meal"


def test_unknown_agents_and_statuses(sim: SimServer) -> None:
    with pytest.raises(KeyError):
        sim.world.set_agent_status(1, "Break")
    with pytest.raises(KeyError):
        sim.world.set_agent_status(sim.world.agents()[0].id, "Napping")


def test_enqueued_contacts_wait_when_nobody_can_answer(make_sim: MakeSim) -> None:
    sim = make_sim(rate_limit=False, speed=0)
    for agent in sim.world.agents():
        sim.world.set_agent_status(agent.id, "Unavailable")
    sim.world.enqueue_contacts("Web Chat/Orders", 3, channel="chat")
    queue = next(q for q in sim.world.queues() if q.path == "Web Chat/Orders")
    assert queue.waiting >= 3
    with sim_client(sim, "ccai") as client:
        rows = client.get("menus/current_status").json()
    orders = next(r for r in rows if r["menu_path"] == "Web Chat/Orders")
    assert orders["comm_type"] == "Chat"
    assert orders["in_queue_count"] == queue.waiting
    with pytest.raises(KeyError):
        sim.world.enqueue_contacts("Nowhere/At All", 1)


def test_roster_and_teams(sim: SimServer) -> None:
    agents = sim.world.agents()
    teams = sim.world.teams()
    assert len(agents) == 12
    members = {member for team in teams for member in team.member_ids}
    assert members == {a.id for a in agents}
    assert all(a.queues for a in agents)
    assert sim.world.now().year == 2024
