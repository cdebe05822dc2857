"""The history at the big floor (5,000 agents, 20,000 contacts a day), in this process.

    python -m benchmarks.bench_history [--agents 5000] [--contacts 20000] [--rounds 21]

1. the recorder's cost on the engine's tick path (the event loop): a diff of 500 agent state
   changes and 30 contacts handed to the recorder, and the minute sample (the records are
   copied there; the figures are computed in the writer thread);
2. the writer thread's batch for such a tick with a minute's sample (off the loop);
3. the store's size after one full day (every contact, 1,440 samples, every agent's state
   seconds per 15 minutes), and 35 days projected;
4. ``ccmon report`` for that day: the store read and the table rendered, in-process, and the
   command as a fresh process; the forecast's loads (each queue's last 30 minutes and its day,
   two grouped queries, on each refresh of the writer thread);
5. start-up with a full day's history: the writer thread's load of today's intervals and the
   last hour of samples (the screen does not wait for it); with ``--startup N``, also
   ``ccmon --demo`` in a pty until the first agent rows, N runs with the history off and N
   with a full day of today in the store;
6. the screens with a full day, on the event loop of a headless 200x60 app: the Intraday
   screen's redraw (96 intervals: table and chart) when the rows are new and on its 2-s
   timer with nothing new (drawn only from changed rows), the KPI
   strip with its sparklines, the wallboard's floor page with its trend arrows (each redraw
   then the paint, ``pilot.pause()``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.common import print_table, row, time_ms
from ccmon.domain import Agent, AgentState, Collection, Interaction, Phase, Queue
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.diff import Change, Diff
from ccmon.engine.engine import Engine
from ccmon.engine.events import DiffEvent
from ccmon.history.recorder import HistoryOptions, HistoryRecorder
from ccmon.history.report import read_day, render_table
from ccmon.history.store import AgentSeconds, HistoryStore, Sample, contact_row

DAY = datetime(2026, 11, 25, tzinfo=UTC)
STATES = (AgentState.AVAILABLE, AgentState.IN_CALL, AgentState.IN_CHAT, AgentState.WRAP_UP)


def contacts(n: int, rng: random.Random, day: datetime = DAY) -> list[Interaction]:
    out = []
    for i in range(n):
        created = day + timedelta(seconds=rng.uniform(0, 86_399))
        roll = rng.random()
        wait = int(rng.expovariate(1 / 25))
        if roll < 0.08:
            phase, answered, talk = Phase.ABANDONED, None, None
        else:
            phase, answered = Phase.ENDED, created + timedelta(seconds=wait)
            talk = int(rng.uniform(60, 600))
        out.append(
            Interaction(
                source="ccai",
                kind=rng.choice(("call", "chat")),
                id=str(i),
                status=phase.value,
                phase=phase,
                queue=f"Main/Q{i % 500}",
                agent=str(i % 5000) if answered else None,
                created_at=created,
                answered_at=answered,
                ended_at=None
                if answered is None or talk is None
                else answered + timedelta(seconds=talk),
                wait_s=wait,
                duration_s=talk,
                customer="+15550100",
            )
        )
    return out


def agents(n: int, rng: random.Random) -> list[Agent]:
    return [
        Agent("ccai", str(i), f"Agent {i}", rng.choice(STATES), "x", None, None) for i in range(n)
    ]


def queues() -> list[Queue]:
    return [Queue("ccai", str(i), f"Main/Q{i}", "call", i % 4, 30, None) for i in range(678)]


def fill_day(
    path: Path, n_agents: int, n_contacts: int, rng: random.Random, day: datetime = DAY
) -> float:
    """One full day in the store; returns seconds taken."""
    started = time.perf_counter()
    store = HistoryStore(path)
    policy = SlaPolicy()
    rows = [r for c in contacts(n_contacts, rng, day) if (r := contact_row(c, policy))]
    store.write(contacts=rows)
    minutes = [day + timedelta(minutes=m) for m in range(1440)]
    store.write(samples=[Sample(m, 5, 40.0, 100, 3000, 400, 300, 81.0) for m in minutes])
    for slot in range(96):
        cells = AgentSeconds()
        base = day.timestamp() + slot * 900
        for agent in range(n_agents):
            cut = base + rng.uniform(0, 900)
            cells.add("ccai", str(agent), rng.choice(STATES).value, base, cut)
            cells.add("ccai", str(agent), rng.choice(STATES).value, cut, base + 900)
        store.write(agent_seconds=cells)
    store.close()
    return time.perf_counter() - started


def size_mb(path: Path) -> float:
    files = [path, path.with_name(path.name + "-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


async def tick_path(path: Path, n_agents: int, rounds: int, rng: random.Random) -> list[list[str]]:
    clock = DAY + timedelta(hours=12)
    engine = Engine([], now=lambda: clock)
    roster = agents(n_agents, rng)
    engine.store.replace(Collection.AGENTS, "ccai", roster)
    engine.store.replace(Collection.QUEUES, "ccai", queues())
    engine.store.replace(Collection.INTERACTIONS, "ccai", contacts(2000, rng))
    rec = HistoryRecorder(
        engine, HistoryOptions(path=path), flush_s=3600, sample_s=3600, refresh_s=3600
    )
    # Not started: this function plays the writer thread's part itself, one batch at a time.
    moved = rng.sample(roster, 500)
    changes = {a.key: Change(a, a, {"state": (a.state, AgentState.WRAP_UP)}) for a in moved}
    agent_event = DiffEvent(Collection.AGENTS, "ccai", clock, Diff(changed=changes))
    new_contacts = {c.key: c for c in contacts(30, rng)}
    contact_event = DiffEvent(Collection.INTERACTIONS, "ccai", clock, Diff(added=new_contacts))

    def on_tick() -> None:
        rec._on_diff(agent_event)
        rec._on_diff(contact_event)

    def drain() -> None:
        rec._inbox.clear()

    tick = []
    for _ in range(rounds):
        started = time.perf_counter()
        on_tick()
        tick.append((time.perf_counter() - started) * 1000)
        drain()

    def sample() -> None:
        rec._last_minute = -1
        rec.take_sample()

    samples = time_ms(sample, rounds)
    drain()

    store = HistoryStore(path)
    writes = []
    for _ in range(rounds):
        on_tick()
        rec._last_minute = -1  # a new minute each round: its figures are computed
        rec.take_sample()
        started = time.perf_counter()
        rec._write(store)
        writes.append((time.perf_counter() - started) * 1000)
    store.close()
    return [
        row("on the loop: a tick's diff to the recorder", tick),
        row("on the loop: the minute sample (the records copied)", samples),
        row("writer thread: a tick's batch + the minute's figures", writes),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=5000)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--startup", type=int, default=0, metavar="N")
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.sqlite3"
        filled = fill_day(path, args.agents, args.contacts, rng)
        day_mb = size_mb(path)
        print_table(
            f"Store after one day ({args.agents} agents, {args.contacts} contacts; "
            f"written in {filled:.1f} s)",
            ["what", "size"],
            [["one day", f"{day_mb:.1f} MB"], ["35 days (projected)", f"{35 * day_mb:.0f} MB"]],
        )

        policy = SlaPolicy()

        def report() -> None:
            found = read_day(path, DAY.date(), interval_min=15, policy=policy, tz=UTC)
            assert found is not None
            render_table(found)

        env = {**os.environ, "CCMON_CONFIG": os.devnull, "CCMON_HISTORY_PATH": str(path)}
        command = [sys.executable, "-m", "ccmon", "report", "--date", DAY.date().isoformat()]

        def report_process() -> None:
            subprocess.run(command, env={**env, "TZ": "UTC"}, check=True, capture_output=True)

        def load() -> None:
            store = HistoryStore(path)
            store.samples(DAY + timedelta(hours=23), DAY + timedelta(hours=24))
            store.intervals(DAY, DAY + timedelta(days=1), interval_min=15, policy=policy)
            store.intervals(
                DAY, DAY + timedelta(days=1), interval_min=15, policy=policy, queue="Main/Q7"
            )
            store.close()

        def forecast_window() -> None:
            store = HistoryStore(path)
            now = DAY + timedelta(hours=17)
            store.queue_stats(now - timedelta(minutes=30), now)
            store.queue_stats(DAY, now)
            store.close()

        rounds = max(3, args.rounds // 3)
        print_table(
            "Reading a full day",
            ["what", "median", "p95", "runs"],
            [
                row("report: read + table (in-process)", time_ms(report, rounds)),
                row("`ccmon report` (fresh process)", time_ms(report_process, rounds)),
                row("start-up load (writer thread)", time_ms(load, rounds)),
                row("forecast loads: 30 min + today per queue", time_ms(forecast_window, rounds)),
            ],
        )
        tick_rows = asyncio.run(
            tick_path(Path(tmp) / "tick.sqlite3", args.agents, args.rounds, rng)
        )
        print_table("Recording at the big floor", ["what", "median", "p95", "runs"], tick_rows)
        print_table(
            "Screens with a full day (headless 200x60, redraw + paint)",
            ["what", "median", "p95", "runs"],
            asyncio.run(screens(path, args.agents, args.rounds, rng)),
        )
        if args.startup:
            startup(Path(tmp) / "today.sqlite3", args, rng)


async def screens(path: Path, n_agents: int, rounds: int, rng: random.Random) -> list[list[str]]:
    from ccmon.history.view import history_of
    from ccmon.ui.app import CcmonApp
    from ccmon.ui.screens.intraday import IntradayScreen
    from ccmon.ui.screens.wallboard import WallboardScreen
    from ccmon.ui.widgets.kpis import KpiStrip

    engine = Engine([], now=lambda: DAY + timedelta(hours=23, minutes=59))
    engine.store.replace(Collection.AGENTS, "ccai", agents(n_agents, rng))
    engine.store.replace(Collection.QUEUES, "ccai", queues())
    options = HistoryOptions(path=path, tz=UTC)
    engine.companions.append(HistoryRecorder(engine, options, sample_s=3600))
    app = CcmonApp(engine)
    async with app.run_test(size=(200, 60)) as pilot:
        recorder = history_of(engine)
        assert recorder is not None
        while not (recorder.loaded and recorder.intervals()):
            await pilot.pause(0.05)

        async def timed(redraw: Callable[[], object]) -> list[float]:
            out = []
            for _ in range(rounds + 1):
                started = time.perf_counter()
                redraw()
                await pilot.pause()
                out.append((time.perf_counter() - started) * 1000)
            return out[1:]  # the first warms caches

        idle = await timed(lambda: None)
        strip = app.query_one(KpiStrip)
        kpi_strip = await timed(app._show_kpis)
        assert strip.has_class("-trend"), "no sparklines drawn"
        await pilot.press("i")
        await pilot.pause()
        intraday = app.screen
        assert isinstance(intraday, IntradayScreen)
        assert len(intraday.rows) == 96, len(intraday.rows)
        unchanged = await timed(intraday.redraw)

        def rows_changed() -> None:
            intraday._drawn = None  # as when the recorder's refresh brings new rows
            intraday.redraw()

        redraw_intraday = await timed(rows_changed)
        await pilot.press("escape", "w")
        await pilot.pause()
        wall = app.screen
        assert isinstance(wall, WallboardScreen)
        wallboard = await timed(wall.update_tiles)
    return [
        row("baseline: nothing redrawn (the pause alone)", idle),
        row("Intraday screen: new rows, 96 intervals (~every 15 s)", redraw_intraday),
        row("Intraday screen: its 2-s redraw, nothing new", unchanged),
        row("KPI strip: ten tiles with sparklines", kpi_strip),
        row("wallboard floor page with trend arrows", wallboard),
    ]


def startup(path: Path, args: argparse.Namespace, rng: random.Random) -> None:
    from benchmarks.bench_startup import demo_first_data

    today = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    fill_day(path, args.agents, args.contacts, rng, today.astimezone(UTC))
    runs = {
        "history off": {"CCMON_HISTORY_ENABLED": "false"},
        "a full day of today in the history": {"CCMON_HISTORY_PATH": str(path)},
    }
    rows = []
    for what, env in runs.items():
        firsts = [demo_first_data(env=env)[1] for _ in range(args.startup)]
        rows.append(row(f"`ccmon --demo`: first agent rows, {what}", firsts, unit="s"))
    print_table("Start-up", ["what", "median", "p95", "runs"], rows)


if __name__ == "__main__":
    main()
