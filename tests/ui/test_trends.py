"""Sparklines of the last hour under the KPI tiles: a missing minute is a gap, a zero a bar."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from ccmon.domain import Collection, Queue
from ccmon.engine.engine import Engine
from ccmon.history.recorder import HistoryOptions, HistoryRecorder
from ccmon.history.store import HistoryStore, Sample
from ccmon.ui.app import CcmonApp
from ccmon.ui.trend import GAP, sparkline
from ccmon.ui.widgets.kpis import KpiStrip, KpiTile
from tests.history.helpers import at
from tests.support.waiting import wait_for


def test_a_gap_is_blank_and_a_zero_is_the_lowest_bar() -> None:
    assert sparkline([0, None, 7], 3) == "▁ █"
    assert sparkline([None, None], 4) == GAP * 4
    assert sparkline([3, 3, 3], 3) == "▁▁▁"  # flat: the lowest bar, not nothing


def test_an_hour_in_fewer_cells_keeps_each_cells_highest_minute() -> None:
    hour: list[float | None] = [None] * 60
    hour[0], hour[59] = 0.0, 10.0
    line = sparkline(hour, 6)
    assert line == "▁" + GAP * 4 + "█"


def _sample(hh: int, mm: int, waiting: int) -> Sample:
    return Sample(at(hh, mm), waiting, 0.0, 3, 1, 0, 0, None)


def _some_floor(app: CcmonApp) -> None:
    """A queue arrives: the app computes the floor's figures and fills the tiles."""
    queue = Queue("ccai", "q1", "Main/Billing", "call", 4, 30, None)
    assert isinstance(app.engine, Engine)
    app.engine.store.replace(Collection.QUEUES, "ccai", [queue])


def _app(path: Path) -> CcmonApp:
    engine = Engine([], now=lambda: at(9, 0, 30))
    options = HistoryOptions(path=path, tz=UTC)
    engine.companions.append(HistoryRecorder(engine, options, flush_s=0.02))
    return CcmonApp(engine)


async def test_the_tiles_show_the_last_hour_with_its_gaps(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    store = HistoryStore(path)
    store.write(samples=[_sample(8, 1, 0), _sample(9, 0, 4)])
    store.close()
    app = _app(path)
    async with app.run_test(size=(200, 60)) as pilot:
        _some_floor(app)
        tile = app.query_one("#kpi-waiting", KpiTile)
        await wait_for(pilot, lambda: tile.shown.count("\n") == 2, what="a sparkline line")
        await wait_for(pilot, lambda: "█" in tile.shown)
        trend = tile.shown.split("\n")[2]
        assert trend.startswith("▁")  # 08:01, none waiting: a bar, not a gap
        assert trend.endswith("█")  # 09:00, four waiting
        assert GAP in trend.strip()  # the minutes between: no sample, no bar
        assert app.query_one(KpiStrip).size.height == 3
        asa = app.query_one("#kpi-asa", KpiTile).shown.split("\n")
        assert asa[2].strip() == ""  # no minute series for ASA


async def test_no_sparklines_without_room_or_history(tmp_path: Path) -> None:
    app = _app(tmp_path / "h.sqlite3")
    async with app.run_test(size=(80, 24)) as pilot:
        _some_floor(app)
        tile = app.query_one("#kpi-waiting", KpiTile)
        await wait_for(pilot, lambda: tile.shown)
        assert tile.shown.count("\n") == 1
    bare = CcmonApp(Engine([]))
    async with bare.run_test(size=(200, 60)) as pilot:
        _some_floor(bare)
        tile = bare.query_one("#kpi-waiting", KpiTile)
        await wait_for(pilot, lambda: tile.shown)
        assert tile.shown.count("\n") == 1
        assert bare.query_one(KpiStrip).size.height == 2
