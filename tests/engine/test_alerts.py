"""Alert rules and their hysteresis."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from ccmon.domain import AgentState, Queue
from ccmon.engine.alerts import AlertEvent, AlertMonitor, AlertSettings
from ccmon.engine.health import Health, SourceHealth
from ccmon.engine.metrics import ContactStats, FloorMetrics, QueueMetrics, SlaPolicy

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def floor(
    *,
    wait_s: float = 0,
    waiting: int = 0,
    sl: float | None = 90.0,
    available: int = 3,
    open_action_s: float | None = None,
) -> FloorMetrics:
    queue = Queue(
        "ccai",
        "1",
        "Main/Billing",
        "call",
        waiting,
        int(wait_s),
        NOW - timedelta(seconds=wait_s) if waiting else None,
    )
    stats = ContactStats()
    return FloorMetrics(
        at=NOW,
        policy=SlaPolicy(),
        agents_by_state=Counter({AgentState.AVAILABLE: available}),
        waiting=waiting,
        longest_wait_s=int(wait_s),
        stats=stats,
        sl_pct=sl,
        queues={queue.key: QueueMetrics(queue, available, available, stats, sl, None)},
        oldest_open_action_s=open_action_s,
    )


def names(events: list[AlertEvent]) -> list[tuple[str, str]]:
    return [(e.name, e.state) for e in events]


MARGINS_ONLY = AlertSettings(clear_after_s=0)


def test_hovering_at_the_threshold_raises_once() -> None:
    monitor = AlertMonitor(MARGINS_ONLY)
    steps = [100, 125, 119, 121, 118, 122, 97, 95]
    seen = [
        names(monitor.evaluate(floor(wait_s=w, waiting=1), [], now=NOW, monotonic=0)) for w in steps
    ]
    assert seen == [
        [],
        [("longest_wait_s", "raised")],
        [],
        [],
        [],
        [],
        [],
        [("longest_wait_s", "cleared")],
    ]


def test_service_level_needs_two_points_above_target_to_clear() -> None:
    monitor = AlertMonitor(AlertSettings(sl_below_pct=80, clear_after_s=0))
    seen = [
        names(monitor.evaluate(floor(sl=v), [], now=NOW, monotonic=0))
        for v in (85, 79.5, 80.5, 81.9, 82.0)
    ]
    assert seen == [[], [("sl_below_pct", "raised")], [], [], [("sl_below_pct", "cleared")]]
    assert monitor.active == {}


def test_no_value_changes_nothing() -> None:
    monitor = AlertMonitor()
    monitor.evaluate(floor(sl=50), [], now=NOW, monotonic=0)
    assert names(monitor.evaluate(floor(sl=None), [], now=NOW, monotonic=0)) == []
    assert "sl_below_pct" in monitor.active


def test_nobody_available_matters_only_while_someone_waits() -> None:
    monitor = AlertMonitor(MARGINS_ONLY)
    assert names(monitor.evaluate(floor(available=0, waiting=0), [], now=NOW, monotonic=0)) == []
    raised = monitor.evaluate(floor(available=0, waiting=3), [], now=NOW, monotonic=0)
    assert ("available_below", "raised") in names(raised)
    cleared = monitor.evaluate(floor(available=0, waiting=0), [], now=NOW, monotonic=0)
    assert ("available_below", "cleared") in names(cleared)


def test_rules_can_be_switched_off() -> None:
    monitor = AlertMonitor(AlertSettings(off=["sl_below_pct", "waiting_above"]))
    events = monitor.evaluate(floor(sl=10, waiting=50), [], now=NOW, monotonic=0)
    assert "sl_below_pct" not in {e.name for e in events}
    assert "waiting_above" not in {e.name for e in events}


def test_a_source_down_for_long_enough_raises_and_clears_when_back() -> None:
    def health(state: Health) -> list[SourceHealth]:
        return [
            SourceHealth("alo", state, None, 0, 57, 0, 3, "alo: credentials rejected", (), 0, 0)
        ]

    monitor = AlertMonitor(AlertSettings(source_down_s=60, clear_after_s=0))
    assert monitor.evaluate(None, health(Health.AUTH_FAILED), now=NOW, monotonic=0) == []
    assert monitor.evaluate(None, health(Health.AUTH_FAILED), now=NOW, monotonic=30) == []
    [raised] = monitor.evaluate(None, health(Health.AUTH_FAILED), now=NOW, monotonic=61)
    assert raised.state == "raised"
    assert "alo auth failed for 1:01: alo: credentials rejected" in raised.message
    [cleared] = monitor.evaluate(None, health(Health.OK), now=NOW, monotonic=70)
    assert cleared.state == "cleared"


def test_old_alo_action() -> None:
    monitor = AlertMonitor(AlertSettings(action_open_min=60))
    [event] = monitor.evaluate(floor(open_action_s=3700), [], now=NOW, monotonic=0)
    assert event.name == "action_open_min"
    assert "open 62 min" in event.message


def test_a_count_flickering_at_its_threshold_alerts_once_and_clears_after_the_hold() -> None:
    # One agent comes free while contacts wait and takes the next one at once: 0, 1, 0, 1 ...
    monitor = AlertMonitor(AlertSettings(clear_after_s=30))
    seen = [
        names(monitor.evaluate(floor(available=a, waiting=3), [], now=NOW, monotonic=t))
        for t, a in [(0, 0), (3, 1), (6, 0), (9, 1), (12, 0), (15, 1), (30, 1), (46, 1)]
    ]
    assert [event for step in seen for event in step if event[0] == "available_below"] == [
        ("available_below", "raised"),
        ("available_below", "cleared"),
    ]
    assert ("available_below", "cleared") in seen[-1]  # 31 s after it was last back at 0


def test_a_source_that_flaps_stays_alerted_until_it_has_been_back_for_the_hold() -> None:
    def health(state: Health) -> list[SourceHealth]:
        return [SourceHealth("evo", state, None, 0, 57, 0, 3, "evo: cannot reach", (), 0, 0)]

    monitor = AlertMonitor(AlertSettings(source_down_s=10, clear_after_s=30))
    states = [(0, Health.UNREACHABLE), (11, Health.UNREACHABLE), (15, Health.OK)]
    states += [(20, Health.UNREACHABLE), (25, Health.OK), (50, Health.OK), (56, Health.OK)]
    events = [
        e
        for t, state in states
        for e in monitor.evaluate(None, health(state), now=NOW, monotonic=t)
    ]
    assert [(e.state, e.message) for e in events] == [
        ("raised", "evo unreachable for 11s: evo: cannot reach"),
        ("cleared", "cleared: evo is back"),
    ]


def test_the_history_keeps_today_raised_and_cleared_with_times_and_since_when() -> None:
    monitor = AlertMonitor(MARGINS_ONLY)
    later, next_day = NOW + timedelta(minutes=7), NOW + timedelta(days=1)
    monitor.evaluate(floor(sl=60, waiting=12), [], now=NOW, monotonic=0)
    monitor.evaluate(floor(sl=60, waiting=0), [], now=later, monotonic=420)
    history = monitor.history
    assert [(e.at, e.event.name, e.event.state) for e in history.today()] == [
        (NOW, "sl_below_pct", "raised"),
        (NOW, "waiting_above", "raised"),
        (later, "waiting_above", "cleared"),
    ]
    assert history.since == {"sl_below_pct": NOW}, "since when each active alert fires"
    assert set(history.since) == set(monitor.active)
    monitor.evaluate(floor(sl=60, waiting=0), [], now=next_day, monotonic=86_400)
    assert history.today() == [], "yesterday's events are gone"
    assert history.since == {"sl_below_pct": NOW}, "still firing since yesterday"
