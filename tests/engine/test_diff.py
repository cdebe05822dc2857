"""The keyed diff: add, remove, change, reorder, duplicate keys, None values."""

from __future__ import annotations

from datetime import UTC, datetime

from ccmon.domain import Agent, AgentState
from ccmon.engine.diff import diff, keyed

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def agent(
    id: str,
    state: AgentState = AgentState.AVAILABLE,
    team: str | None = "Billing",
    name: str = "Ana",
) -> Agent:
    return Agent("ccai", id, name, state, state.value, T0, team)


def test_identical_snapshots_give_an_empty_diff() -> None:
    records = keyed([agent("1"), agent("2")])
    result = diff(records, dict(records))
    assert not result
    assert result.size == 0


def test_added_and_removed_keys() -> None:
    result = diff(keyed([agent("1"), agent("2")]), keyed([agent("2"), agent("3")]))
    assert list(result.added) == ["ccai:3"]
    assert list(result.removed) == ["ccai:1"]
    assert not result.changed


def test_changed_fields_carry_old_and_new_values() -> None:
    result = diff(keyed([agent("1")]), keyed([agent("1", AgentState.IN_CALL)]))
    change = result.changed["ccai:1"]
    assert change.fields == {
        "state": (AgentState.AVAILABLE, AgentState.IN_CALL),
        "status": ("available", "in_call"),
    }
    assert change.old == agent("1")
    assert change.new == agent("1", AgentState.IN_CALL)


def test_reordering_is_not_a_change() -> None:
    old = keyed([agent("1"), agent("2"), agent("3")])
    new = keyed([agent("3"), agent("1"), agent("2")])
    assert not diff(old, new)


def test_duplicate_keys_last_one_wins() -> None:
    records = keyed([agent("1", name="Old"), agent("1", name="New")])
    assert len(records) == 1
    assert records["ccai:1"] == agent("1", name="New")
    result = diff(keyed([agent("1", name="Old")]), records)
    assert result.changed["ccai:1"].fields == {"name": ("Old", "New")}


def test_none_values_are_values() -> None:
    to_none = diff(keyed([agent("1")]), keyed([agent("1", team=None)]))
    assert to_none.changed["ccai:1"].fields == {"team": ("Billing", None)}
    from_none = diff(keyed([agent("1", team=None)]), keyed([agent("1")]))
    assert from_none.changed["ccai:1"].fields == {"team": (None, "Billing")}
    assert not diff(keyed([agent("1", team=None)]), keyed([agent("1", team=None)]))


def test_everything_to_nothing_and_back() -> None:
    full = keyed([agent(str(i)) for i in range(5)])
    gone = diff(full, {})
    assert len(gone.removed) == 5
    back = diff({}, full)
    assert len(back.added) == 5
