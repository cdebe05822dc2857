"""The forecast on screen: the queue pane's "SL next" and "Need", the queue's detail view and
the wallboard's "agents short", for a floor whose inputs the test knows (the published case
of tests/engine/test_forecast.py: A = 10 Erlangs), always marked as a forecast."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import pytest
from rich.style import Style

from ccmon.domain import Collection, Queue, Record
from ccmon.engine.health import Health, SourceHealth
from ccmon.still import StillFloor
from ccmon.ui.app import CcmonApp
from ccmon.ui.screens.detail import DetailScreen
from ccmon.ui.screens.wallboard import Tile, WallboardScreen
from ccmon.ui.widgets.big_number import BigNumber
from ccmon.ui.widgets.record_table import RecordTable
from tests.engine.test_forecast import NOW, QUEUE, _agents, _handled
from tests.support.waiting import wait_for

SALES = Queue("ccai", "8", "Main/Sales", "call", 0, None, None, tuple(f"s{i}" for i in range(3)))


def known_floor(available: int, in_call: int) -> StillFloor:
    """QUEUE: 200 calls in the last hour at 180 s, ``available + in_call`` agents serving
    it; SALES: no contacts, so no forecast."""
    records: dict[tuple[Collection, str], list[Record]] = {
        (Collection.QUEUES, "ccai"): [QUEUE, SALES],
        (Collection.AGENTS, "ccai"): list(_agents(available=available, in_call=in_call)),
        (Collection.INTERACTIONS, "ccai"): list(_handled(200)),
    }
    health = [SourceHealth("ccai", Health.OK, 1.0, 0, 0, 0, 0, None, (), 0, 0)]
    return StillFloor(NOW, records, health)


def cell_style(table: RecordTable[Queue], key: str, text: str) -> Style:
    """The style the row of ``key`` draws ``text`` (a cell's text, stripped) in."""
    row = [r.key for r in map(table._rows.__getitem__, table._order)].index(key)
    for segment in table.render_line(row + 1):
        if segment.text.strip() == text:
            assert segment.style is not None
            return segment.style
    raise AssertionError(f"{text!r} is not on the row of {key}")


async def test_the_queue_pane_shows_the_forecast_in_its_own_style() -> None:
    floor = known_floor(available=6, in_call=8)  # 14 agents: SL 88.84 %, 14 needed
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(200, 50)) as pilot:
        table = app.pane("queues").table
        await wait_for(pilot, lambda: table.live_count == 2)
        assert table.cell_text(QUEUE.key, "sl_next") == "~88.8%"
        assert table.cell_text(QUEUE.key, "need") == "~14"
        assert table.cell_text(SALES.key, "sl_next") == "—"  # no contacts: no forecast
        assert table.cell_text(SALES.key, "need") == "—"
        forecast = cell_style(table, QUEUE.key, "~88.8%")
        measured = cell_style(table, QUEUE.key, table.cell_text(QUEUE.key, "sl"))
        assert forecast.italic
        assert not measured.italic
        assert forecast.color != measured.color
        header = "".join(segment.text for segment in table.render_line(0))
        assert "SL next" in header
        assert "Need" in header


async def test_more_agents_needed_than_staffed_is_marked() -> None:
    floor = known_floor(available=2, in_call=11)  # 13 agents, 14 needed
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(200, 50)) as pilot:
        table = app.pane("queues").table
        await wait_for(pilot, lambda: table.live_count == 2)
        assert table.cell_text(QUEUE.key, "need") == "~14!"
        assert table.cell_text(QUEUE.key, "sl_next") == "~79.6%"
        style = cell_style(table, QUEUE.key, "~14!")
        assert style.italic
        assert style.bold


async def test_an_unstable_queue_says_so_and_gives_no_service_level() -> None:
    floor = known_floor(available=1, in_call=9)  # 10 agents for 10 Erlangs
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(200, 50)) as pilot:
        table = app.pane("queues").table
        await wait_for(pilot, lambda: table.live_count == 2)
        assert table.cell_text(QUEUE.key, "sl_next") == "unstable"
        assert table.cell_text(QUEUE.key, "need") == "~14!"


