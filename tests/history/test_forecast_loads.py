"""The forecast's inputs from the history: each queue's last 30 minutes (its own channel),
AHT falling back to the day's, and the feeds' hour while the history does not cover the
window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from ccmon.domain import Agent, AgentState, Collection, Phase, Queue
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.engine import Engine
from ccmon.engine.forecast import FEEDS, HISTORY, TODAY, WINDOW, forecast_floor
from ccmon.history.recorder import HistoryOptions, HistoryRecorder
from ccmon.history.store import HistoryStore, Sample, contact_row
from ccmon.history.view import history_loads
from tests.history.helpers import at, contact

POLICY = SlaPolicy(threshold_s=20, short_abandon_s=5, min_contacts=2, window_min=60)
NOW = at(9, 0, 30)


def _store(path: Path, *, samples_from: datetime) -> None:
    contacts = [
        # Earlier today: handled contacts only the day's AHT sees.
        contact("d1", at(7, 0), Phase.ENDED, wait=5, talk=100),
        contact("d2", at(7, 5), Phase.ENDED, wait=5, talk=200),
        # The last 30 minutes: three calls (one still waiting), none handled yet, and a
        # chat of the same menu, which is another queue.
        contact("w1", at(8, 40), Phase.ACTIVE, wait=10),
        contact("w2", at(8, 50), Phase.ABANDONED, wait=30),
        contact("w3", at(8, 59), Phase.WAITING),
        contact("c1", at(8, 45), Phase.ENDED, wait=5, talk=60, kind="chat"),
        # Before the window, after the feeds' hour began: the feeds' figure counts it.
        contact("o1", at(8, 10), Phase.ENDED, wait=5, talk=300),
    ]
    store = HistoryStore(path)
    store.write(contacts=[r for c in contacts if (r := contact_row(c, POLICY))])
    minute = samples_from
    samples = []
    while minute <= NOW:
        samples.append(Sample(minute, 1, 10.0, 2, 1, 0, 0, 90.0))
        minute += timedelta(minutes=1)
    store.write(samples=samples)
    store.close()


async def _loads(path: Path) -> tuple[Engine, HistoryRecorder]:
    engine = Engine([], now=lambda: NOW)
    recorder = HistoryRecorder(
        engine, HistoryOptions(path=path, policy=POLICY, tz=UTC), flush_s=0.02, sample_s=10.0**9
    )
    engine.companions.append(recorder)
    call = Queue("ccai", "q1", "Main/Billing", "call", 1, 30, None, ("101", "102"))
    chat = Queue("ccai", "q1", "Main/Billing", "chat", 0, None, None, ("101",))
    engine.store.replace(Collection.QUEUES, "ccai", [call, chat])
    engine.store.replace(
        Collection.AGENTS,
        "ccai",
        [
            Agent("ccai", i, i, AgentState.AVAILABLE, "Available", None, None)
            for i in ("101", "102")
        ],
    )
    recorder.start()
    assert await recorder.wait_loaded(10)
    return engine, recorder


async def test_a_covered_window_gives_each_queue_its_last_30_minutes(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    _store(path, samples_from=at(8, 0))
    engine, recorder = await _loads(path)
    try:
        metrics = engine.metrics(POLICY)
        loads = history_loads(engine, metrics)
        assert loads is not None
        call = loads["ccai:q1:call"]
        assert (call.basis, call.window_min, call.stats.offered) == (HISTORY, 30, 3)
        assert call.arrivals_per_hour == 6.0
        assert call.aht(POLICY.min_contacts) == (200.0, TODAY)  # none handled in the window
        chat = loads["ccai:q1:chat"]
        assert chat.stats.offered == 1  # its own channel, not the calls'
        forecasts = forecast_floor(metrics, engine.records(Collection.AGENTS, Agent), loads)
        f = forecasts["ccai:q1:call"]
        assert (f.basis, f.aht_basis, f.window_min, f.arrivals_per_hour) == (
            HISTORY,
            TODAY,
            30,
            6.0,
        )
        assert f.sl_pct is not None
        # The feeds' hour for the same queue: o1 counts there, and its AHT is the window's.
        feeds = forecast_floor(metrics, engine.records(Collection.AGENTS, Agent))
        assert feeds["ccai:q1:call"].basis == FEEDS
    finally:
        await recorder.stop()


async def test_without_samples_back_to_the_windows_start_the_feeds_hour_is_used(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.sqlite3"
    _store(path, samples_from=at(8, 45))  # ccmon started a quarter of an hour ago
    engine, recorder = await _loads(path)
    try:
        metrics = engine.metrics(POLICY)
        assert history_loads(engine, metrics) == {}
        forecasts = forecast_floor(metrics, [], history_loads(engine, metrics))
        assert forecasts["ccai:q1:call"].basis == FEEDS
    finally:
        await recorder.stop()


async def test_a_window_with_enough_handled_contacts_uses_its_own_aht(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    _store(path, samples_from=at(8, 0))
    store = HistoryStore(path)
    extra = [contact(f"h{i}", at(8, 50 + i), Phase.ENDED, wait=5, talk=60) for i in range(2)]
    store.write(contacts=[r for c in extra if (r := contact_row(c, POLICY))])
    store.close()
    engine, recorder = await _loads(path)
    try:
        loads = history_loads(engine, engine.metrics(POLICY))
        assert loads is not None
        assert loads["ccai:q1:call"].aht(POLICY.min_contacts) == (60.0, WINDOW)
    finally:
        await recorder.stop()
