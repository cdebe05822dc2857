"""The store publishes diffs per (collection, source); subscribers never read it directly."""

from __future__ import annotations

from datetime import UTC, datetime

from ccmon.domain import Agent, AgentState, Collection
from ccmon.engine.events import DiffEvent
from ccmon.engine.store import Store

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def agent(source: str, id: str, state: AgentState = AgentState.AVAILABLE) -> Agent:
    return Agent(source, id, f"Agent {id}", state, state.value, T0, None)


def test_sources_are_diffed_separately() -> None:
    store = Store()
    events: list[DiffEvent] = []
    store.subscribe(events.append)
    store.replace(Collection.AGENTS, "ccai", [agent("ccai", "1")])
    store.replace(Collection.AGENTS, "evo", [agent("evo", "1")])
    store.replace(Collection.AGENTS, "ccai", [agent("ccai", "1", AgentState.IN_CALL)])
    assert [(e.source, len(e.diff.added), len(e.diff.changed)) for e in events] == [
        ("ccai", 1, 0),
        ("evo", 1, 0),
        ("ccai", 0, 1),
    ]
    assert store.count(Collection.AGENTS) == 2


def test_no_event_when_nothing_changed() -> None:
    store = Store()
    events: list[DiffEvent] = []
    store.subscribe(events.append)
    store.replace(Collection.AGENTS, "ccai", [agent("ccai", "1")])
    store.replace(Collection.AGENTS, "ccai", [agent("ccai", "1")])
    assert len(events) == 1


def test_the_first_data_of_each_source_is_initial_and_what_follows_is_not() -> None:
    store = Store()
    events: list[DiffEvent] = []
    store.subscribe(events.append)
    store.replace(Collection.AGENTS, "ccai", [])  # nothing yet: no event, still not filled
    store.replace(Collection.AGENTS, "ccai", [agent("ccai", "1")])
    store.replace(Collection.AGENTS, "evo", [agent("evo", "1")])
    store.replace(Collection.AGENTS, "ccai", [agent("ccai", "1"), agent("ccai", "2")])
    store.replace(Collection.AGENTS, "ccai", [])
    store.replace(Collection.AGENTS, "ccai", [agent("ccai", "3")])
    assert [(e.source, e.initial) for e in events] == [
        ("ccai", True),
        ("evo", True),
        ("ccai", False),
        ("ccai", False),
        ("ccai", False),
    ]


def test_late_subscriber_gets_current_state_as_initial_events() -> None:
    store = Store()
    store.replace(Collection.AGENTS, "ccai", [agent("ccai", "1"), agent("ccai", "2")])
    events: list[DiffEvent] = []
    store.subscribe(events.append)
    assert len(events) == 1
    assert events[0].initial
    assert set(events[0].diff.added) == {"ccai:1", "ccai:2"}


def test_a_failing_listener_does_not_stop_the_others() -> None:
    store = Store()
    events: list[DiffEvent] = []

    def broken(event: DiffEvent) -> None:
        raise RuntimeError("boom")

    store.subscribe(broken)
    store.subscribe(events.append)
    store.replace(Collection.AGENTS, "ccai", [agent("ccai", "1")])
    assert len(events) == 1


def test_unsubscribe() -> None:
    store = Store()
    events: list[DiffEvent] = []
    stop = store.subscribe(events.append)
    stop()
    store.replace(Collection.AGENTS, "ccai", [agent("ccai", "1")])
    assert events == []


def test_of_type_narrows() -> None:
    store = Store()
    store.replace(Collection.AGENTS, "ccai", [agent("ccai", "1")])
    assert [a.id for a in store.of_type(Collection.AGENTS, Agent)] == ["1"]