async def test_without_colour_a_forecast_is_still_told_from_a_measured_figure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    floor = known_floor(available=6, in_call=8)
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(200, 50)) as pilot:
        table = app.pane("queues").table
        await wait_for(pilot, lambda: table.live_count == 2)
        forecast = cell_style(table, QUEUE.key, "~88.8%")  # "~": a forecast, in words
        assert forecast.italic


@contextlib.asynccontextmanager
async def forecast_detail(queue: Queue) -> AsyncIterator[tuple[str, str]]:
    """Enter on ``queue``'s row of the 14-agent floor: its detail's forecast heading and text."""
    floor = known_floor(available=6, in_call=8)
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.pane("queues").table
        await wait_for(pilot, lambda: table.live_count == 2)
        await pilot.press("2")
        while table.cursor_record is not None and table.cursor_record.key != queue.key:
            await pilot.press("down")
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        await pilot.pause()
        title = str(screen.query_one("#forecast-title").render())
        yield title, str(screen.query_one("#forecast").render())


async def test_the_queue_detail_states_the_forecast_inputs_and_results() -> None:
    async with forecast_detail(QUEUE) as (title, text):
        assert title.startswith("Forecast (Erlang C, assumes Poisson arrivals")
        assert "arrivals 200.0/h, AHT 3:00 (feeds, last 60 min)" in text  # no history here
        assert "agents 14 (available or on a call)" in text
        assert "model Erlang C" in text
        assert "P(wait) ~17.4%" in text
        assert "SL ~88.8%" in text
        assert "ASA ~7s" in text
        assert "need ~14 for SL ≥80% within 20s" in text


async def test_a_queue_without_a_forecast_gives_the_reason_in_its_detail() -> None:
    async with forecast_detail(SALES) as (_title, text):
        assert "no forecast: no contacts in the last 60 min" in text


def wallboard_tiles(app: CcmonApp) -> dict[str, Tile]:
    return {str(t.query_one(".label").render()): t for t in app.screen.query(Tile) if t.display}


@pytest.mark.parametrize(
    ("available", "in_call", "short", "note"),
    [(6, 8, "0", "NO QUEUE"), (2, 11, "1", "1 QUEUE"), (1, 9, "4", "1 QUEUE")],
)
async def test_the_wallboard_counts_the_agents_short_on_the_floor(
    available: int, in_call: int, short: str, note: str
) -> None:
    """14 agents needed: 14, 13 and 10 serving the queue."""
    floor = known_floor(available=available, in_call=in_call)
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: bool(app.forecasts))
        await pilot.press("w")
        assert isinstance(app.screen, WallboardScreen)
        await pilot.pause()
        tile = wallboard_tiles(app)["Agents short"]
        assert tile.query_one(BigNumber).value == short
        assert str(tile.query_one(".level").render()) == f"{note} · FORECAST"
        assert tile.has_class("-forecast")  # its own colour, not a measured level's
        assert not tile.has_class("-good")


async def test_the_wallboard_has_no_agents_short_without_any_forecast() -> None:
    records: dict[tuple[Collection, str], list[Record]] = {
        (Collection.QUEUES, "ccai"): [SALES],
        (Collection.AGENTS, "ccai"): list[Record](_agents(available=1, in_call=1)),
        (Collection.INTERACTIONS, "ccai"): [],
    }
    health = [SourceHealth("ccai", Health.OK, 1.0, 0, 0, 0, 0, None, (), 0, 0)]
    floor = StillFloor(NOW, records, health)
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: bool(app.forecasts))
        await pilot.press("w")
        await pilot.pause()
        tile = wallboard_tiles(app)["Agents short"]
        assert tile.query_one(BigNumber).value == "—"
        assert "NO FORECAST" in str(tile.query_one(".level").render())
