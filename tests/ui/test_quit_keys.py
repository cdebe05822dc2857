"""ctrl+c quits at once, as in htop or k9s, wherever the focus is (not Textual's hint)."""

from __future__ import annotations

import pytest

from ccmon.still import StillFloor
from ccmon.ui.app import CcmonApp
from tests.support.waiting import wait_for


@pytest.mark.parametrize("first", [(), ("slash",), ("question_mark",)], ids=str)
async def test_ctrl_c_quits_like_q(floor: StillFloor, first: tuple[str, ...]) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*first)  # nothing, the filter field, the help screen
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: app.return_code is not None, within=5)
    assert app.return_code == 0
