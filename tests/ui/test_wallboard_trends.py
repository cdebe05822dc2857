"""The wallboard's trend arrows: the last five minutes against the same five a quarter of an
hour before, from the history's minute samples; the same words in the terminal and the browser,
and nothing (never "steady") where the history has no sample to compare."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

from textual.widgets import Static

from ccmon.domain import Agent, AgentState, Collection, Queue
from ccmon.engine.engine import Engine
from ccmon.history.recorder import HistoryOptions, HistoryRecorder
from ccmon.history.store import HistoryStore, Sample
from ccmon.history.view import history_of
from ccmon.serve.board import board_document
from ccmon.ui.app import CcmonApp
from ccmon.ui.options import UiOptions
from ccmon.ui.screens.wallboard import WallboardScreen
from ccmon.ui.trend import ARROW_MINUTES, arrow
from tests.history.helpers import at
from tests.support.waiting import eventually, wait_for

MINUTE = timedelta(minutes=1)
NEVER_S = 10.0**9


def minutes(then: float | None, now: float | None) -> list[float | None]:
    """Twenty minutes: ``then`` for the first five, ``now`` for the last five."""
    return [then] * 5 + [None] * 10 + [now] * 5


def test_the_arrow_compares_five_minutes_now_with_five_a_quarter_hour_ago() -> None:
    assert arrow(minutes(2, 6), "waiting") == "▲ +4 IN 15 MIN"
    assert arrow(minutes(90, 72.4), "sl_pct") == "▼ -18 PTS IN 15 MIN"
    assert arrow(minutes(20, 85), "longest_wait_s") == "▲ +1:05 IN 15 MIN"
    assert arrow(minutes(81.0, 81.6), "sl_pct") == "▶ STEADY IN 15 MIN"


def test_one_busy_minute_does_not_turn_the_arrow() -> None:
    values = minutes(3, 3)
    values[-1] = 8  # a spike in the newest minute: the mean of five moves by one
    assert arrow(values, "waiting") == "▲ +1 IN 15 MIN"
    values[-1] = 5
    assert arrow(values, "waiting") == "▶ STEADY IN 15 MIN"


def test_no_sample_on_either_side_is_no_trend_not_steady() -> None:
    assert arrow(minutes(None, 6), "waiting") == ""
    assert arrow(minutes(2, None), "waiting") == ""
    assert arrow(minutes(2, 6)[1:], "waiting") == ""  # fewer minutes than the arrow needs
    assert arrow(minutes(2, 6), "asa_s") == ""  # no minute series for it


def _engine(path: Path) -> Engine:
    store = HistoryStore(path)
    quiet = [Sample(at(8, 41) + m * MINUTE, 2, 20.0, 5, 3, 0, 0, 90.0) for m in range(5)]
    busy = [Sample(at(8, 56) + m * MINUTE, 6, 85.0, 5, 3, 0, 0, 72.0) for m in range(5)]
    store.write(samples=quiet + busy)
    store.close()
    engine = Engine([], now=lambda: at(9, 0, 30))
    # No live sample during the test (it would replace 09:00's with the queue's figures).
    recorder = HistoryRecorder(engine, HistoryOptions(path=path, tz=UTC), sample_s=NEVER_S)
    engine.companions.append(recorder)
    queue = Queue("ccai", "q1", "Main/Billing", "call", 4, 30, None)
    engine.store.replace(Collection.QUEUES, "ccai", [queue])
    agent = Agent("ccai", "a1", "Ana", AgentState.AVAILABLE, "Available", at(8, 0), None)
    engine.store.replace(Collection.AGENTS, "ccai", [agent])
    return engine


def _level_lines(app: CcmonApp) -> dict[str, str]:
    return {
        str(tile.query_one(".label", Static).render()): str(
            tile.query_one(".level", Static).render()
        )
        for tile in app.screen.query("Tile")
        if tile.display
    }


async def test_the_floor_page_shows_each_figures_arrow(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "h.sqlite3")
    app = CcmonApp(engine, wallboard=True)
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WallboardScreen))
        recorder = history_of(engine)
        assert recorder is not None
        await wait_for(pilot, lambda: recorder.loaded, what="the history loaded")
        await wait_for(pilot, lambda: "IN 15 MIN" in _level_lines(app).get("Waiting", ""), 5)
        lines = _level_lines(app)
        assert lines["Waiting"].startswith("▲ +4 IN 15 MIN")
        assert lines["Longest wait"].startswith("▲ +1:05 IN 15 MIN")
        [sl] = [text for label, text in lines.items() if label.startswith("Service level")]
        assert sl.startswith("▼ -18 PTS IN 15 MIN")
        assert lines["Available"].startswith("▶ STEADY IN 15 MIN · ")  # then its note
        assert "15 MIN" not in lines["Speed of answer"]  # no minute series for ASA


async def test_the_browser_document_has_the_same_arrows(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "h.sqlite3")
    recorder = history_of(engine)
    assert isinstance(recorder, HistoryRecorder)
    recorder.start()
    try:
        await eventually(lambda: recorder.loaded, "the history loaded")
        assert len(recorder.series("waiting", ARROW_MINUTES)) == ARROW_MINUTES
        document = board_document(engine, UiOptions())
        notes = {tile["label"]: tile["note"] for tile in document["pages"][0]["tiles"]}
        assert notes["Waiting"] == "▲ +4 IN 15 MIN"
        assert notes["Available"].startswith("▶ STEADY IN 15 MIN · ")
    finally:
        await recorder.stop()


async def test_without_history_the_tiles_have_no_arrow(tmp_path: Path) -> None:
    engine = Engine([], now=lambda: at(9, 0, 30))
    engine.store.replace(
        Collection.QUEUES, "ccai", [Queue("ccai", "q1", "Main/Billing", "call", 4, 30, None)]
    )
    document = board_document(engine, UiOptions())
    notes = [tile["note"] for tile in document["pages"][0]["tiles"]]
    assert not any("15 MIN" in note for note in notes)
