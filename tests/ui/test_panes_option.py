"""`[ui] panes` leaves panes out of the screen and the tabs."""

from __future__ import annotations

from ccmon.still import StillFloor
from ccmon.ui.app import CcmonApp
from tests.ui.helpers import applied, wait_for


async def test_only_the_chosen_panes_show(floor: StillFloor) -> None:
    app = CcmonApp(floor.engine(), floor.options(panes=("queues", "board")))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: applied(app))
        shown = [pane.id for pane in app.panes if pane.display]
        assert shown == ["queues", "board"]
        assert app.active == 1  # the first pane shown has the focus
        await pilot.press("1")
        assert app.active == 1
        assert any("not shown" in n.message for n in app._notifications)
        await pilot.press("5")
        assert app.active == 4
