"""ccmon's actions are in the command palette too."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette
from textual.content import Content
from textual.pilot import Pilot

from ccmon.ui.app import CcmonApp
from ccmon.ui.still import StillFloor
from tests.ui.helpers import wait_for


async def test_pause_and_show_pane_from_the_palette(floor: StillFloor) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"pause", "enter")
        await wait_for(pilot, lambda: app.paused, within=5)
        await pilot.press("ctrl+p", *"show recent", "enter")
        await wait_for(pilot, lambda: app.active == 3, within=5)


async def listed(pilot: Pilot[None], query: str = "") -> list[str]:
    """The palette's entries for ``query`` (all of them when empty): their titles."""
    app = pilot.app
    await pilot.press("ctrl+p", *query)
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    commands = palette.query_one(CommandList)
    if query:
        await pilot.pause(0.5)  # a search that finds nothing leaves the list empty: no condition
    else:
        await wait_for(pilot, lambda: commands.option_count > 0, within=5)
    titles = []
    for index in range(commands.option_count):
        prompt = commands.get_option_at_index(index).prompt
        plain = prompt.plain if isinstance(prompt, Content) else str(prompt)
        titles.append(plain.splitlines()[0])
    await pilot.press("escape")
    return titles


async def test_the_palette_lists_ccmon_actions_and_themes_only(floor: StillFloor) -> None:
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(120, 40)) as pilot:
        titles = await listed(pilot)
        assert {"Theme: dark", "Theme: light", "Theme: ansi", "Theme: mono"} <= set(titles)
        themes = [t for t in titles if t.startswith("Theme")]
        assert themes == [f"Theme: {name}" for name in sorted(app._themes)]
        assert {"Alerts", "Pause / resume the display", "Wallboard", "Help", "Quit"} <= set(titles)
        for textual_own in ("Keys", "Maximize", "Minimize", "Screenshot", "Theme"):
            assert textual_own not in titles
        assert await listed(pilot, "gruvbox") == [], "no Textual theme behind any entry"
        await pilot.press("ctrl+p", *"theme: light", "enter")
        await wait_for(pilot, lambda: app.theme == app._themes["light"].name, within=5)
