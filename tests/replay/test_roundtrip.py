"""Record a real engine against the simulator, replay the file: the same diffs come out."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gzip
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.domain import Collection
from ccmon.engine.engine import Engine
from ccmon.engine.events import DiffEvent
from ccmon.replay.engine import ReplayEngine
from ccmon.replay.reader import read_recording
from ccmon.replay.recording import Recorder
from ccmon.sim import testing
from ccmon.sim.runner import SimServer
from tests.support.sim import running_sim, sim_now

EVENTS = 40
FAST = {"CCMON_CCAI_RATE": "50", "CCMON_ALO_RATE": "50", "CCMON_EVO_RATE": "50"}
QUICK_FEEDS = {
    "ccai": {"intervals": {"agent_status": 0.2, "queue_status": 0.2, "calls": 0.5, "chats": 0.5}},
    "alo": {"intervals": {"actions": 0.3}},
    "evo": {"intervals": {"sessions": 0.3}},
}


@dataclass
class Recorded:
    path: Path
    events: list[DiffEvent]
    health_lines: int


async def record(sim: SimServer, path: Path) -> Recorded:
    settings = load_settings(
        env={**sim.env, **FAST, "CCMON_CONFIG": os.devnull}, overrides=QUICK_FEEDS
    )
    engine = Engine(build_sources(settings, now=sim_now(sim)), now=sim_now(sim))
    events: list[DiffEvent] = []
    enough = asyncio.Event()

    def collect(event: DiffEvent) -> None:
        events.append(event)
        if len(events) >= EVENTS:
            enough.set()

    engine.subscribe(collect)
    async with Recorder(path, engine, flush_s=0.2, health_s=0.5) as recorder, engine:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(15):
                await enough.wait()
    return Recorded(path, events, recorder.lines)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    path = tmp_path_factory.mktemp("replay") / "sim.jsonl.gz"
    with running_sim(agents=8, rate_limit=False) as sim:
        yield asyncio.run(record(sim, path))


def shape(event: DiffEvent) -> tuple[Any, ...]:
    diff = event.diff
    return (
        event.collection,
        event.source,
        dict(diff.added),
        sorted(diff.removed),
        {key: (change.new, dict(change.fields)) for key, change in diff.changed.items()},
    )


def test_replaying_a_recording_yields_the_same_diffs(recorded: Recorded) -> None:
    assert len(recorded.events) >= EVENTS
    assert len({e.collection for e in recorded.events}) >= 4
    recording = read_recording(recorded.path)
    assert recording.warnings == []
    replay = ReplayEngine(recording)
    replayed: list[DiffEvent] = []
    replay.subscribe(replayed.append)
    for _ in recording.diffs:
        replay.step(1)
    assert [shape(e) for e in replayed] == [shape(e) for e in recorded.events]


def test_seeking_back_rebuilds_the_state_at_the_cursor(recorded: Recorded) -> None:
    recording = read_recording(recorded.path)
    replay = ReplayEngine(recording)
    halfway = len(recording.diffs) // 2
    replay.step(halfway)
    expected = {c: sorted(r.key for r in replay.store.records(c)) for c in Collection}
    replay.seek_to(replay.duration)
    replay.step(halfway - len(recording.diffs))  # back to the same diff
    assert {c: sorted(r.key for r in replay.store.records(c)) for c in Collection} == expected


def test_the_recording_holds_no_secrets(recorded: Recorded) -> None:
    text = gzip.decompress(recorded.path.read_bytes()).decode()
    basic = base64.b64encode(f"{testing.CCAI_USERNAME}:{testing.CCAI_TOKEN}".encode()).decode()
    for secret in (
        testing.CCAI_TOKEN,
        testing.ALO_TOKEN,
        testing.EVO_TOKEN,
        testing.ADMIN_TOKEN,
        basic,
    ):
        assert secret not in text


def test_source_health_is_recorded_every_few_seconds(recorded: Recorded) -> None:
    recording = read_recording(recorded.path)
    assert len(recording.health) >= 2
    assert {h.source for h in recording.health[-1].sources} == {"ccai", "alo", "evo"}
    assert recording.health[-1].sources[0].requests > 0
