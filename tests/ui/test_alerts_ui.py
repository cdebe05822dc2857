"""Alerts on screen: words in the header (no toast over the panes), a marked tile, the bell,
the user's command."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from rich.console import Console
from textual.widgets import Static

from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.domain import Collection
from ccmon.domain.policy import ALERT_RULES, AlertPolicy, AlertRule
from ccmon.engine.alerts import AlertEvent
from ccmon.engine.engine import Engine
from ccmon.engine.scheduler import FeedState
from ccmon.http.pagination import PagePacer
from ccmon.sim.runner import SimServer
from ccmon.sources.base import Feed, Tier
from ccmon.still import StillEngine, StillFloor
from ccmon.ui import format as fmt
from ccmon.ui.app import CcmonApp
from ccmon.ui.options import UiOptions
from ccmon.ui.screens.alerts import AlertsScreen
from ccmon.ui.widgets.kpis import KpiTile
from tests.support.app import FAST, applied
from tests.support.sim import sim_now
from tests.support.waiting import wait_for

MakeSim = Callable[..., SimServer]

DUMP_ENV = (
    "import json, os, sys; "
    "json.dump({k: v for k, v in os.environ.items() if k.startswith('CCMON_')}, "
    "open(sys.argv[1], 'a')); open(sys.argv[1], 'a').write('\\n')"
)


async def test_breached_thresholds_notify_mark_tiles_and_run_the_command(
    floor: StillFloor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCMON_CCAI_TOKEN", "token-the-command-must-not-see")
    out = tmp_path / "alerts.jsonl"
    command = f'{sys.executable} -c "{DUMP_ENV}" {out}'
    alerts = AlertPolicy(bell=True, command=SecretStr(command), off=frozenset({"action_open_min"}))
    app = CcmonApp(floor.engine(), floor.options(alerts=alerts))
    bells: list[None] = []
    app.bell = lambda: bells.append(None)  # type: ignore[method-assign]
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: bool(app.alerts.active))
        assert set(app.alerts.active) >= {"waiting_above", "sl_below_pct", "longest_wait_s"}
        header = app.query_one("#title", Static)
        await wait_for(pilot, lambda: "⚠" in str(header.render()))
        newest = list(app.alerts.active.values())[-1].message
        shown = str(header.render())
        assert f"{len(app.alerts.active)} alerts · {newest[:20]}" in shown
        assert "service level 72.1%" in app.alerts.active["sl_below_pct"].message
        assert not app._notifications  # nothing covers the panes or the status bar
        tile = app.query_one("#kpi-waiting", KpiTile)
        assert tile.has_class("-alert")
        assert tile.shown.startswith("⚠ Waiting")
        assert len(bells) == 1
        await wait_for(
            pilot, lambda: out.exists() and len(out.read_text().splitlines()) >= 3, within=30
        )
    runs = [json.loads(line) for line in out.read_text().splitlines()]
    names = {run["CCMON_ALERT_NAME"] for run in runs}
    assert "waiting_above" in names
    assert all(run["CCMON_ALERT_STATE"] == "raised" for run in runs)
    assert all(name.startswith("CCMON_ALERT_") for run in runs for name in run)


async def test_alerts_can_be_quiet(floor: StillFloor) -> None:
    alerts = AlertPolicy(off=frozenset(ALERT_RULES))
    app = CcmonApp(floor.engine(), floor.options(alerts=alerts))
    async with app.run_test(size=(160, 48)) as pilot:
        ticks = evaluations(app)
        await wait_for(pilot, lambda: applied(app) and len(ticks) >= 2)  # the data, a tick
        assert app.alerts.active == {}
        assert not app._notifications


def evaluations(app: CcmonApp) -> list[None]:
    """A list that grows each time the alert rules are evaluated from now on (on each tick
    and after each batch of diffs)."""
    calls: list[None] = []
    evaluate = app.alerts.evaluate

    def counted(*args: Any, **kwargs: Any) -> list[AlertEvent]:
        calls.append(None)
        return evaluate(*args, **kwargs)

    app.alerts.evaluate = counted  # type: ignore[method-assign]
    return calls


def shown_text(screen: AlertsScreen, selector: str) -> str:
    """What a section of the alerts list says, as plain text."""
    console = Console(width=120, file=io.StringIO(), record=True, color_system=None)
    console.print(screen.query_one(selector, Static).content)
    return console.export_text()


async def test_the_alerts_list_shows_active_since_when_and_today_raised_and_cleared(
    make_sim: MakeSim,
) -> None:
    sim = make_sim(rate_limit=False, speed=0.0)  # the clock moves when the test moves it
    rules: list[AlertRule] = [
        "longest_wait_s",
        "sl_below_pct",
        "available_below",
        "action_open_min",
    ]
    rules += ["asa_above_s", "abandon_above_pct"]
    alerts = AlertPolicy(waiting_above=25, clear_after_s=0, off=frozenset(rules))
    settings = load_settings(env={**sim.env, **FAST, "CCMON_CONFIG": os.devnull})
    engine = Engine(build_sources(settings, now=sim_now(sim)), now=sim_now(sim))
    app = CcmonApp(engine, UiOptions(wall=sim.clock.now, alerts=alerts))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.metrics is not None and app.metrics.waiting < 25)
        raised_at = fmt.clock(datetime.fromtimestamp(sim.clock.now(), UTC))
        sim.world.enqueue_contacts("Web Chat/Orders", 30, channel="chat")
        await wait_for(pilot, lambda: "waiting_above" in app.alerts.active)
        await pilot.press("a")
        screen = app.screen
        assert isinstance(screen, AlertsScreen)
        active = shown_text(screen, "#alerts-active")
        assert "Waiting" in active
        assert raised_at in active, "since when"
        assert "contacts waiting (alert above 25)" in active
        sim.clock.advance(3600)  # the chats expire, the floor catches up
        await wait_for(pilot, lambda: "waiting_above" not in app.alerts.active, within=30)
        await wait_for(pilot, lambda: "cleared" in shown_text(screen, "#alerts-today"))
        assert "No alert is active." in shown_text(screen, "#alerts-active")
        today = shown_text(screen, "#alerts-today").splitlines()
        cleared = next(i for i, line in enumerate(today) if "cleared" in line.split())
        raised = next(i for i, line in enumerate(today) if "raised" in line.split())
        assert cleared < raised, "newest first"
        assert raised_at in today[raised]
        await pilot.press("escape")
        assert not isinstance(app.screen, AlertsScreen)


class LoadingEngine(StillEngine):
    """The still floor, with one contacts feed that has not finished its first read yet."""

    def __init__(self, floor: StillFloor) -> None:
        super().__init__(floor)

        async def run(_: float, pacer: PagePacer | None = None) -> None:
            return None

        feed = Feed("ccai", "calls", Tier.HISTORY, 30, (Collection.INTERACTIONS,), run)
        self.calls = FeedState(feed)

    def pending(self) -> frozenset[Collection]:
        return frozenset() if self.calls.runs else frozenset(self.calls.feed.collections)


async def test_service_level_does_not_alert_from_figures_computed_before_the_contacts_loaded(
    floor: StillFloor,
) -> None:
    engine = LoadingEngine(floor)
    app = CcmonApp(engine, floor.options())
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: "waiting_above" in app.alerts.active)
        assert "sl_below_pct" not in app.alerts.active  # the contacts are still loading
        # The feed finishes; until the figures are computed again, they are the old ones.
        engine.calls.runs = 1
        ticks = evaluations(app)
        await wait_for(pilot, lambda: len(ticks) >= 1)  # a tick, no diff
        assert "sl_below_pct" not in app.alerts.active
        app._refresh_derived()  # what a diff of the feed does
        assert "sl_below_pct" in app.alerts.active
