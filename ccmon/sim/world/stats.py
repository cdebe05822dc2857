"""What a supervisor reads off a center right now: queue status and service level."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ccmon.sim.world.center import Center
from ccmon.sim.world.model import Channel, Queue, QueueGroup


@dataclass(frozen=True, slots=True)
class QueueStatus:
    queue: Queue
    in_queue_count: int
    oldest_queued_at: float
    oldest_wait: int
    total_wait: int
    average_wait: int


def queue_status(center: Center, now: float) -> list[QueueStatus]:
    """Every queue with at least one contact waiting, in menu order."""
    rows = []
    for queue in center.floor.queues:
        if not queue.waiting:
            continue
        queued = [c.queued_at if c.queued_at is not None else c.created_at for c in queue.waiting]
        oldest = min(queued)
        total = round(sum(now - t for t in queued))
        rows.append(
            QueueStatus(
                queue=queue,
                in_queue_count=len(queued),
                oldest_queued_at=oldest,
                oldest_wait=round(now - oldest),
                total_wait=total,
                average_wait=round(total / len(queued)),
            )
        )
    return rows


def _samples(center: Center, now: float, minutes: float) -> list[tuple[Queue, str]]:
    first = bisect.bisect_left(center.sla_times, now - minutes * 60)
    last = bisect.bisect_right(center.sla_times, now)
    return center.sla_records[first:last]


def _percent(in_sla: int, counted: int) -> float | None:
    return None if counted == 0 else round(100.0 * in_sla / counted, 1)


def sla_by_queue(
    center: Center, now: float, minutes: float, channel: Channel
) -> list[tuple[Queue, float | None]]:
    """Service level per queue of ``channel`` over the last ``minutes``; None without contacts."""
    tally: dict[int, list[int]] = {}
    for queue, event in _samples(center, now, minutes):
        if event != "excluded":
            counts = tally.setdefault(id(queue), [0, 0])
            counts[0] += event == "in_sla"
            counts[1] += 1
    return [
        (queue, _percent(*tally.get(id(queue), [0, 0])))
        for queue in center.floor.queues
        if queue.channel is channel
    ]


def sla_by_group(
    center: Center, now: float, minutes: float, channel: Channel
) -> list[tuple[QueueGroup, float | None]]:
    tally: dict[int, list[int]] = {}
    for queue, event in _samples(center, now, minutes):
        if event != "excluded" and queue.channel is channel and queue.group is not None:
            counts = tally.setdefault(queue.group.id, [0, 0])
            counts[0] += event == "in_sla"
            counts[1] += 1
    return [(group, _percent(*tally.get(group.id, [0, 0]))) for group in center.floor.groups]
