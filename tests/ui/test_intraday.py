"""The Intraday screen (``i``): today's intervals from the history, as a table and a chart
readable without colour; in words when there is no history to show."""

from __future__ import annotations

import dataclasses
from datetime import UTC
from pathlib import Path

from textual.widgets import Static

from ccmon.domain import Collection, Phase, Queue
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.engine import Engine
from ccmon.engine.forecast import HISTORY, TODAY, QueueForecast
from ccmon.engine.metrics import ContactStats
from ccmon.history.recorder import HistoryOptions, HistoryRecorder
from ccmon.history.store import HistoryStore, IntervalRow, contact_row
from ccmon.ui.app import CcmonApp
from ccmon.ui.forecast_text import floor_line, queue_line
from ccmon.ui.screens.intraday import (
    IntradayScreen,
    QueueChoice,
    chart,
    offered_bar,
    sl_bar,
)
from tests.history.helpers import at, contact
from tests.support.screen import screen_problems, screen_text
from tests.support.waiting import wait_for

POLICY = SlaPolicy(threshold_s=20, short_abandon_s=5, min_contacts=1, target_pct=80)


def test_the_contacts_bar_fills_what_was_answered_of_what_was_offered() -> None:
    assert offered_bar(5, 10, 10, 10) == "█████░░░░░"
    assert offered_bar(5, 5, 10, 10) == "█████     "
    assert offered_bar(0, 0, 10, 10) == " " * 10


def test_the_sl_bar_marks_the_target_above_and_below() -> None:
    assert sl_bar(50, 80, 10) == "█████···┃·"
    assert sl_bar(100, 80, 10) == "████████┃█"
    assert sl_bar(None, 80, 10) == "········┃·"


def _row(hh: int, mm: int, offered: int, answered: int, sl: float | None) -> IntervalRow:
    stats = ContactStats(offered=offered, answered=answered)
    return IntervalRow(at(hh, mm), 15, None, None, stats, sl, None)


def test_the_chart_says_in_words_which_intervals_are_below_target() -> None:
    rows = [_row(8, 0, 10, 9, 95.0), _row(8, 15, 20, 12, 60.0), _row(8, 30, 0, 0, None)]
    lines = chart(rows, UTC, 80.0, 80).plain.split("\n")
    assert [line[:5] for line in lines] == ["08:00", "08:15", "08:30"]
    assert " 9/10 " in lines[0]
    assert lines[0].endswith(" 95 % ok")
    assert "12/20 " in lines[1]
    assert lines[1].endswith(" 60 % below")
    assert lines[2].rstrip().endswith("—")  # too few contacts: no SL, no word
    assert all(len(line) <= 80 for line in lines)


def _store(path: Path) -> None:
    contacts = [
        contact("a", at(8, 1), Phase.ENDED, wait=10, talk=100),
        contact("b", at(8, 5), Phase.ENDED, wait=40, talk=100),
        contact("c", at(8, 9), Phase.ABANDONED, wait=30),
        contact("d", at(8, 16), Phase.ENDED, wait=5, talk=60),
        contact("e", at(8, 17), Phase.ENDED, wait=5, talk=60, kind="chat"),
        contact("f", at(8, 18), Phase.ENDED, wait=5, talk=60, queue="Main/Sales"),
    ]
    store = HistoryStore(path)
    rows = [contact_row(c, POLICY) for c in contacts]
    store.write(contacts=[r for r in rows if r is not None])
    store.close()


def _app(path: Path, *, queues: list[Queue] | None = None) -> CcmonApp:
    engine = Engine([], now=lambda: at(9, 0))
    options = HistoryOptions(path=path, policy=POLICY, tz=UTC)
    engine.companions.append(HistoryRecorder(engine, options, flush_s=0.02, refresh_s=0))
    if queues:
        engine.store.replace(Collection.QUEUES, "ccai", queues)
    return CcmonApp(engine)


def _contact_rows(screen: IntradayScreen) -> list[IntervalRow]:
    """The intervals with contacts (the current one may show up empty once sampled)."""
    return [row for row in screen.rows if row.stats.offered]


async def _opened(app: CcmonApp, pilot: object) -> IntradayScreen:
    await pilot.press("i")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: isinstance(app.screen, IntradayScreen))  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, IntradayScreen)
    return screen


