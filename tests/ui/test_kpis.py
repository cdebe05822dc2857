"""The KPI strip as a supervisor reads it: every value on screen at every size, arrows that
mean a change in the data (not the clock), levels on every figure that has a target."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from ccmon.domain import AgentState, Collection, Queue
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.metrics import ContactStats, FloorMetrics, QueueMetrics
from ccmon.still import StillFloor
from ccmon.ui.app import CcmonApp
from ccmon.ui.options import UiOptions
from ccmon.ui.themes import VARIABLE_DEFAULTS
from ccmon.ui.widgets.kpis import KpiStrip, KpiTile, kpis
from tests.support.screen import screen_strips
from tests.support.waiting import wait_for

SIZES = [(80, 24), (100, 30), (110, 30), (120, 32), (130, 40), (139, 40), (160, 50), (200, 60)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_tile_shows_its_label_and_value_at_every_size(
    floor: StillFloor, size: tuple[int, int]
) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    # Every tile marked ⚠: the widest case.
    app.alert_effects.marked_kpis = lambda: set(KpiStrip.IDS)  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.metrics is not None)
        items = kpis(app.metrics, app.options, app.options.wall())
        tiles = list(app.query(KpiTile))
        await wait_for(pilot, lambda: all(t.shown.startswith("⚠") for t in tiles))
        await pilot.pause()
        strips = screen_strips(app)
        for kpi in items:
            tile = app.query_one(f"#kpi-{kpi.id}", KpiTile)
            region = tile.content_region
            assert region.height == 2, kpi.id
            label, value = (
                strips[y].crop(region.x, region.right).text.strip()
                for y in (region.y, region.y + 1)
            )
            assert label in (f"⚠ {kpi.label}", f"⚠ {kpi.short}"), (size, kpi.id, label)
            assert value.startswith(kpi.text), (size, kpi.id, value)


def metrics(at: datetime, *, waited_s: float, available: int = 2) -> FloorMetrics:
    queue = Queue(
        "ccai", "1", "Support", "call", 3, int(waited_s), at - timedelta(seconds=waited_s)
    )
    stats = ContactStats()
    return FloorMetrics(
        at=at,
        policy=SlaPolicy(),
        agents_by_state=Counter({AgentState.AVAILABLE: available, AgentState.IN_CALL: 3}),
        waiting=3,
        longest_wait_s=int(waited_s),
        stats=stats,
        sl_pct=None,
        queues={queue.key: QueueMetrics(queue, available, available, stats, None, None)},
    )


class StripApp(App[None]):
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        yield KpiStrip(flash_s=60)


async def test_the_longest_wait_arrow_says_what_the_data_did_not_what_the_clock_did() -> None:
    t0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    options = UiOptions()
    app = StripApp()
    async with app.run_test(size=(160, 10)) as pilot:
        strip = app.query_one(KpiStrip)
        tile = app.query_one("#kpi-longest", KpiTile)

        def poll(at: datetime, waited_s: float) -> str:
            strip.show(kpis(metrics(at, waited_s=waited_s), options, at.timestamp()))
            return tile.shown.split("\n")[1]

        assert poll(t0, 332) == "5:32 !!"
        # Polled 5 s later, the same contact still waits: the wait grew with the clock alone.
        assert poll(t0 + timedelta(seconds=5), 337) == "5:37 !!"
        # She was answered; the next caller has waited 4:12.
        assert poll(t0 + timedelta(seconds=10), 252) == "4:12 ▼ !!"
        await pilot.pause()


def test_speed_of_answer_and_abandonment_have_levels() -> None:
    at = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    slow = ContactStats(answered=10, answered_timed=10, wait_total_s=900, abandoned=3)
    fine = ContactStats(answered=40, answered_timed=40, wait_total_s=400, abandoned=1)
    options = UiOptions()

    def levels(stats: ContactStats) -> dict[str, str]:
        items = kpis(dataclasses.replace(metrics(at, waited_s=5), stats=stats), options, 0)
        return {k.id: k.level for k in items if k.id in ("asa", "abandon")}

    assert levels(slow) == {"asa": "bad", "abandon": "bad"}  # 1:30, 23.1 %
    assert levels(fine) == {"asa": "good", "abandon": "good"}  # 10s, 2.4 %


def test_nobody_available_is_bad_only_where_agents_are_known() -> None:
    at = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    base = metrics(at, waited_s=5, available=0)
    ccai = next(iter(base.queues.values()))
    quiet = dataclasses.replace(ccai.queue, in_queue=0, oldest_since=None)
    evo = Queue("evo", "q", "Support Queue", "call", 3, 5, at - timedelta(seconds=5))
    stats = ContactStats()
    only_evo_waits = dataclasses.replace(
        base,
        queues={
            quiet.key: dataclasses.replace(ccai, queue=quiet),
            evo.key: QueueMetrics(evo, None, None, stats, None, None),  # no agent roster
        },
    )
    by_id = {k.id: k for k in kpis(only_evo_waits, UiOptions(), at.timestamp())}
    assert by_id["available"].level == "good"
    by_id = {k.id: k for k in kpis(base, UiOptions(), at.timestamp())}
    assert by_id["available"].level == "bad"


async def test_a_pane_of_one_counts_it_in_the_singular(floor: StillFloor) -> None:
    one = {
        key: (records[:1] if key == (Collection.INTERACTIONS, "ccai") else records)
        for key, records in floor.records.items()
        if key[0] is not Collection.INTERACTIONS or key[1] == "ccai"
    }
    app = CcmonApp(dataclasses.replace(floor, records=one).engine(), floor.options())
    async with app.run_test(size=(160, 48)) as pilot:
        info = app.pane("interactions").query_one(".pane-info", Static)
        await wait_for(pilot, lambda: str(info.render()).startswith("1 "))
        assert str(info.render()).startswith("1 contact")
        assert not str(info.render()).startswith("1 contacts")
