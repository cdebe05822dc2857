"""Contact figures as a supervisor reads them: a call in progress counts its talk time from
the answer, a queue's count of contacts and a contact's wait are told apart, and a queue
nobody waits in has no longest wait (—), not one of 0s."""

from __future__ import annotations

import dataclasses

from ccmon.domain import Interaction, Phase, Queue
from ccmon.still import StillFloor
from ccmon.ui import format as fmt
from ccmon.ui.app import CcmonApp
from tests.support.waiting import wait_for


async def test_a_connected_contact_counts_its_duration_from_the_answer(floor: StillFloor) -> None:
    clock = [floor.at.timestamp()]
    app = CcmonApp(floor.engine(), dataclasses.replace(floor.options(), wall=lambda: clock[0]))
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.pane("interactions").table
        await wait_for(pilot, lambda: table.live_count > 0)
        contacts = [c for c in table.ordered_records() if isinstance(c, Interaction)]
        talking = [c for c in contacts if c.phase is Phase.ACTIVE and c.answered_at is not None]
        assert talking
        for contact in talking:
            assert contact.answered_at is not None
            so_far = clock[0] - contact.answered_at.timestamp()
            assert table.cell_text(contact.key, "duration") == fmt.duration(so_far) != "0s"
        clock[0] += 90  # no poll: the figure grows with the clock
        for contact in talking:
            assert contact.answered_at is not None
            so_far = clock[0] - contact.answered_at.timestamp()
            assert table.cell_text(contact.key, "duration") == fmt.duration(so_far)


async def test_queues_count_waiting_contacts_and_empty_ones_have_no_longest_wait(
    floor: StillFloor,
) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.pane("queues").table
        await wait_for(pilot, lambda: table.live_count > 0)
        header = "".join(segment.text for segment in table.render_line(0))
        assert "Waiting" in [cell.rstrip("↑↓") for cell in header.split()]
        queues = [q for q in table.ordered_records() if isinstance(q, Queue)]
        empty = [q for q in queues if q.in_queue == 0]
        busy = [q for q in queues if q.in_queue > 0]
        assert empty
        assert busy
        for queue in empty:
            assert table.cell_text(queue.key, "longest") == fmt.DASH
        for queue in busy:
            assert table.cell_text(queue.key, "longest") not in (fmt.DASH, "0s")
    contacts_header = app.pane("interactions").table.columns
    assert [c.title for c in contacts_header if c.key == "wait"] == ["Wait"]
