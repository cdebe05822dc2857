"""Alert rules and their hysteresis."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, datetime, timedelta

from ccmon.domain import AgentState, Collection, Queue
from ccmon.domain.policy import ALERT_RULES, AlertPolicy, AlertRule, SlaPolicy
from ccmon.engine.alerts import AlertEvent, AlertMonitor
from ccmon.engine.health import Health, SourceHealth
from ccmon.engine.metrics import ContactStats, FloorMetrics, QueueMetrics
from ccmon.ui import format as fmt

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    """``seconds`` after :data:`NOW`: holds and down-times are measured on the floor's time."""
    return NOW + timedelta(seconds=seconds)


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


MARGINS_ONLY = AlertPolicy(clear_after_s=0)


def test_hovering_at_the_threshold_raises_once() -> None:
    monitor = AlertMonitor(MARGINS_ONLY)
    steps = [100, 125, 119, 121, 118, 122, 97, 95]
    seen = [names(monitor.evaluate(floor(wait_s=w, waiting=1), [], now=NOW)) for w in steps]
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
    monitor = AlertMonitor(AlertPolicy(sl_below_pct=80, clear_after_s=0))
    seen = [names(monitor.evaluate(floor(sl=v), [], now=NOW)) for v in (85, 79.5, 80.5, 81.9, 82.0)]
    assert seen == [[], [("sl_below_pct", "raised")], [], [], [("sl_below_pct", "cleared")]]
    assert monitor.active == {}


def test_no_value_changes_nothing() -> None:
    monitor = AlertMonitor()
    monitor.evaluate(floor(sl=50), [], now=NOW)
    assert names(monitor.evaluate(floor(sl=None), [], now=NOW)) == []
    assert "sl_below_pct" in monitor.active


def test_nobody_available_matters_only_while_someone_waits() -> None:
    monitor = AlertMonitor(MARGINS_ONLY)
    assert names(monitor.evaluate(floor(available=0, waiting=0), [], now=NOW)) == []
    raised = monitor.evaluate(floor(available=0, waiting=3), [], now=NOW)
    assert ("available_below", "raised") in names(raised)
    cleared = monitor.evaluate(floor(available=0, waiting=0), [], now=NOW)
    assert ("available_below", "cleared") in names(cleared)


def test_rules_can_be_switched_off() -> None:
    monitor = AlertMonitor(AlertPolicy(off=frozenset({"sl_below_pct", "waiting_above"})))
    events = monitor.evaluate(floor(sl=10, waiting=50), [], now=NOW)
    assert "sl_below_pct" not in {e.name for e in events}
    assert "waiting_above" not in {e.name for e in events}


def test_every_rule_name_is_a_rule_that_raises_and_can_be_switched_off() -> None:
    # Everything beyond its threshold at once: a floor in trouble, a source down for long.
    worst = with_contacts(
        floor(sl=10, waiting=50, wait_s=900, available=0, open_action_s=86_400),
        answered=10,
        answered_timed=10,
        wait_total_s=9000,
        abandoned=10,
    )
    down = [SourceHealth("evo", Health.UNREACHABLE, None, 0, 57, 0, 3, "evo: no", (), 0, 0)]

    def raised(off: list[AlertRule]) -> set[str]:
        monitor = AlertMonitor(AlertPolicy(off=frozenset(off)))
        monitor.evaluate(worst, down, now=NOW)
        monitor.evaluate(worst, down, now=at(3600))
        return {name.partition(":")[0] for name in monitor.active}

    everything = raised([])
    assert everything == set(ALERT_RULES)
    for name in ALERT_RULES:
        assert raised([name]) == everything - {name}


def test_a_source_down_for_long_enough_raises_and_clears_when_back() -> None:
    def health(state: Health) -> list[SourceHealth]:
        return [
            SourceHealth("alo", state, None, 0, 57, 0, 3, "alo: credentials rejected", (), 0, 0)
        ]

    monitor = AlertMonitor(AlertPolicy(source_down_s=60, clear_after_s=0))
    assert monitor.evaluate(None, health(Health.AUTH_FAILED), now=NOW) == []
    assert monitor.evaluate(None, health(Health.AUTH_FAILED), now=at(30)) == []
    [raised] = monitor.evaluate(None, health(Health.AUTH_FAILED), now=at(61))
    assert raised.state == "raised"
    assert "alo auth failed for 1:01: alo: credentials rejected" in raised.message
    [cleared] = monitor.evaluate(None, health(Health.OK), now=at(70))
    assert cleared.state == "cleared"


def test_old_alo_action() -> None:
    monitor = AlertMonitor(AlertPolicy(action_open_min=60))
    [event] = monitor.evaluate(floor(open_action_s=3700), [], now=NOW)
    assert event.name == "action_open_min"
    assert "open 62 min" in event.message


