"""Terminals without colour or with 16 colours: severity and agent states must still read."""

from __future__ import annotations

import pytest
from rich.color import ColorSystem
from textual import constants
from textual.color import Color

from ccmon.still import StillFloor
from ccmon.ui.app import CcmonApp
from tests.support.screen import screen_strips
from tests.support.waiting import wait_for


async def test_without_colour_the_worst_level_is_the_most_prominent(
    floor: StillFloor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.pane("queues").table
        await wait_for(pilot, lambda: table.live_count > 0)
        await pilot.pause()
        pane = app.pane("queues").region
        bad, warn = [], []
        for strip in screen_strips(app)[pane.y + 2 : pane.bottom - 2]:
            for segment in strip.crop(pane.x, pane.right):
                text = segment.text.strip()
                if text.endswith("!!") and segment.style is not None:
                    bad.append(segment.style)
                elif text.endswith("!") and segment.style is not None:
                    warn.append(segment.style)
        assert bad
        assert warn
        # Worse than a warning, which is bold, and than plain text: drawn reversed.
        assert all(style.reverse and style.bold for style in bad)
        assert all(style.bold and not style.reverse for style in warn)


async def test_on_sixteen_colours_agent_states_keep_distinct_colours(
    floor: StillFloor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(constants, "COLOR_SYSTEM", "standard")
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        variables = app.get_css_variables()
        states = ["available", "in-call", "in-chat", "wrap-up", "away", "offline"]
        shown = {
            state: Color.parse(variables[f"ccmon-{state}"])
            .rich_color.downgrade(ColorSystem.STANDARD)
            .number
            for state in states
        }
        assert len(set(shown.values())) == len(states), shown
