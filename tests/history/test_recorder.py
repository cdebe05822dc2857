"""The recorder: what an engine's diffs become in the store, and the faults that turn the
history off while the floor runs on."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ccmon.domain import Agent, AgentState, Collection, Interaction, Phase, Queue
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.engine import Engine
from ccmon.history.recorder import HistoryOptions, HistoryRecorder
from ccmon.history.store import HistoryStore
from ccmon.history.view import history_of
from tests.history.helpers import DAY, at, contact
from tests.support.waiting import eventually

POLICY = SlaPolicy(threshold_s=20, short_abandon_s=5, min_contacts=1)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.at = now

    def __call__(self) -> datetime:
        return self.at


def agent(id: str, state: AgentState) -> Agent:
    return Agent("ccai", id, f"Agent {id}", state, state.value, None, None)


def queue(waiting: int) -> Queue:
    return Queue("ccai", "q1", "Main/Billing", "call", waiting, 30 if waiting else None, None)


def floor(clock: Clock) -> Engine:
    return Engine([], now=clock)


def recorder(engine: Engine, path: Path, **options: object) -> HistoryRecorder:
    made = HistoryRecorder(
        engine,
        HistoryOptions(path=path, policy=POLICY, **options),  # type: ignore[arg-type]
        say=said.append,
        flush_s=0.02,
        sample_s=3600,
        refresh_s=0,
    )
    engine.companions.append(made)
    return made


said: list[str] = []


@pytest.fixture(autouse=True)
def fresh_said() -> Iterator[None]:
    said.clear()
    yield
    said.clear()


async def until_loaded(rec: HistoryRecorder) -> None:
    assert await rec.wait_loaded(10)


async def test_a_run_is_recorded_and_read_back_at_the_next_start(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    clock = Clock(at(8, 0, 30))
    engine = floor(clock)
    rec = recorder(engine, path)
    assert history_of(engine) is rec
    engine.start()
    await until_loaded(rec)
    engine.store.replace(Collection.AGENTS, "ccai", [agent("1", AgentState.AVAILABLE)])
    engine.store.replace(Collection.QUEUES, "ccai", [queue(2)])
    engine.store.replace(
        Collection.INTERACTIONS, "ccai", [contact("a", at(8, 0, 10), Phase.WAITING)]
    )
    rec.take_sample()
    clock.at = at(8, 1, 30)
    engine.store.replace(Collection.AGENTS, "ccai", [agent("1", AgentState.IN_CALL)])
    engine.store.replace(
        Collection.INTERACTIONS, "ccai", [contact("a", at(8, 0, 10), Phase.ACTIVE, wait=15)]
    )
    clock.at = at(8, 2, 30)
    assert rec.intervals("Main/Billing") == []  # asked for: read from the next refresh on
    await engine.stop()  # the last sample, and the agent's time up to it
    assert rec.problem is None
    assert said == []

    [row] = rec.intervals()
    assert (row.start, row.stats.offered, row.stats.in_sl, row.peak_waiting) == (at(8, 0), 1, 1, 2)
    assert row.occupancy_pct == 50.0  # 60 s available, 60 s in a call
    assert [r.queue for r in rec.intervals("Main/Billing")] == ["Main/Billing"]
    store = HistoryStore(path)
    assert [s.at for s in store.samples(DAY, DAY + timedelta(days=1))] == [at(8, 0), at(8, 2)]
    assert store.agent_seconds(DAY, DAY + timedelta(days=1)) == {
        ("ccai", "1"): {"available": 60.0, "in_call": 60.0}
    }

    again = floor(clock)
    second = recorder(again, path)
    again.start()
    await until_loaded(second)
    recent = second.samples(5)
    assert [s is not None for s in recent] == [False, False, True, False, True]
    assert second.series("waiting", 3) == [2, None, 2]
    assert [r.stats.offered for r in second.intervals()] == [1]
    await again.stop()


async def test_a_clock_jump_creates_and_loses_no_interval(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    clock = Clock(at(9, 0, 5))
    engine = floor(clock)
    rec = recorder(engine, path)
    engine.start()
    await until_loaded(rec)
    engine.store.replace(Collection.AGENTS, "ccai", [agent("1", AgentState.AVAILABLE)])
    engine.store.replace(Collection.QUEUES, "ccai", [queue(1)])
    for minute in range(1, 4):
        clock.at = at(9, minute, 5)
        rec.take_sample()
    clock.at = at(8, 2, 5)  # NTP sets it back an hour: nothing lands in the 08:00 interval
    rec.take_sample()
    engine.store.replace(Collection.AGENTS, "ccai", [agent("1", AgentState.IN_CALL)])
    clock.at = at(11, 4, 5)  # then two hours forward: the gap stays a gap
    rec.take_sample()
    clock.at = at(11, 5, 5)
    await engine.stop()
    store = HistoryStore(path)
    day = (DAY, DAY + timedelta(days=1))
    starts = [r.start for r in store.intervals(*day, interval_min=15, policy=POLICY)]
    assert starts == [at(9, 0), at(11, 0)]
    minutes = [s.at for s in store.samples(*day)]
    assert minutes == [at(9, 1), at(9, 2), at(9, 3), at(11, 4), at(11, 5)]
    seconds = store.agent_seconds(*day)[("ccai", "1")]
    assert seconds == {"available": 180.0, "in_call": 60.0}


async def _fault(engine: Engine, rec: HistoryRecorder) -> None:
    """Run the floor through the fault: it goes on, the history says why it is off, once."""
    engine.start()
    for n in range(3):
        contacts = [contact(f"{n}-{i}", at(8, 1), Phase.WAITING) for i in range(1500)]
        engine.store.replace(Collection.INTERACTIONS, "ccai", contacts)
        engine.store.replace(Collection.QUEUES, "ccai", [queue(n)])
        rec.take_sample()
        await asyncio.sleep(0.1)
    engine.store.replace(Collection.QUEUES, "ccai", [queue(9)])  # the floor runs on
    assert engine.metrics(POLICY).waiting == 9
    await engine.stop()
    assert rec.problem is not None
    assert said == [rec.problem]


async def test_disk_full_turns_history_off(tmp_path: Path) -> None:
    """Simulated with sqlite's max_page_count: the file cannot grow past 16 pages."""
    engine = floor(Clock(at(8, 2)))
    rec = recorder(engine, tmp_path / "h.sqlite3", max_pages=16)
    await _fault(engine, rec)
    assert rec.problem == "history off: database or disk is full"


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """An existing store that cannot be written: immutable (chattr +i) as root, who
    ignores file modes, else mode 0444."""
    path = tmp_path / "h.sqlite3"
    HistoryStore(path).close()
    chattr = shutil.which("chattr")
    if os.geteuid() == 0:
        assert chattr is not None, "root ignores file modes: this test needs chattr"
        subprocess.run([chattr, "+i", str(path)], check=True)
        yield path
        subprocess.run([chattr, "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        yield path


async def test_a_read_only_file_turns_history_off(read_only: Path) -> None:
    engine = floor(Clock(at(8, 2)))
    rec = recorder(engine, read_only)
    await _fault(engine, rec)
    assert rec.problem is not None
    assert "readonly" in rec.problem


LOCKER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(30)
"""


async def test_a_store_locked_beyond_the_busy_timeout_turns_history_off(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    HistoryStore(path).close()
    locker = await asyncio.create_subprocess_exec(
        sys.executable, "-c", LOCKER, str(path), stdout=asyncio.subprocess.PIPE
    )
    try:
        assert locker.stdout is not None
        assert (await locker.stdout.readline()).strip() == b"locked"
        engine = floor(Clock(at(8, 2)))
        rec = recorder(engine, path, busy_timeout_s=0.3)
        await _fault(engine, rec)
        assert rec.problem == "history off: database is locked"
    finally:
        locker.kill()
        await locker.wait()


async def test_a_corrupt_file_turns_history_off(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not a database, whatever it was\n" * 200)
    engine = floor(Clock(at(8, 2)))
    rec = recorder(engine, path)
    await _fault(engine, rec)
    assert rec.problem == "history off: file is not a database"
    assert path.read_bytes().startswith(b"this is not a database")


WRITER = """
import sys
from datetime import UTC, datetime, timedelta
from ccmon.domain import Interaction, Phase
from ccmon.domain.policy import SlaPolicy
from ccmon.history.store import HistoryStore, contact_row
store = HistoryStore(__import__("pathlib").Path(sys.argv[1]))
start = datetime(2026, 11, 25, 8, tzinfo=UTC)
for n in range(100):
    c = Interaction("evo", "chat", f"other-{n}", "waiting", Phase.WAITING, "Q", None,
                    start + timedelta(seconds=n))
    store.write(contacts=[contact_row(c, SlaPolicy())])
print("done", flush=True)
"""


async def test_two_processes_record_into_one_store(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    engine = floor(Clock(at(8, 2)))
    rec = recorder(engine, path)
    engine.start()
    await until_loaded(rec)
    other = await asyncio.create_subprocess_exec(
        sys.executable, "-c", WRITER, str(path), stdout=asyncio.subprocess.PIPE
    )
    mine: list[Interaction] = []
    for n in range(100):
        mine.append(contact(f"mine-{n}", at(8, 0, n % 60), Phase.WAITING))
        engine.store.replace(Collection.INTERACTIONS, "ccai", list(mine))
        await asyncio.sleep(0.005)
    out, _ = await other.communicate()
    await engine.stop()
    assert (other.returncode, out.strip()) == (0, b"done")
    assert rec.problem is None
    db = sqlite3.connect(path)
    counts = dict(db.execute("SELECT source, COUNT(*) FROM contacts GROUP BY source").fetchall())
    assert counts == {"ccai": 100, "evo": 100}


async def test_a_path_that_cannot_be_created_turns_history_off(tmp_path: Path) -> None:
    """The OS refuses (here: a file where the directory should be)."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    engine = floor(Clock(at(8, 2)))
    rec = recorder(engine, blocker / "h.sqlite3")
    await _fault(engine, rec)
    assert rec.problem == f"history off: {blocker} is not a directory"


async def test_the_first_contacts_show_at_once_not_a_refresh_later(tmp_path: Path) -> None:
    clock = Clock(at(8, 0, 30))
    engine = floor(clock)
    rec = HistoryRecorder(
        engine,
        HistoryOptions(path=tmp_path / "h.sqlite3", policy=POLICY),
        flush_s=0.02,
        sample_s=3600,
        refresh_s=3600,
    )
    engine.companions.append(rec)
    engine.start()
    try:
        await until_loaded(rec)
        engine.store.replace(Collection.AGENTS, "ccai", [agent("1", AgentState.AVAILABLE)])
        await asyncio.sleep(0.1)  # a batch without contacts: no refresh owed for it
        engine.store.replace(
            Collection.INTERACTIONS, "ccai", [contact("a", at(8, 0, 10), Phase.WAITING)]
        )
        await eventually(lambda: bool(rec.intervals()), "today's first interval", 5)
        [row] = rec.intervals()
        assert row.stats.offered == 1
        engine.store.replace(
            Collection.INTERACTIONS,
            "ccai",
            [contact("a", at(8, 0, 10), Phase.WAITING), contact("b", at(8, 0, 20), Phase.WAITING)],
        )
        await asyncio.sleep(0.3)
        assert rec.intervals()[0].stats.offered == 1  # later ones wait for the refresh
    finally:
        await engine.stop()
