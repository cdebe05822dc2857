"""A small recorded floor, written through the real Recorder with a hand-turned clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ccmon.domain import Agent, AgentState, Collection, Interaction, Phase, Queue, Record
from ccmon.engine.engine import Engine
from ccmon.engine.events import DiffEvent
from ccmon.engine.health import Health, SourceHealth
from ccmon.replay.recording import Recorder

START = datetime(2026, 11, 25, 8, 30, 0, 250_000, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def agent(id: str, state: AgentState, since: float) -> Agent:
    return Agent("ccai", id, f"Agent {id}", state, state.value, at(since), "Blue")


def queue(waiting: int) -> Queue:
    return Queue("ccai", "q1", "Main Line/Billing", "call", waiting, 30 if waiting else None, None)


def call(id: str, phase: Phase) -> Interaction:
    return Interaction("ccai", "call", id, phase.value, phase, "Main Line/Billing", None, at(0.5))


A1 = agent("a1", AgentState.AVAILABLE, -60)
A2 = agent("a2", AgentState.IN_CALL, -30)
A3 = agent("a3", AgentState.AWAY, -90)


@dataclass(frozen=True)
class Step:
    t: float
    collection: Collection
    records: Sequence[Record]


STEPS = [
    Step(0.5, Collection.AGENTS, [A1, A2, A3]),
    Step(0.5, Collection.QUEUES, [queue(2)]),
    Step(1.0, Collection.INTERACTIONS, [call("c1", Phase.WAITING)]),
    Step(10.0, Collection.AGENTS, [agent("a1", AgentState.IN_CALL, 10), A2, A3]),
    Step(20.0, Collection.AGENTS, [agent("a1", AgentState.IN_CALL, 10), A2]),
    Step(20.0, Collection.QUEUES, [queue(0)]),
    Step(30.0, Collection.INTERACTIONS, [call("c1", Phase.ENDED), call("c2", Phase.WAITING)]),
    Step(
        40.0,
        Collection.AGENTS,
        [
            agent("a1", AgentState.IN_CALL, 10),
            replace(A2, state=AgentState.WRAP_UP, status="wrap_up", state_since=at(40)),
        ],
    ),
]
"""Eight diffs over 40 s: a1 takes a call at 10 s, a3 logs off and the queue empties at
20 s, c1 ends and c2 arrives at 30 s, a2 goes to wrap-up at 40 s."""

HEALTHY = [
    SourceHealth("ccai", Health.OK, 1.5, 30, 57, 0, 120, None, (), 0, 0),
]


class HandClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


class RecordedEngine(Engine):
    """An engine without sources whose health is whatever the test says."""

    def __init__(self) -> None:
        super().__init__([], now=lambda: START)
        self.fake_health: list[SourceHealth] = list(HEALTHY)

    def health(self) -> list[SourceHealth]:
        return self.fake_health


async def write_floor(
    path: Path, steps: Sequence[Step] = STEPS, *, flush_each: bool = False
) -> tuple[list[DiffEvent], list[int]]:
    """Record ``steps`` to ``path``: the diffs published, and the file's size after each
    step when ``flush_each`` (every byte up to there is a complete line)."""
    clock = HandClock()
    engine = RecordedEngine()
    events: list[DiffEvent] = []
    engine.subscribe(events.append)
    sizes: list[int] = []
    async with Recorder(path, engine, monotonic=clock, flush_s=3600) as recorder:
        for step in steps:
            clock.t = step.t
            engine.store.replace(step.collection, "ccai", step.records)
            if flush_each:
                recorder.flush()
                sizes.append(path.stat().st_size)
    return events, sizes


def many_steps(count: int) -> list[Step]:
    """``count`` diffs a second apart over seven agents, each changing one agent's state."""
    states = [AgentState.AVAILABLE, AgentState.IN_CALL, AgentState.WRAP_UP]
    floor = {n: agent(f"a{n}", AgentState.AWAY, 0) for n in range(7)}
    steps = []
    for n in range(count):
        floor[n % 7] = agent(f"a{n % 7}", states[n % 3], n)
        steps.append(Step(float(n), Collection.AGENTS, list(floor.values())))
    return steps
