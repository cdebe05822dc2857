"""Every feed of the screens implements the one ``Floor`` protocol, and none of the others
is a kind of live engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccmon.domain import Agent, AgentState, Collection
from ccmon.engine.engine import Engine
from ccmon.engine.events import DiffEvent
from ccmon.engine.floor import Floor, StoreFloor
from ccmon.replay.engine import ReplayEngine
from ccmon.replay.reader import read_recording
from ccmon.still import StillEngine, StillFloor
from tests.support.recorded_floor import A1, A2, A3, HEALTHY, START, write_floor


def live() -> Engine:
    engine = Engine([], now=lambda: START)
    engine.store.replace(Collection.AGENTS, "ccai", [A1, A2, A3])
    return engine


def still() -> StillEngine:
    return StillFloor(START, {(Collection.AGENTS, "ccai"): [A1, A2, A3]}, HEALTHY).engine()


async def replay(tmp_path: Path) -> ReplayEngine:
    path = tmp_path / "floor.ccmon.gz"
    await write_floor(path)
    engine = ReplayEngine(read_recording(path))
    engine.seek_to(5.0)  # after the first agents diff, before a1 takes a call at 10 s
    return engine


@pytest.fixture(params=["live", "still", "replay"])
async def floor(request: pytest.FixtureRequest, tmp_path: Path) -> Floor:
    kind = request.param
    if kind == "live":
        return live()
    if kind == "still":
        return still()
    return await replay(tmp_path)


async def test_each_floor_serves_the_screens_contract(floor: Floor) -> None:
    assert isinstance(floor, Floor)
    events: list[DiffEvent] = []
    unsubscribe = floor.subscribe(events.append)
    agents = [e for e in events if e.collection is Collection.AGENTS]
    assert [e.initial for e in agents] == [True]
    assert set(agents[0].diff.added) == {A1.key, A2.key, A3.key}
    assert {a.name for a in floor.records(Collection.AGENTS, Agent)} == {
        "Agent a1",
        "Agent a2",
        "Agent a3",
    }
    assert floor.collections()[Collection.AGENTS] == 3
    metrics = floor.metrics()
    assert metrics.agents_by_state[AgentState.AVAILABLE] == 1
    assert metrics.agents_by_state[AgentState.IN_CALL] == 1
    assert all(isinstance(name, str) for name in floor.source_names)
    assert isinstance(floor.feed_ages(), dict)
    assert floor.now().tzinfo is not None
    floor.refresh_now()
    unsubscribe()


@pytest.mark.parametrize("kind", [StillEngine, ReplayEngine])
def test_replay_and_still_are_not_live_engines(kind: type[StoreFloor]) -> None:
    assert not issubclass(kind, Engine)
    assert issubclass(kind, StoreFloor)


async def test_health_comes_from_each_floor_s_own_evidence(tmp_path: Path) -> None:
    assert still().health() == HEALTHY
    assert [h.source for h in (await replay(tmp_path)).health()] == ["ccai"]
    assert live().health() == []  # no sources, no health to report
