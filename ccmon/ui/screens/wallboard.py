"""Wallboard: big numbers for a wall screen, readable across a room, no chrome.

Pages: the floor (with the agents short by the forecast), the busiest queues, the action
board. ``--rotate S`` turns pages every S
seconds; ← → turn them by hand. Levels are spelled out under each number (OK / WARN /
ALERT) as well as coloured. Service level is the headline: two tiles wide, so its digits are
the largest. While a source is down or its data is old, every number is dimmed and says
STALE instead of its level: an old figure must not shout ALERT (nor OK) at the room.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widgets import Static

from ccmon.engine.health import SourceHealth
from ccmon.ui.screens.help import HelpScreen
from ccmon.ui.wallboard_pages import (
    LEVEL_WORD,
    PAGES,
    TILES,
    banner_text,
    columns,
    down_or_old,
    floor_problem,
    floor_trends,
    page_tiles,
    stale,
    title,
    troubled,
)
from ccmon.ui.widgets.big_number import BigNumber

if TYPE_CHECKING:
    from ccmon.ui.app import CcmonApp


class Tile(Vertical):
    DEFAULT_CSS = """
    Tile {
        border: heavy $ccmon-border; height: 1fr; width: 1fr; align: center middle;
        & > .label { width: 100%; text-align: center; text-style: bold; color: $ccmon-muted; }
        & > BigNumber { color: $foreground; }
        & > .level { width: 100%; text-align: center; text-style: bold; }
        &.-good { border: heavy $ccmon-good; & > BigNumber { color: $ccmon-good; } }
        &.-warn { border: heavy $ccmon-warn; & > BigNumber, & > .level { color: $ccmon-warn; } }
        &.-bad { border: heavy $ccmon-bad; background: $ccmon-bad 15%;
                 & > BigNumber, & > .level { color: $ccmon-bad; } }
        &.-blank { border: none; }
        &.-headline { column-span: 2; }
        &.-forecast { border: heavy $ccmon-forecast;
                      & > BigNumber, & > .level { color: $ccmon-forecast; }
                      & > .label { text-style: bold italic; } }
        &.-stale { border: heavy $ccmon-border; background: $background;
                   & > BigNumber, & > .level { color: $ccmon-muted; text-style: dim; } }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("", classes="label", markup=False)
        yield BigNumber()
        yield Static("", classes="level", markup=False)

    def show(self, label: str, value: str, level: str, note: str = "") -> None:
        self.query_one(".label", Static).update(label, layout=False)
        self.query_one(BigNumber).show(value)
        words = " · ".join(part for part in (note, LEVEL_WORD.get(level, "")) if part)
        self.query_one(".level", Static).update(words, layout=False)
        for name in ("good", "warn", "bad", "muted", "stale", "forecast"):
            self.set_class(level == name, f"-{name}")
        self.set_class(not label, "-blank")


class WallboardScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,w", "leave", "Back"),
        Binding("right,l,n", "turn(1)", "Next page"),
        Binding("left,h", "turn(-1)", "Previous page"),
        Binding("question_mark", "help", "Help"),
    ]
    DEFAULT_CSS = """
    WallboardScreen { layout: vertical; }
    WallboardScreen > #wb-title { height: 1; text-align: center; text-style: bold; }
    WallboardScreen > Grid { grid-size: 3 2; grid-gutter: 0 1; height: 1fr; }
    WallboardScreen > #wb-health {
        height: auto; max-height: 3; text-align: center; text-style: bold;
        background: $ccmon-bad; color: $background;
        &.-warn { background: $ccmon-warn; }
        &.-ok { display: none; }
    }
    """
    PAGES = PAGES

    def __init__(self, app: CcmonApp, rotate_s: float = 0.0, *, standalone: bool = False) -> None:
        super().__init__()
        self.ccmon = app
        self.page = 0
        self.rotate_s = rotate_s
        self.standalone = standalone

    def compose(self) -> ComposeResult:
        yield Static("", id="wb-title", markup=False)
        with Grid():
            for _ in range(TILES):
                yield Tile()
        yield Static("", id="wb-health", classes="-ok", markup=False)

    def on_mount(self) -> None:
        self.app.clear_notifications()  # a toast would hide a tile; the tiles say ALERT
        self.set_interval(1.0, self.update_tiles)
        if self.rotate_s > 0:
            self.set_interval(self.rotate_s, lambda: self.action_turn(1))
        self.update_tiles()

    def action_leave(self) -> None:
        if not self.standalone:
            self.dismiss()

    def action_help(self) -> None:
        self.app.push_screen(WallboardHelp(standalone=self.standalone))

    def action_turn(self, step: int) -> None:
        self.page = (self.page + step) % len(self.PAGES)
        self.update_tiles()

    def update_tiles(self) -> None:
        metrics = self.ccmon.metrics
        tiles = list(self.query(Tile))
        content = (
            []
            if metrics is None
            else page_tiles(
                self.page,
                metrics,
                self.ccmon.options,
                self.ccmon.forecasts,
                floor_trends(self.ccmon.engine),
            )
        )
        health = self.ccmon.engine.health()
        is_stale = stale(health)
        headline = self.page == 0  # service level, two tiles wide, on four columns
        widths = columns(self.page)
        grid = self.query_one(Grid)
        grid.styles.grid_size_columns = len(widths)
        grid.styles.grid_columns = " ".join(f"{w}fr" for w in widths)
        tiles[0].set_class(headline, "-headline")
        tiles[-1].display = headline  # the other pages have six tiles on three columns
        for index, tile in enumerate(tiles):
            label, value, level, *note = content[index] if index < len(content) else ("", "", "")
            if is_stale and label and level != "missing":
                level = "stale"
            tile.show(label, value, level, *note)
        now = datetime.fromtimestamp(self.ccmon.options.wall(), UTC)
        self.query_one("#wb-title", Static).update(title(self.page, health, now), layout=False)
        self._show_health(health)

    def _show_health(self, health: list[SourceHealth]) -> None:
        """A source that is not answering is said in words across the bottom: the tiles
        cannot tell a quiet floor from numbers that stopped coming."""
        named = troubled(health)
        banner = self.query_one("#wb-health", Static)
        banner.update(banner_text(named, floor_problem(self.ccmon.engine)), layout=False)
        bad = any(down_or_old(h) for h in named)
        banner.set_class(not named, "-ok")
        banner.set_class(bool(named) and not bad, "-warn")


class WallboardHelp(HelpScreen):
    """``?`` on the wallboard: its own keys, not the panes'."""

    legend = (
        "Under each number its level in words: OK, WARN, ALERT; STALE while a source is down "
        "or its data is more than 30 s old (the numbers are dimmed); NO DATA before any came. "
        "▲ ▼ ▶ with the history on: the last 5 minutes against the same 5 a quarter of an "
        "hour before."
    )

    def __init__(self, *, standalone: bool) -> None:
        super().__init__()
        self.keys = [
            ("→ l n / ← h", "next / previous page (floor, busiest queues, action board)"),
            *([] if standalone else [("esc or w", "back to the panes")]),
            ("q", "quit"),
            ("?", "this help"),
        ]
