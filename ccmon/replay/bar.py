"""The replay's one line: playing or paused, the recorded time, position, diffs, speed, keys;
and the status bar that says REPLAY."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from ccmon.replay.engine import ReplayState
from ccmon.text import hms

KEYS = "space play/pause  , . step  [ ] ±10 s  { } ±1 min  - + speed  0 $ start/end"
PROGRESS_CELLS = 24


def progress(fraction: float, cells: int) -> str:
    """``━━━━━━●──────``: how far through the recording."""
    done = round(min(max(fraction, 0.0), 1.0) * (cells - 1))
    return "━" * done + "●" + "─" * (cells - 1 - done)


class ReplayBar(Widget):
    """Where the replay's time cursor is. The app calls :meth:`show` when it moves."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"replay--mode", "replay--muted"}
    DEFAULT_CSS = """
    ReplayBar {
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
        & > .replay--mode { background: $ccmon-warn; color: $background; text-style: bold; }
        & > .replay--muted { color: $ccmon-muted; }
    }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state: ReplayState | None = None
        self._text = ""

    def show(self, state: ReplayState) -> None:
        self.state = state
        text = self.describe(state)
        if text != self._text:  # the cursor moves every 250 ms; the line changes every second
            self._text = text
            self.refresh()

    @staticmethod
    def describe(state: ReplayState) -> str:
        """The line in plain words (what tests read)."""
        mode = "▶ PLAYING" if state.playing else "■ END" if state.at_end else "⏸ PAUSED"
        when = state.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return (
            f"{mode}  {when}  {hms(state.position)} / {hms(state.duration)}  "
            f"diff {state.applied}/{state.count}  ×{state.speed:g}"
        )

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"replay--{name}", partial=True)

    def render(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        if self.state is None:
            return line
        mode, _, rest = self._text.partition("  ")
        line.append(f" {mode} ", self._style("mode"))
        line.append(f"  {rest}")
        width = max(1, self.size.width - 2)
        # What is left of the line: the keys first, the progress line if it still fits.
        keys = f"  │  {KEYS}"
        room = width - len(line)
        show_keys = room >= len(keys)
        if room - (len(keys) if show_keys else 0) >= PROGRESS_CELLS + 2:
            fraction = self.state.position / self.state.duration if self.state.duration else 0.0
            line.append(f"  {progress(fraction, PROGRESS_CELLS)}", self._style("muted"))
        if show_keys:
            line.append(keys, self._style("muted"))
        line.truncate(width, overflow="ellipsis")
        return line
