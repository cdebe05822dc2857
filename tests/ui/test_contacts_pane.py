"""What the panes show beyond the raw values: waits that tick between polls (a contact still
waiting, the longest-wait KPI) and threshold levels spelled out in text."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from ccmon.domain import Interaction, Phase, Queue
from ccmon.still import StillFloor
from ccmon.ui import format as fmt
from ccmon.ui.app import CcmonApp
from ccmon.ui.widgets.kpis import KpiTile
from tests.support.waiting import wait_for


async def test_a_waiting_contact_shows_its_wait_so_far_and_no_duration(floor: StillFloor) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    wall = floor.at.timestamp()
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.pane("interactions").table
        await wait_for(pilot, lambda: table.live_count > 0)
        contacts = [c for c in table.ordered_records() if isinstance(c, Interaction)]
        waiting = [c for c in contacts if c.phase is Phase.WAITING and c.created_at is not None]
        done = [c for c in contacts if c.phase is Phase.ENDED and c.wait_s is not None]
        assert {c.source for c in waiting} == {"ccai", "evo"}
        for contact in waiting:
            assert contact.created_at is not None
            expected = fmt.duration(wall - contact.created_at.timestamp())
            assert table.cell_text(contact.key, "wait") == expected != "0s"
            assert table.cell_text(contact.key, "duration") == fmt.DASH
        assert done
        for contact in done:
            assert table.cell_text(contact.key, "wait") == fmt.duration(contact.wait_s)


async def test_the_longest_wait_tile_ticks_between_polls(floor: StillFloor) -> None:
    clock = [floor.at.timestamp()]
    options = dataclasses.replace(floor.options(), wall=lambda: clock[0])
    app = CcmonApp(floor.engine(), options)
    async with app.run_test(size=(160, 48)) as pilot:
        tile = app.query_one("#kpi-longest", KpiTile)
        await wait_for(pilot, lambda: app.metrics is not None and app.metrics.waiting > 0)
        metrics = app.metrics
        assert metrics is not None
        at = datetime.fromtimestamp(clock[0], UTC)
        longest = metrics.longest_wait_at(at)
        assert longest is not None
        await wait_for(pilot, lambda: tile.shown.split("\n")[1].startswith(fmt.duration(longest)))
        clock[0] += 75  # no poll comes: the simulator's clock is stopped
        later = fmt.duration(longest + 75)
        await wait_for(pilot, lambda: tile.shown.split("\n")[1].startswith(later))


async def test_threshold_levels_are_marked_in_text_not_only_in_colour(floor: StillFloor) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.pane("queues").table
        await wait_for(pilot, lambda: table.live_count > 0)
        levels = floor.options().thresholds
        queues = [q for q in table.ordered_records() if isinstance(q, Queue)]
        for y, queue in enumerate(queues[: table.size.height - 1], start=1):
            line = "".join(segment.text for segment in table.render_line(y))
            cells = line.split()
            channel = cells.index(queue.channel)  # the waiting count follows the channel
            waiting = cells[channel + 1]
            mark = {"good": "", "warn": "!", "bad": "!!"}[levels.waiting_level(queue.in_queue)]
            assert waiting.replace("↑", "").replace("↓", "") == f"{queue.in_queue}{mark}", line
        assert any("!!" in "".join(s.text for s in table.render_line(y)) for y in range(1, 4))