def test_a_count_flickering_at_its_threshold_alerts_once_and_clears_after_the_hold() -> None:
    # One agent comes free while contacts wait and takes the next one at once: 0, 1, 0, 1 ...
    monitor = AlertMonitor(AlertPolicy(clear_after_s=30))
    seen = [
        names(monitor.evaluate(floor(available=a, waiting=3), [], now=at(t)))
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

    monitor = AlertMonitor(AlertPolicy(source_down_s=10, clear_after_s=30))
    states = [(0, Health.UNREACHABLE), (11, Health.UNREACHABLE), (15, Health.OK)]
    states += [(20, Health.UNREACHABLE), (25, Health.OK), (50, Health.OK), (56, Health.OK)]
    events = [e for t, state in states for e in monitor.evaluate(None, health(state), now=at(t))]
    assert [(e.state, e.message) for e in events] == [
        ("raised", "evo unreachable for 11s: evo: cannot reach"),
        ("cleared", "cleared: evo is back"),
    ]


def test_the_history_keeps_today_raised_and_cleared_with_times_and_since_when() -> None:
    monitor = AlertMonitor(MARGINS_ONLY)
    later, next_day = NOW + timedelta(minutes=7), NOW + timedelta(days=1)
    monitor.evaluate(floor(sl=60, waiting=12), [], now=NOW)
    monitor.evaluate(floor(sl=60, waiting=0), [], now=later)
    history = monitor.history
    assert [(e.at, e.event.name, e.event.state) for e in history.today()] == [
        (NOW, "sl_below_pct", "raised"),
        (NOW, "waiting_above", "raised"),
        (later, "waiting_above", "cleared"),
    ]
    assert history.since == {"sl_below_pct": NOW}, "since when each active alert fires"
    assert set(history.since) == set(monitor.active)
    monitor.evaluate(floor(sl=60, waiting=0), [], now=next_day)
    assert history.today() == [], "yesterday's events are gone"
    assert history.since == {"sl_below_pct": NOW}, "still firing since yesterday"


def with_contacts(metrics: FloorMetrics, **stats: float) -> FloorMetrics:
    return dataclasses.replace(metrics, stats=ContactStats(**stats))  # type: ignore[arg-type]


def test_slow_answers_and_abandonment_have_rules_of_their_own() -> None:
    monitor = AlertMonitor(AlertPolicy(asa_above_s=60, abandon_above_pct=10, clear_after_s=0))
    # 10 answered with 90 s mean wait, 2 abandoned of 12: ASA 1:30, abandonment 16.7 %.
    slow = with_contacts(floor(), answered=10, answered_timed=10, wait_total_s=900, abandoned=2)
    events = {e.name: e for e in monitor.evaluate(slow, [], now=NOW)}
    assert events["asa_above_s"].message == "average speed of answer 1:30 (alert above 1:00)"
    assert events["abandon_above_pct"].message == "16.7% of contacts abandoned (alert above 10%)"
    fine = with_contacts(floor(), answered=10, answered_timed=10, wait_total_s=200)
    cleared = names(monitor.evaluate(fine, [], now=at(1)))
    assert ("asa_above_s", "cleared") in cleared
    assert ("abandon_above_pct", "cleared") in cleared


def test_no_rule_fires_from_figures_whose_data_has_not_loaded_once() -> None:
    monitor = AlertMonitor()
    bad = floor(sl=40, waiting=30, wait_s=600)
    # Queues are in, the first page of contacts is not the whole window yet.
    early = names(monitor.evaluate(bad, [], now=NOW, loaded=frozenset({Collection.QUEUES})))
    assert ("waiting_above", "raised") in early
    assert ("sl_below_pct", "raised") not in early
    assert ("sl_below_pct", "raised") in names(monitor.evaluate(bad, [], now=at(1)))


def test_alert_texts_count_and_time_as_the_screen_does() -> None:
    monitor = AlertMonitor()
    monitor = AlertMonitor(AlertPolicy(waiting_above=1, available_below=2))
    events = monitor.evaluate(floor(waiting=2, available=1, wait_s=2924628 * 60), [], now=NOW)
    by_name = {e.name: e.message for e in events}
    # One duration format everywhere: the tile says >99d for this wait, and so does the alert.
    assert (
        by_name["longest_wait_s"]
        == f"a contact has waited {fmt.duration(2924628 * 60)} (alert above 2:00)"
    )
    assert fmt.duration(2924628 * 60) == ">99d"
    assert by_name["waiting_above"].startswith("2 contacts waiting")
    assert by_name["available_below"] == (
        "1 agent available while 2 contacts wait in queues with an agent roster"
    )


def test_nobody_available_counts_only_contacts_waiting_where_agents_are_known() -> None:
    # Evo reports sessions, no roster: its waiting callers are not set against CCAI's agents.
    evo = Queue("evo", "q1", "Support Queue", "call", 4, 30, NOW - timedelta(seconds=30))
    metrics = floor(available=0, waiting=0)
    stats = ContactStats()
    metrics = dataclasses.replace(
        metrics,
        waiting=4,
        queues={**metrics.queues, evo.key: QueueMetrics(evo, None, None, stats, None, None)},
    )
    monitor = AlertMonitor(MARGINS_ONLY)
    assert "available_below" not in {e.name for e in monitor.evaluate(metrics, [], now=NOW)}


def test_an_active_alert_says_its_value_now() -> None:
    monitor = AlertMonitor()
    monitor.evaluate(floor(sl=62.5), [], now=NOW)
    monitor.evaluate(floor(sl=71.1), [], now=at(1))
    assert monitor.active["sl_below_pct"].message == "service level 71.1% (target 80%)"
