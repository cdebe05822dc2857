"""The live app against the running simulator: a change there is highlighted here."""

from __future__ import annotations

import os
from collections.abc import Callable

from textual.widgets import Static

from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.engine.engine import Engine
from ccmon.sim.runner import SimServer
from ccmon.ui.app import CcmonApp
from ccmon.ui.options import UiOptions
from ccmon.ui.screens.wallboard import Tile
from ccmon.ui.widgets.kpis import KpiTile
from tests.support.app import FAST, applied
from tests.support.floors import live_engine
from tests.support.sim import sim_now
from tests.support.waiting import wait_for

MakeSim = Callable[..., SimServer]


def sim_app(sim: SimServer) -> CcmonApp:
    settings = load_settings(env={**sim.env, **FAST, "CCMON_CONFIG": os.devnull})
    sources = build_sources(settings, now=sim_now(sim))
    # The simulator's day is not today: the screen's clock is the simulator's.
    return CcmonApp(Engine(sources, now=sim_now(sim)), UiOptions(wall=sim.clock.now))


async def test_an_agent_changing_state_in_the_simulator_flashes_on_screen(
    make_sim: MakeSim,
) -> None:
    sim = make_sim(agents=8, rate_limit=False, speed=0.0)  # nothing moves unless we move it
    app = sim_app(sim)
    async with app.run_test(size=(160, 50)) as pilot:
        table = app.pane("agents").table
        await wait_for(pilot, lambda: table.live_count >= 8)
        agent = sim.world.agents()[0]
        key = f"ccai:{agent.id}"
        target = "Meal" if agent.status != "Meal" else "Break"
        await wait_for(pilot, lambda: not table.highlighted(key))
        sim.world.set_agent_status(agent.id, target)
        await wait_for(pilot, lambda: "state" in table.highlighted(key), within=10)
        assert target in table.cell_text(key, "state")
        assert table.cell_text(key, "since") in ("0s", "1s", "2s")
        await wait_for(pilot, lambda: not table.highlighted(key), within=10)
        assert target in table.cell_text(key, "state")


async def test_new_contacts_appear_marked_and_queue_depth_moves(make_sim: MakeSim) -> None:
    sim = make_sim(agents=4, rate_limit=False, speed=0.0)
    app = sim_app(sim)
    async with app.run_test(size=(160, 50)) as pilot:
        queues = app.pane("queues").table
        await wait_for(pilot, lambda: queues.live_count > 0)
        [view] = [q for q in sim.world.queues() if q.path == "Web Chat/Orders"]
        key = f"ccai:{view.menu_id}:{view.channel}"
        await wait_for(pilot, lambda: key in {q.key for q in queues.ordered_records()})
        feeds = {s.feed.id: s for s in live_engine(app).feed_states()}
        await wait_for(pilot, lambda: feeds["ccai.queue_status"].runs > 0)
        await wait_for(pilot, lambda: applied(app))  # the batch with that poll's diff
        before = int(queues.cell_text(key, "waiting"))
        sim.world.enqueue_contacts("Web Chat/Orders", 3, channel="chat")
        await wait_for(pilot, lambda: int(queues.cell_text(key, "waiting")) == before + 3)
        assert "waiting" in queues.highlighted(key)


async def test_a_source_down_from_the_start_shows_no_data_not_zero(make_sim: MakeSim) -> None:
    sim = make_sim(agents=6, rate_limit=False)
    sim.faults.set("ccai", "auth")  # agents and queues come from CCAI and Evo
    sim.faults.set("evo", "auth")
    app = sim_app(sim)
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.pane("board").table.live_count > 0)  # ALO still reads
        await wait_for(pilot, lambda: app.metrics is not None)
        waiting = app.query_one("#kpi-waiting", KpiTile)
        available = app.query_one("#kpi-available", KpiTile)
        assert waiting.shown == "Waiting\n—"
        assert available.shown == "Available\n—"
        await pilot.press("w")
        await wait_for(
            pilot, lambda: "AUTH FAILED" in str(app.screen.query_one("#wb-health").render())
        )
        banner = app.screen.query_one("#wb-health", Static)
        assert "✖ CCAI AUTH FAILED · NO DATA" in str(banner.render())
        assert banner.display
        levels = {
            str(tile.query_one(".label", Static).render()): str(
                tile.query_one(".level", Static).render()
            )
            for tile in app.screen.query(Tile)
        }
        assert levels["Waiting"] == "NO DATA"
        assert levels["Available"].endswith("NO DATA")
        assert not any(level.endswith("OK") for level in levels.values())
