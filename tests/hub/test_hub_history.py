"""The hub publishes its history; its viewers show it (sparklines, the Intraday screen) and
write nothing. Simulator over HTTP → engine + recorder → hub publisher → a real Redis →
viewers."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
from pathlib import Path

import pytest
from redis.asyncio import Redis

from ccmon.commands.hub import live_floor
from ccmon.domain import Collection, Phase
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.engine import Engine
from ccmon.history.recorder import HistoryOptions, HistoryRecorder
from ccmon.history.report import read_day
from ccmon.history.store import HistoryStore, contact_row
from ccmon.history.view import history_of
from ccmon.hub.acl import hub_rules, viewer_rules
from ccmon.hub.connect import client
from ccmon.hub.history_publisher import HistoryPublisher
from ccmon.hub.history_viewer import KEEPS_NONE, HubHistory
from ccmon.hub.keys import HubKeys
from ccmon.hub.publisher import HubPublisher
from ccmon.hub.viewer import HubFloor
from ccmon.sim.runner import SimServer
from ccmon.ui.app import CcmonApp
from ccmon.ui.screens.intraday import IntradayScreen
from ccmon.ui.trend import GAP
from ccmon.ui.widgets.kpis import KpiTile
from ccmon.ui.widgets.status_bar import StatusBar
from tests.history.helpers import at, contact
from tests.hub.test_hub_flow import hub
from tests.support.redis_server import RedisServer
from tests.support.sim import sim_now
from tests.support.waiting import eventually, wait_for

KEYS = HubKeys()


def recording_hub(
    sim: SimServer, redis: RedisServer, history: Path | None, *, writer: Redis | None = None
) -> contextlib.AbstractAsyncContextManager[HubPublisher]:
    """A hub publisher whose recorder (at ``history``; None: no history) refreshes every
    0.3 s and keeps every queue's rows, as ``ccmon hub`` runs it."""
    return hub(sim, redis, redis_client=writer, history=history)


async def contacts_recorded(publisher: HubPublisher) -> HistoryRecorder:
    """Wait until the hub's recorder holds floor and queue rows, then hold the floor still,
    take a minute's sample and wait for the rows to be read again, so that what the hub
    publishes stops moving (but for a new minute's sample)."""
    recorder = publisher.history.recorder
    assert recorder is not None
    engine = publisher.floor
    assert isinstance(engine, Engine)

    def rows() -> bool:
        today = recorder.today()
        return today is not None and bool(today.floor) and bool(today.queues)

    await eventually(rows, "the hub's recorder to hold today's rows", 20)
    await eventually(lambda: engine.collections()[Collection.QUEUES] > 0, "queues", 10)
    for poller in engine._pollers:
        await poller.stop()
    before = recorder.today()

    def settled() -> bool:
        recorder.take_sample()  # a tick: written at once, and the rows refreshed after it
        return recorder.today() is not before and any(recorder.samples(2))

    await eventually(settled, "a sample, and the rows refreshed with the floor still", 10)
    return recorder


def hub_viewer(redis: RedisServer, sim: SimServer, url: str | None = None) -> HubFloor:
    url = url or redis.url
    return HubFloor(client(url), url=url, now=sim_now(sim))


async def test_a_viewer_shows_the_hub_s_sparklines_and_intraday_rows(
    sim: SimServer, redis_server: RedisServer, tmp_path: Path
) -> None:
    path = tmp_path / "hub.sqlite3"
    async with recording_hub(sim, redis_server, path) as publisher:
        recorder = await contacts_recorded(publisher)
        floor = hub_viewer(redis_server, sim)
        view = history_of(floor)
        assert isinstance(view, HubHistory)
        app = CcmonApp(floor)
        async with app.run_test(size=(200, 60)) as pilot:

            def same_as_the_hub() -> bool:
                today = recorder.today()
                return (
                    today is not None
                    and view.intervals() == today.floor
                    and all(view.intervals(q) == rows for q, rows in today.queues.items())
                    and view.samples() == recorder.samples()
                )

            await wait_for(pilot, same_as_the_hub, 20, what="the hub's rows on the viewer")
            assert view.problem is None
            assert view.loaded
            assert view.policy == recorder.policy
            assert view.interval_min == recorder.interval_min
            # The same figures as the hub's store reports for that day.
            today = recorder.today()
            assert today is not None
            report = read_day(path, today.day, interval_min=15, policy=recorder.policy)
            assert report is not None
            assert view.intervals() == report.rows
            queue = sorted(today.queues)[0]
            by_queue = read_day(
                path, today.day, interval_min=15, policy=recorder.policy, queue=queue
            )
            assert by_queue is not None
            assert view.intervals(queue) == by_queue.rows
            # A sparkline under the KPI tiles, from the hub's samples.
            tile = app.query_one("#kpi-waiting", KpiTile)
            await wait_for(pilot, lambda: tile.shown.count("\n") == 2, what="a sparkline line")
            trend = tile.shown.split("\n")[2]
            assert trend.strip(GAP + " ")  # a bar for the sampled minute
            # The Intraday screen: the hub's floor rows.
            await pilot.press("i")
            await wait_for(pilot, lambda: isinstance(app.screen, IntradayScreen))
            screen = app.screen
            assert isinstance(screen, IntradayScreen)
            await wait_for(pilot, lambda: screen.rows == report.rows, what="the hub's rows")
            assert screen.message == ""


