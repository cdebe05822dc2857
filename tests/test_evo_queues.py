"""Evo has no queue endpoint: its queues come from the sessions that wait in them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from ccmon.domain import Interaction, Phase
from ccmon.engine.metrics import compute, queue_wait
from ccmon.snapshot.collect import waits_at
from ccmon.sources.evo.mapping import to_queues

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def session(
    id: str, queue: str | None, phase: Phase, ago_s: int, kind: str = "call"
) -> Interaction:
    created = NOW - timedelta(seconds=ago_s)
    return Interaction("evo", kind, id, phase.value, phase, queue, None, created)


def test_waiting_sessions_are_counted_per_queue_and_kind_and_used_queues_stay_at_zero() -> None:
    queues = to_queues(
        [
            session("1", "Support Queue", Phase.WAITING, 90),
            session("2", "Support Queue", Phase.WAITING, 30),
            session("3", "Support Queue", Phase.WAITING, 20, kind="chat"),
            session("4", "Sales Queue", Phase.ENDED, 600),
            session("5", None, Phase.WAITING, 10),  # not in a queue (an outbound dial)
        ]
    )
    shown = {(q.name, q.channel): (q.in_queue, q.longest_wait_s, q.oldest_since) for q in queues}
    assert shown == {
        ("Sales Queue", "call"): (0, None, None),
        ("Support Queue", "call"): (2, None, NOW - timedelta(seconds=90)),
        ("Support Queue", "chat"): (1, None, NOW - timedelta(seconds=20)),
    }
    assert {q.key for q in queues} == {
        "evo:Sales Queue:call",
        "evo:Support Queue:call",
        "evo:Support Queue:chat",
    }


def test_the_wait_is_computed_when_it_is_shown_not_carried_in_the_record() -> None:
    # A ticking wait in the record would be a change on every poll (a `watch` line every
    # 3 s for nothing): the record says when the oldest joined; readers compute the wait.
    [queue] = to_queues([session("1", "Support Queue", Phase.WAITING, 90)])
    later = NOW + timedelta(seconds=10)
    assert queue.longest_wait_s is None
    assert queue_wait(queue, later) == 100
    assert waits_at(queue, later) == replace(queue, longest_wait_s=100)  # a snapshot's moment
    metrics = compute(now=later, agents=[], queues=[queue])
    assert metrics.longest_wait_s == 100
    assert metrics.longest_wait_at(later + timedelta(seconds=5)) == 105
