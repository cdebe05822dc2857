"""ccmon's actions are in the command palette too."""

from __future__ import annotations

from textual.command import Command, CommandList, CommandPalette
from textual.content import Content
from textual.pilot import Pilot

from ccmon.still import StillFloor
from ccmon.ui.app import CcmonApp
from tests.support.waiting import wait_for


async def test_pause_and_show_pane_from_the_palette(floor: StillFloor) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"pause", "enter")
        await wait_for(pilot, lambda: app.paused, within=5)
        await pilot.press("ctrl+p", *"show recent", "enter")
        await wait_for(pilot, lambda: app.active == 3, within=5)


async def listed(pilot: Pilot[None], at_least: int) -> list[str]:
    """The palette's entries with nothing typed (every command): their titles."""
    await pilot.press("ctrl+p")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    commands = palette.query_one(CommandList)
    await wait_for(pilot, lambda: commands.option_count >= at_least, within=5)
    titles = []
    for index in range(commands.option_count):
        option = commands.get_option_at_index(index)
        assert isinstance(option, Command)
        prompt = option.prompt
        plain = prompt.plain if isinstance(prompt, Content) else str(prompt)
        titles.append(plain.splitlines()[0])
    await pilot.press("escape")
    return titles


async def test_the_palette_lists_ccmon_actions_and_themes_only(floor: StillFloor) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    ours = {
        "Alerts",
        "Intraday",
        "Pause / resume the display",
        "Refresh now",
        "Wallboard",
        "Zoom the current pane",
        "Export the current pane as shown",
        "Export the current pane's records",
        "Next theme",
        "Help",
        "Quit",
        *(f"Show {pane.title}" for pane in app.panes),
    }
    assert {"dark", "light", "ansi", "mono"} <= set(app._themes)  # and any of the user's
    themes = {f"Theme: {name}" for name in app._themes}
    async with app.run_test(size=(120, 40)) as pilot:
        titles = await listed(pilot, at_least=len(ours | themes))
        assert len(titles) == len(set(titles)), "no entry twice"
        # Not Textual's: its Theme picker (~20 themes), Keys, Maximize, Screenshot.
        assert set(titles) == ours | themes
        await pilot.press("ctrl+p", *"theme: light", "enter")
        await wait_for(pilot, lambda: app.theme == app._themes["light"].name, within=5)