@pytest.mark.parametrize(
    ("history", "says"),
    [("none", KEEPS_NONE), ("not a directory", "history off on the hub: ")],
)
async def test_a_hub_without_history_or_with_it_off_is_said_on_the_viewer_s_status_bar(
    sim: SimServer, redis_server: RedisServer, tmp_path: Path, history: str, says: str
) -> None:
    # An earlier hub's history is still in Redis: a hub that keeps none removes it.
    admin = client(redis_server.url)
    await admin.set(KEYS.history, '{"format": 1}')
    await admin.set(KEYS.history_part("queues"), '{"Main/Old": "0"}')
    await admin.set(KEYS.history_queue("Main/Old"), "[]")
    path = None
    if history == "not a directory":
        (tmp_path / "file").write_text("")
        path = tmp_path / "file" / "h.sqlite3"
    async with recording_hub(sim, redis_server, path):
        floor = hub_viewer(redis_server, sim)
        view = history_of(floor)
        assert view is not None
        app = CcmonApp(floor)
        async with app.run_test(size=(160, 40)) as pilot:
            bar = app.query_one(StatusBar)
            await wait_for(pilot, lambda: says in str(bar.render()), 20, what=says)
            assert view.problem is not None
            assert view.problem.startswith(says)
            assert view.intervals() == []
            assert app.is_running  # the live floor runs on
    if path is None:
        assert await admin.get(KEYS.history) is None
        assert await admin.get(KEYS.history_queue("Main/Old")) is None
    else:
        assert "is not a directory" in (view.problem or "")
    await admin.aclose()


POLICY = SlaPolicy(threshold_s=20, short_abandon_s=5, min_contacts=1)


async def _known_recorder(tmp_path: Path) -> tuple[Engine, HistoryRecorder]:
    path = tmp_path / "h.sqlite3"
    store = HistoryStore(path)
    contacts = [
        contact("a", at(8, 1), Phase.ENDED, wait=10, talk=100),
        contact("b", at(8, 20), Phase.ABANDONED, wait=30, queue="Main/Sales"),
    ]
    rows = [contact_row(c, POLICY) for c in contacts]
    store.write(contacts=[r for r in rows if r is not None])
    store.close()
    engine = Engine([], now=lambda: at(9, 0))
    options = HistoryOptions(path=path, policy=POLICY)
    recorder = HistoryRecorder(engine, options, flush_s=0.02, refresh_s=0, every_queue=True)
    recorder.start()
    await eventually(lambda: recorder.loaded and recorder.today() is not None, "loaded")
    return engine, recorder


