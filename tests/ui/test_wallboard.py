"""The wallboard as a room reads it: service level the headline, ASA on it, queue channels
kept on 80 columns, stale numbers dimmed, its own keys on ``?``, a clock and the data's age."""

from __future__ import annotations

import dataclasses

import pytest
from textual.widgets import Static

from ccmon.engine.health import Health
from ccmon.still import StillFloor
from ccmon.ui import format as fmt
from ccmon.ui.app import CcmonApp
from ccmon.ui.screens.wallboard import Tile, WallboardHelp, WallboardScreen
from ccmon.ui.widgets.big_number import BigNumber, render_big
from tests.support.app import applied
from tests.support.screen import screen_strips
from tests.support.waiting import wait_for


def wallboard_app(floor: StillFloor) -> CcmonApp:
    return CcmonApp(floor.engine(), floor.options(), wallboard=True)


def tiles(app: CcmonApp) -> dict[str, Tile]:
    shown = [t for t in app.screen.query(Tile) if t.display]
    return {str(t.query_one(".label", Static).render()): t for t in shown}


def digit_rows(tile: Tile) -> int:
    number = tile.query_one(BigNumber)
    lines = render_big(number.value, number.size.width, number.size.height)
    return 0 if lines is None else len(lines)


@pytest.mark.parametrize("size", [(80, 24), (120, 32), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_service_level_has_the_largest_digits_and_asa_has_a_tile(
    floor: StillFloor, size: tuple[int, int]
) -> None:
    app = wallboard_app(floor)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WallboardScreen))
        await wait_for(pilot, lambda: applied(app))
        await pilot.pause()
        by_label = tiles(app)
        [sl] = [t for label, t in by_label.items() if label.startswith("Service level")]
        assert "Speed of answer" in by_label
        assert digit_rows(sl) >= 5  # drawn in blocks, not as plain text
        assert all(digit_rows(sl) >= digit_rows(t) for t in by_label.values())


async def test_queue_tiles_keep_their_channel_on_80_columns(floor: StillFloor) -> None:
    app = wallboard_app(floor)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WallboardScreen))
        await wait_for(pilot, lambda: applied(app))
        await pilot.press("right")
        await pilot.pause()
        strips = screen_strips(app)
        labels = [t.query_one(".label", Static).region for t in app.screen.query(Tile) if t.display]
        shown = [strips[r.y].crop(r.x, r.right).text.strip() for r in labels]
        assert len(shown) == 6
        assert all(text.startswith(("call · ", "chat · ")) for text in shown), shown


async def test_with_a_source_down_the_numbers_say_stale_not_alert(floor: StillFloor) -> None:
    down = [
        dataclasses.replace(h, health=Health.UNREACHABLE, age_s=95.0) if h.source == "ccai" else h
        for h in floor.health
    ]
    app = wallboard_app(dataclasses.replace(floor, health=down))
    async with app.run_test(size=(120, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WallboardScreen))
        await wait_for(pilot, lambda: applied(app))
        await pilot.pause()
        levels = [str(t.query_one(".level", Static).render()) for t in tiles(app).values()]
        assert all("STALE" in level for level in levels), levels
        assert not any("ALERT" in level or level.endswith("OK") for level in levels)
        assert all(t.has_class("-stale") for t in tiles(app).values())


async def test_help_on_the_wallboard_lists_its_own_keys(floor: StillFloor) -> None:
    app = wallboard_app(floor)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WallboardScreen))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, WallboardHelp))
        assert isinstance(app.screen, WallboardHelp)
        keys = dict(app.screen.keys)
        assert any("←" in key for key in keys)
        assert "/" not in keys  # the panes' filter is not a wallboard key
        assert "STALE" in app.screen.legend


async def test_the_wallboard_and_the_header_show_the_clock_and_the_data_age(
    floor: StillFloor,
) -> None:
    clock = fmt.clock(floor.at)
    app = CcmonApp(floor.engine(), floor.options())
    async with app.run_test(size=(80, 24)) as pilot:
        header = app.query_one("#title", Static)
        await wait_for(pilot, lambda: clock in str(header.render()))
        assert "data 1s old" in str(header.render())
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, WallboardScreen))
        title = str(app.screen.query_one("#wb-title", Static).render())
        assert clock in title
        assert "data 1s old" in title


@pytest.mark.parametrize("text", ["25s", "4:34", "2d 03h", ">99d", "72.1", "—"])
def test_every_duration_and_figure_draws_in_blocks(text: str) -> None:
    assert render_big(text, 60, 10) is not None
