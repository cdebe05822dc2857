"""The forecast of a queue from inputs the test knows one by one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ccmon.domain import Agent, AgentState, Interaction, Phase, Queue
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.erlang import erlang_a, erlang_c
from ccmon.engine.forecast import (
    FEEDS,
    HISTORY,
    HISTORY_WINDOW_MIN,
    TODAY,
    WINDOW,
    QueueForecast,
    QueueLoad,
    forecast_floor,
)
from ccmon.engine.metrics import ContactStats, compute

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
QUEUE = Queue("ccai", "7", "Main/Billing", "call", 2, 30, None, tuple(f"a{i}" for i in range(16)))


def _agents(available: int, in_call: int, in_chat: int = 0, away: int = 0) -> list[Agent]:
    states = (
        [AgentState.AVAILABLE] * available
        + [AgentState.IN_CALL] * in_call
        + [AgentState.IN_CHAT] * in_chat
        + [AgentState.AWAY] * away
    )
    return [
        Agent("ccai", f"a{i}", f"Agent {i}", s, s.value, NOW, None) for i, s in enumerate(states)
    ]


def _handled(count: int, *, handle_s: int = 180, wait_s: int = 10) -> list[Interaction]:
    """``count`` calls spread over the last hour, each answered after ``wait_s`` and ended."""
    calls = []
    for i in range(count):
        created = NOW - timedelta(seconds=3500 * (i + 1) / count)
        answered = created + timedelta(seconds=wait_s)
        calls.append(
            Interaction(
                "ccai", "call", f"c{i}", "finished", Phase.ENDED, QUEUE.name, "Agent 1",
                created, answered, answered + timedelta(seconds=handle_s), wait_s, handle_s,
            )
        )  # fmt: skip
    return calls


def _abandoned(count: int, *, after_s: int) -> list[Interaction]:
    return [
        Interaction(
            "ccai", "call", f"x{i}", "abandoned", Phase.ABANDONED, QUEUE.name, None,
            NOW - timedelta(seconds=60 * (i + 1)), wait_s=after_s,
        )
        for i in range(count)
    ]  # fmt: skip


def _forecast(
    contacts: list[Interaction], agents: list[Agent], policy: SlaPolicy | None = None
) -> QueueForecast:
    metrics = compute(now=NOW, agents=agents, queues=[QUEUE], interactions=contacts, policy=policy)
    return forecast_floor(metrics, agents)[QUEUE.key]


def test_ten_erlangs_on_fourteen_agents_is_the_published_case() -> None:
    """200 calls an hour at 180 s: A = 10 Erlangs; 6 available + 8 on a call = 14 agents."""
    result = _forecast(_handled(200), _agents(available=6, in_call=8, in_chat=1, away=1))
    expected = erlang_c(14, 200 / 3600, 180, 20)
    assert result.model == "erlang_c"
    assert result.reason is None
    assert result.arrivals_per_hour == pytest.approx(200)
    assert result.aht_s == pytest.approx(180)
    assert result.agents == 14  # the agent in a chat and the one away do not serve calls
    assert result.p_wait == pytest.approx(expected.p_wait)
    assert result.sl_pct == pytest.approx(88.84, abs=0.01)
    assert result.asa_s == pytest.approx(7.84, abs=0.01)
    assert result.agents_needed == 14  # 13 agents give 79.56 % < 80 %
    assert not result.short
    assert (result.threshold_s, result.target_pct) == (20, 80.0)


def test_fewer_agents_than_needed_is_short() -> None:
    result = _forecast(_handled(200), _agents(available=2, in_call=11))
    assert result.agents == 13
    assert result.sl_pct == pytest.approx(79.56, abs=0.01)
    assert result.agents_needed == 14
    assert result.short


def test_no_more_agents_than_erlangs_is_unstable_and_gives_no_figures() -> None:
    result = _forecast(_handled(200), _agents(available=1, in_call=9))
    assert result.reason == "unstable: 10 agents for 10.0 Erlangs, the queue grows"
    assert (result.sl_pct, result.asa_s, result.p_wait) == (None, None, None)
    assert result.agents_needed == 14
    assert result.short


def test_material_abandons_switch_to_erlang_a_with_patience_from_the_waits() -> None:
    contacts = _handled(200, wait_s=10) + _abandoned(20, after_s=50)
    result = _forecast(contacts, _agents(available=6, in_call=8))
    # Exposure: 200 answered x 10 s + 20 abandoned x 50 s; 20 abandons.
    assert result.model == "erlang_a"
    assert result.patience_s == pytest.approx((200 * 10 + 20 * 50) / 20)
    assert result.arrivals_per_hour == pytest.approx(220)
    expected = erlang_a(14, 220 / 3600, 180, 20, 150.0)
    assert result.sl_pct == pytest.approx(100 * (expected.sl or 0))
    assert result.asa_s == pytest.approx(expected.asa_s)


def test_a_few_abandons_keep_erlang_c() -> None:
    result = _forecast(_handled(200) + _abandoned(2, after_s=40), _agents(6, 8))
    assert result.model == "erlang_c"
    assert result.patience_s is None


def test_missing_inputs_give_a_reason_instead_of_figures() -> None:
    nothing = _forecast([], _agents(6, 8))
    assert nothing.reason == "no contacts in the last 60 min"
    assert nothing.sl_pct is None
    few = _forecast(_handled(4), _agents(6, 8))
    assert few.reason == "AHT needs 5 handled contacts (has 4)"
    assert few.aht_s is None
    assert few.arrivals_per_hour == pytest.approx(4)


def test_a_source_without_agents_says_so() -> None:
    evo = Queue("evo", "q", "Support", "call", 0, None, None)
    metrics = compute(now=NOW, agents=[], queues=[evo], interactions=[])
    result = forecast_floor(metrics, [])[evo.key]
    assert result.agents is None
    # No contacts is the first thing missing; with contacts the reason names the source.
    assert result.reason == "no contacts in the last 60 min"
    contacts = [
        Interaction(
            "evo", "call", f"s{i}", "ended", Phase.ENDED, "Support", "A",
            NOW - timedelta(minutes=i + 1), NOW - timedelta(minutes=i + 1), NOW, 0, 120,
        )
        for i in range(10)
    ]  # fmt: skip
    metrics = compute(now=NOW, agents=[], queues=[evo], interactions=contacts)
    assert forecast_floor(metrics, [])[evo.key].reason == "evo reports no agents for its queues"


def _stats(contacts: list[Interaction], policy: SlaPolicy | None = None) -> ContactStats:
    stats = ContactStats()
    for contact in contacts:
        stats.add(contact, policy or SlaPolicy())
    return stats


def test_a_load_from_the_history_replaces_the_feeds_window_and_says_so() -> None:
    """The feeds hold 200 calls over the hour; the history's last 30 min hold 125: 250/h,
    the faster rate a 30-minute window sees in a rush."""
    agents = _agents(available=6, in_call=8)
    metrics = compute(now=NOW, agents=agents, queues=[QUEUE], interactions=_handled(200))
    load = QueueLoad(_stats(_handled(125)), HISTORY_WINDOW_MIN, HISTORY)
    result = forecast_floor(metrics, agents, {QUEUE.key: load})[QUEUE.key]
    assert (result.basis, result.window_min, result.aht_basis) == (HISTORY, 30, WINDOW)
    assert result.arrivals_per_hour == pytest.approx(250)
    assert result.aht_s == pytest.approx(180)
    expected = erlang_c(14, 250 / 3600, 180, 20)
    assert expected.sl is not None
    assert result.sl_pct == pytest.approx(100 * expected.sl)
    # Without a load (another queue, or no history) the feeds' window, as before.
    feeds = forecast_floor(metrics, agents, {})[QUEUE.key]
    assert (feeds.basis, feeds.window_min, feeds.aht_basis) == (FEEDS, 60, WINDOW)
    assert feeds.arrivals_per_hour == pytest.approx(200)
    assert forecast_floor(metrics, agents) == forecast_floor(metrics, agents, None)


def test_too_few_handled_in_the_window_takes_todays_aht_from_the_history() -> None:
    agents = _agents(available=6, in_call=8)
    metrics = compute(now=NOW, agents=agents, queues=[QUEUE], interactions=_handled(200))
    window = _stats(_handled(3) + _abandoned(1, after_s=2))  # 3 handled, below min_contacts 5
    today = QueueLoad(window, 30, HISTORY, day_handle_total_s=12 * 240.0, day_handle_count=12)
    result = forecast_floor(metrics, agents, {QUEUE.key: today})[QUEUE.key]
    assert (result.aht_s, result.aht_basis) == (240.0, TODAY)
    assert result.arrivals_per_hour == pytest.approx(8)  # 4 offered in 30 min
    assert result.reason is None
    assert result.sl_pct is not None
    short_day = replace(today, day_handle_count=4, day_handle_total_s=4 * 240.0)
    none = forecast_floor(metrics, agents, {QUEUE.key: short_day})[QUEUE.key]
    assert (none.aht_s, none.aht_basis, none.sl_pct) == (None, None, None)
    assert none.reason == "AHT needs 5 handled contacts (has 3 in 30 min, 4 today)"


def test_a_history_window_without_contacts_says_its_own_window() -> None:
    agents = _agents(available=6, in_call=8)
    metrics = compute(now=NOW, agents=agents, queues=[QUEUE], interactions=_handled(200))
    empty = QueueLoad(ContactStats(), 30, HISTORY, day_handle_total_s=1800.0, day_handle_count=10)
    result = forecast_floor(metrics, agents, {QUEUE.key: empty})[QUEUE.key]
    assert result.reason == "no contacts in the last 30 min"
    assert (result.basis, result.arrivals_per_hour) == (HISTORY, 0.0)


def test_the_history_window_decides_erlang_a_with_its_own_abandons() -> None:
    agents = _agents(available=6, in_call=8)
    metrics = compute(now=NOW, agents=agents, queues=[QUEUE], interactions=_handled(200))
    window = _stats(_handled(100, wait_s=10) + _abandoned(10, after_s=50))
    result = forecast_floor(metrics, agents, {QUEUE.key: QueueLoad(window, 30, HISTORY)})
    assert result[QUEUE.key].model == "erlang_a"
    assert result[QUEUE.key].patience_s == pytest.approx((100 * 10 + 10 * 50) / 10)
