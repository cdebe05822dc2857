"""``snapshot``'s ``floor`` object says what the KPI strip shows, so scripts match the screen."""

from __future__ import annotations

import json

from ccmon.domain import Collection, Record
from ccmon.snapshot.collect import Snapshot, SourceReport
from ccmon.snapshot.render import render_json, render_table
from ccmon.still import StillFloor
from ccmon.ui import format as fmt
from ccmon.ui.app import CcmonApp
from ccmon.ui.widgets.kpis import KpiTile
from tests.support.app import applied
from tests.support.waiting import wait_for


def snapshot_of(floor: StillFloor) -> Snapshot:
    collections: dict[Collection, list[Record]] = {c: [] for c in Collection}
    for (collection, _), records in floor.records.items():
        collections[collection] += records
    sources = {h.source: SourceReport(h.source, "ok") for h in floor.health}
    return Snapshot(floor.at, sources, collections)


async def test_the_floor_object_has_the_figures_of_the_kpi_strip(floor: StillFloor) -> None:
    figures = json.loads(render_json(snapshot_of(floor)))["floor"]
    agents = figures["agents"]
    expected = {
        "waiting": fmt.count(figures["waiting"]),
        "longest": fmt.duration(figures["longest_wait_s"]),
        "sl": fmt.percent(figures["sl_pct"]),
        "available": fmt.count(agents["available"]),
        "busy": fmt.count(figures["on_contact"]),
        "wrap": fmt.count(agents["wrap_up"]),
        "away": fmt.count(agents["away"]),
        "asa": fmt.duration(figures["asa_s"]),
        "abandon": fmt.percent(figures["abandon_pct"]),
        "actions": fmt.count(figures["open_actions"]),
    }
    assert figures["on_contact"] == agents["in_call"] + agents["in_chat"]
    assert figures["waiting"] > figures["waiting_rostered"]  # the demo's Evo queues have callers
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(200, 50)) as pilot:
        await wait_for(pilot, lambda: applied(app))
        for kpi_id, text in expected.items():
            shown = app.query_one(f"#kpi-{kpi_id}", KpiTile).shown.split("\n")[1]
            assert shown.startswith(text), (kpi_id, shown, text)


def test_the_table_prints_the_floor_first(floor: StillFloor) -> None:
    text = render_table(snapshot_of(floor))
    assert text.index("Floor (") < text.index("Sources (")
    assert "\nwaiting " in text
    assert "\nagents_available " in text
