"""Metric formulas on hand-made floors."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from ccmon.domain import Action, Agent, AgentState, Interaction, Phase, Queue, Sla
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.metrics import FloorMetrics, compute

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
QUEUE = "Main/Billing"


def contact(
    id: str,
    phase: Phase,
    wait: int | None,
    *,
    answered: bool = True,
    duration: int | None = None,
    minutes_ago: int = 5,
) -> Interaction:
    created = NOW - timedelta(minutes=minutes_ago)
    return Interaction(
        source="ccai",
        kind="call",
        id=id,
        status=phase.value,
        phase=phase,
        queue=QUEUE,
        agent="Ana" if answered else None,
        created_at=created,
        answered_at=created + timedelta(seconds=wait or 0) if answered else None,
        wait_s=wait,
        duration_s=duration,
    )


def floor(contacts: list[Interaction], policy: SlaPolicy | None = None) -> FloorMetrics:
    policy = policy or SlaPolicy(min_contacts=1)
    agents = [
        Agent("ccai", "1", "Ana", AgentState.AVAILABLE, "Available", NOW, None),
        Agent("ccai", "2", "Bo", AgentState.IN_CALL, "In-call", NOW, None),
        Agent("ccai", "3", "Cy", AgentState.OFFLINE, "Offline", NOW, None),
    ]
    queues = [Queue("ccai", "10", QUEUE, "call", 3, 95, None, ("1", "2", "3"))]
    sla = [Sla("ccai", "queue", "5", QUEUE, "call", 91.5)]
    return compute(
        now=NOW, agents=agents, queues=queues, interactions=contacts, sla=sla, policy=policy
    )


def test_service_level_asa_aht_and_abandonment() -> None:
    contacts = [
        contact("a", Phase.ENDED, 10, duration=300),
        contact("b", Phase.ENDED, 30, duration=100),
        contact("c", Phase.ACTIVE, 15),
        contact("d", Phase.ABANDONED, 60, answered=False),
        contact("e", Phase.ABANDONED, 2, answered=False),  # short abandon: ignored
        contact("f", Phase.WAITING, None, answered=False),
        contact("old", Phase.ENDED, 100, minutes_ago=120),  # outside the window
    ]
    metrics = floor(contacts, SlaPolicy(threshold_s=20, short_abandon_s=5, min_contacts=1))
    stats = metrics.stats
    assert (stats.offered, stats.answered, stats.in_sl, stats.abandoned) == (6, 3, 2, 1)
    assert stats.short_abandoned == 1
    assert metrics.sl_pct == pytest.approx(100 * 2 / 4)
    assert stats.asa_s == pytest.approx((10 + 30 + 15) / 3)
    assert stats.aht_s == pytest.approx(200)
    assert stats.abandon_pct == pytest.approx(25)
    assert stats.handled == 2


def test_answered_without_a_known_wait_counts_for_handled_but_not_sl() -> None:
    untimed = Interaction(
        source="evo",
        kind="call",
        id="x",
        status="ended",
        phase=Phase.ENDED,
        queue=QUEUE,
        agent="Ana",
        created_at=NOW - timedelta(minutes=3),
        duration_s=60,
    )
    metrics = floor([untimed, contact("a", Phase.ENDED, 10, duration=120)])
    assert metrics.stats.answered == 2
    assert metrics.stats.answered_timed == 1
    assert metrics.sl_pct == pytest.approx(100.0)
    assert metrics.stats.asa_s == pytest.approx(10.0)
    assert metrics.stats.aht_s == pytest.approx(90.0)


def test_abandons_can_be_left_out_of_service_level() -> None:
    contacts = [contact("a", Phase.ENDED, 10), contact("d", Phase.ABANDONED, 60, answered=False)]
    metrics = floor(contacts, SlaPolicy(abandons_count=False, min_contacts=1))
    assert metrics.sl_pct == pytest.approx(100.0)


def test_too_few_contacts_give_no_service_level() -> None:
    two = [contact("a", Phase.ENDED, 10), contact("b", Phase.ABANDONED, 60, answered=False)]
    assert floor(two, SlaPolicy(min_contacts=5)).sl_pct is None
    assert floor(two, SlaPolicy(min_contacts=2)).sl_pct == pytest.approx(50.0)


def test_no_contacts_means_no_service_level_not_zero() -> None:
    metrics = floor([])
    assert metrics.sl_pct is None


def test_queue_metrics_join_agents_and_vendor_sla() -> None:
    metrics = floor([contact("a", Phase.ENDED, 10)])
    [queue] = metrics.queues.values()
    assert queue.agents_available == 1
    assert queue.agents_logged_in == 2
    assert queue.vendor_sl_pct == 91.5
    assert queue.sl_pct == 100.0
    assert metrics.waiting == 3
    assert metrics.longest_wait_s == 95
    assert metrics.agents_by_state[AgentState.IN_CALL] == 1


def test_a_menu_taking_calls_and_chats_has_separate_figures_per_channel() -> None:
    calls = [contact("c1", Phase.ENDED, 10), contact("c2", Phase.ENDED, 12)]
    chats = [
        dataclasses.replace(contact(f"h{n}", Phase.ABANDONED, 90, answered=False), kind="chat")
        for n in range(3)
    ]
    queues = [
        Queue("ccai", "10", QUEUE, "call", 0, None, None, ()),
        Queue("ccai", "10", QUEUE, "chat", 0, None, None, ()),
    ]
    metrics = compute(
        now=NOW,
        agents=[],
        queues=queues,
        interactions=calls + chats,
        policy=SlaPolicy(min_contacts=1),
    )
    by_channel = {m.queue.channel: m for m in metrics.queues.values()}
    assert (by_channel["call"].stats.offered, by_channel["call"].sl_pct) == (2, 100.0)
    assert (by_channel["chat"].stats.offered, by_channel["chat"].sl_pct) == (3, 0.0)
    assert metrics.stats.offered == 5


def test_alo_actions_by_status_and_oldest_open() -> None:
    def action(id: str, status: str, hours: int) -> Action:
        return Action("alo", "1", id, status, None, None, (), NOW - timedelta(hours=hours), None)

    metrics = compute(
        now=NOW,
        agents=[],
        queues=[],
        interactions=[],
        actions=[action("1", "created", 1), action("2", "doing", 3), action("3", "closed", 9)],
    )
    assert metrics.actions_by_status == {"created": 1, "doing": 1, "closed": 1}
    assert metrics.oldest_open_action_s == pytest.approx(3 * 3600)


def test_a_queue_from_a_source_without_agents_has_no_staffing_figures() -> None:
    queues = [
        Queue("evo", "Support Queue", "Support Queue", "call", 2, 40, None),
        Queue("ccai", "10", QUEUE, "call", 0, None, None, ()),  # unstaffed: 0, not unknown
    ]
    agents = [Agent("ccai", "1", "Ana", AgentState.AVAILABLE, "Available", NOW, None)]
    metrics = compute(now=NOW, agents=agents, queues=queues)
    by_source = {m.queue.source: m for m in metrics.queues.values()}
    assert (by_source["evo"].agents_available, by_source["evo"].agents_logged_in) == (None, None)
    assert (by_source["ccai"].agents_available, by_source["ccai"].agents_logged_in) == (0, 0)
    assert metrics.waiting == 2


def test_a_recent_service_level_beside_the_long_one_shows_a_recovery() -> None:
    """The last 15 minutes, same formula: a bad rush 40 minutes ago, answered fast since."""
    rush = [contact(f"r{i}", Phase.ENDED, 90, duration=60, minutes_ago=40) for i in range(6)]
    since = [contact(f"s{i}", Phase.ENDED, 5, duration=60, minutes_ago=10) for i in range(3)]
    lost = contact("lost", Phase.ABANDONED, 40, answered=False, minutes_ago=3)
    metrics = floor([*rush, *since, lost], SlaPolicy(threshold_s=20, min_contacts=1))
    assert metrics.sl_pct == pytest.approx(100 * 3 / 10)
    assert metrics.recent_sl_pct == pytest.approx(100 * 3 / 4)
    assert (metrics.recent_stats.answered, metrics.recent_stats.abandoned) == (3, 1)
    queue = metrics.queues["ccai:10:call"]
    assert queue.sl_pct == pytest.approx(30.0)
    assert queue.recent_sl_pct == pytest.approx(75.0)
    assert floor(since, SlaPolicy(min_contacts=5)).recent_sl_pct is None, "too few: no figure"