async def test_a_history_key_that_cannot_be_read_costs_a_message_not_a_crash(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    engine, recorder = await _known_recorder(tmp_path)
    redis = client(redis_server.url)
    out = HistoryPublisher(recorder, KEYS, "hub-a")
    view = HubHistory(client(redis_server.url), KEYS, now=engine.now)
    view.start()
    try:
        await out.publish(redis)
        view.told(out.stamp)
        await eventually(lambda: view.intervals("Main/Sales") != [], "the published rows")
        assert view.intervals() == recorder.intervals()
        assert view.problem is None
        for key, garbage, says in (
            (KEYS.history, "{not json", "history: not JSON"),
            (KEYS.history_part("floor"), '[{"start": "noon"}]', "floor rows: 0.start"),
        ):
            if key != KEYS.history:  # a part that changed, as the small key says
                meta = json.loads(await redis.get(KEYS.history) or "{}")
                meta["parts"]["floor"] = "0123456789abcdef"
                await redis.set(KEYS.history, json.dumps(meta))
            await redis.set(key, garbage)
            view.told(f"bad {key}")
            await eventually(lambda: view.problem is not None, f"a message for {key}", 10)
            assert view.problem is not None
            assert view.problem.startswith("history off: the hub's history cannot be read")
            assert says in view.problem
            assert "\n" not in view.problem
            assert view.intervals() == []
            # The hub writes it anew: the view reads it again and the message goes.
            out.forget()
            await out.publish(redis)
            view.told(out.stamp)
            await eventually(lambda: view.problem is None, "the message to go", 10)
            assert view.intervals() == recorder.intervals()
            assert view.intervals("Main/Sales") == recorder.intervals("Main/Sales")
    finally:
        await view.stop()
        await view.redis.aclose()
        await redis.aclose()
        await recorder.stop()


async def test_only_what_changed_is_written_and_read_again(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    engine, recorder = await _known_recorder(tmp_path)
    redis = client(redis_server.url)
    out = HistoryPublisher(recorder, KEYS, "hub-a")
    view = HubHistory(client(redis_server.url), KEYS, now=engine.now)
    view.start()
    try:
        await out.publish(redis)
        assert out.stats.keys == 1 + 3 + 2  # history, its three parts, two queues
        view.told(out.stamp)
        await eventually(lambda: view.intervals("Main/Billing") != [], "the rows")
        reads = view.reads
        view.told(out.stamp)  # the same stamp again (each health line names it)
        await out.publish(redis)  # nothing changed but the time: only the small key
        assert out.stats.keys == 1
        view.told(out.stamp)
        await eventually(lambda: view.reads == reads + 1, "one read of the new stamp")
        assert view.intervals("Main/Billing") == recorder.intervals("Main/Billing")
    finally:
        await view.stop()
        await view.redis.aclose()
        await redis.aclose()
        await recorder.stop()


async def test_viewers_read_the_history_under_the_documented_acl(
    sim: SimServer, redis_server: RedisServer, tmp_path: Path
) -> None:
    admin = client(redis_server.url)
    for user, password, rules in (
        ("viewer", "view-pw", viewer_rules()),
        ("hub", "hub-pw", hub_rules()),
    ):
        acl = ("ACL", "SETUSER", user, "on", f">{password}", *rules.split())
        await admin.execute_command(*acl)  # type: ignore[no-untyped-call]
    await admin.aclose()
    port = redis_server.port
    hub_url = f"redis://hub:hub-pw@127.0.0.1:{port}/0"
    viewer_url = f"redis://viewer:view-pw@127.0.0.1:{port}/0"
    writer = client(hub_url)
    async with recording_hub(sim, redis_server, tmp_path / "h.sqlite3", writer=writer) as hub:
        recorder = await contacts_recorded(hub)
        floor = hub_viewer(redis_server, sim, viewer_url)
        floor.start()
        try:
            await eventually(
                lambda: floor.history.intervals() == recorder.intervals(), "rows via the ACL", 20
            )
            assert floor.history.problem is None
            assert hub.stats.error is None
        finally:
            await floor.stop()


async def test_a_viewer_writes_no_history_file(
    sim: SimServer, redis_server: RedisServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "viewer" / "history.sqlite3"
    monkeypatch.setenv("CCMON_CONFIG", os.devnull)
    monkeypatch.setenv("CCMON_HISTORY_PATH", str(path))
    async with recording_hub(sim, redis_server, tmp_path / "hub.sqlite3") as publisher:
        await contacts_recorded(publisher)
        with live_floor(argparse.Namespace(hub=redis_server.url)) as (settings, floor):
            assert settings.history.path == path  # the viewer was told where to record
            assert isinstance(floor, HubFloor)
            view = history_of(floor)
            assert isinstance(view, HubHistory)
            app = CcmonApp(floor)
            async with app.run_test(size=(200, 60)) as pilot:
                await wait_for(pilot, lambda: view.intervals() != [], 20, what="the hub's rows")
                await pilot.press("i")
                await wait_for(pilot, lambda: isinstance(app.screen, IntradayScreen))
    assert not path.parent.exists()
