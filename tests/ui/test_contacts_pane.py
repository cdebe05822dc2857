"""Recent calls & chats: a contact still waiting shows how long it has waited, ticking."""

from __future__ import annotations

from ccmon.domain import Interaction, Phase
from ccmon.ui import format as fmt
from ccmon.ui.app import CcmonApp
from ccmon.ui.still import StillFloor
from tests.ui.helpers import wait_for


async def test_a_waiting_contact_shows_its_wait_so_far_and_no_duration(floor: StillFloor) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    wall = floor.at.timestamp()
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.panes[3].table
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
