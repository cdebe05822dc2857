"""ccmon's actions are in the command palette too."""

from __future__ import annotations

from ccmon.still import StillFloor
from ccmon.ui.app import CcmonApp
from tests.ui.helpers import wait_for


async def test_pause_and_show_pane_from_the_palette(floor: StillFloor) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"pause", "enter")
        await wait_for(pilot, lambda: app.paused, within=5)
        await pilot.press("ctrl+p", *"show recent", "enter")
        await wait_for(pilot, lambda: app.active == 3, within=5)