async def test_i_shows_the_floors_intervals_in_local_time_at_80_by_24(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    _store(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened(app, pilot)
        await wait_for(pilot, lambda: len(_contact_rows(screen)) == 2, what="both intervals")
        await pilot.pause()
        text = screen_text(app)
        assert "Intraday · floor · 15-min intervals · times local (UTC)" in text
        assert "Start Offered Answered Abandoned" in text
        lines = text.split("\n")
        first = next(line for line in lines if "08:00" in line and "%" in line and "█" not in line)
        assert first.split()[1:5] == ["08:00", "3", "2", "1"]
        assert any("2/3" in line and "below" in line for line in lines)  # 1 of 3 in SL
        assert any("3/3" in line and "100 % ok" in line for line in lines)  # 08:15: 3 of 3
        assert not screen_problems(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, IntradayScreen))


async def test_the_selected_queue_shows_its_own_channel_and_f_the_floor(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    _store(path)
    billing = Queue("ccai", "q1", "Main/Billing", "call", 0, None, None)
    app = _app(path, queues=[billing])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await wait_for(pilot, lambda: app.pane("queues").table.cursor_record is not None)
        screen = await _opened(app, pilot)
        assert screen.showing == QueueChoice("Main/Billing", "call")
        await wait_for(pilot, lambda: len(screen.rows) == 2, what="the queue's intervals")
        assert [r.stats.offered for r in screen.rows] == [3, 1]  # no chat, no other queue
        assert "queue Main/Billing (call)" in screen_text(app)
        forecast = str(screen.query_one("#intraday-forecast", Static).render())
        # The engine holds no contacts: the queue's forecast says why it has none.
        assert forecast.startswith("Forecast: — no contacts in the last 60 min")
        await pilot.press("f")
        assert screen.showing is None
        floor = str(screen.query_one("#intraday-forecast", Static).render())
        assert floor.startswith("Forecast: — no queue has one")
        # The floor's rows: the two of the contacts, and (once the recorder has taken its
        # first sample at 09:00) the interval now, with no contact yet.
        assert [r.stats.offered for r in screen.rows if r.start < at(9, 0)] == [3, 3]
        assert all(r.stats.offered == 0 for r in screen.rows if r.start >= at(9, 0))


async def test_history_off_is_said_in_words(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not a database, whatever it was\n" * 200)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened(app, pilot)
        await wait_for(pilot, lambda: "History off" in screen.message)
        await pilot.pause()
        assert "History off: file is not a database" in screen_text(app)
        assert not screen.rows


async def test_an_empty_history_and_no_history_are_said_in_words(tmp_path: Path) -> None:
    app = _app(tmp_path / "h.sqlite3")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened(app, pilot)
        await wait_for(pilot, lambda: "No contacts recorded today" in screen.message)
    bare = CcmonApp(Engine([]))
    async with bare.run_test(size=(80, 24)) as pilot:
        screen = await _opened(bare, pilot)
        assert "No history in this process" in screen.message


def _forecast(**results: object) -> QueueForecast:
    made = QueueForecast(
        arrivals_per_hour=96.0,
        aht_s=185.0,
        agents=12,
        threshold_s=20,
        target_pct=80.0,
        window_min=30,
        basis=HISTORY,
        aht_basis=TODAY,
    )
    return dataclasses.replace(made, **results)  # type: ignore[arg-type]


def test_the_forecast_line_marks_estimates_and_states_its_inputs() -> None:
    short = _forecast(sl_pct=72.0, asa_s=35.0, agents_needed=14, model="erlang_c", p_wait=0.4)
    line = queue_line(short)
    assert line.startswith("Forecast: SL next ~72.0% · ASA ~35s · need ~14! (has 12) · ")
    assert line.endswith("96.0/h, AHT 3:05 today's (history, last 30 min)")
    unstable = _forecast(reason="unstable: 12 agents for 13.0 Erlangs, the queue grows")
    assert queue_line(unstable).startswith("Forecast: — unstable: 12 agents")
    fine = _forecast(sl_pct=90.0, asa_s=5.0, agents_needed=11, model="erlang_c")
    assert floor_line([short, fine, unstable]).startswith(
        "Forecast: ~2 agents short on 1 of 2 queues with a forecast"  # unstable: no need
    )
