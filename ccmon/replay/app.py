"""``ReplayApp``: the live app, fed by a :class:`ReplayEngine`, with a replay bar and keys for
the time cursor. Everything else (panes, KPIs, alerts, wallboard, details) is the live app's.

Keys (none used by the app, its tables or tmux): ``p``/``space`` pause and resume playback
(the live app's pause, which would freeze the screen while the cursor ran on); ``,`` ``.``
the previous / next diff; ``[`` ``]`` 10 s back / on; ``{`` ``}`` a minute; ``-`` ``+`` half
/ double speed; ``0`` ``$`` the start / the end.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from ccmon.replay.bar import ReplayBar
from ccmon.replay.engine import ReplayEngine
from ccmon.ui.app import CcmonApp
from ccmon.ui.options import UiOptions
from ccmon.ui.widgets.status_bar import StatusBar


class ReplayApp(CcmonApp):
    # Textual reads CSS_PATH relative to the subclass's module: point it at the app's own.
    CSS_PATH = str(Path(inspect.getfile(CcmonApp)).parent / str(CcmonApp.CSS_PATH))
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("full_stop", "replay_step(1)", "Next diff", show=False),
        Binding("comma", "replay_step(-1)", "Previous diff", show=False),
        Binding("right_square_bracket", "replay_seek(10)", "+10 s", show=False),
        Binding("left_square_bracket", "replay_seek(-10)", "−10 s", show=False),
        Binding("right_curly_bracket", "replay_seek(60)", "+1 min", show=False),
        Binding("left_curly_bracket", "replay_seek(-60)", "−1 min", show=False),
        Binding("plus,equals_sign", "replay_speed(2)", "Faster", show=False),
        Binding("minus", "replay_speed(0.5)", "Slower", show=False),
        Binding("0", "replay_start", "Start", show=False),
        Binding("dollar_sign", "replay_end", "End", show=False),
    ]

    help_keys: ClassVar[list[tuple[str, str]]] = [
        ("space or p", "replay: play / pause"),
        (", / .", "replay: previous / next diff"),
        ("[ / ]", "replay: 10 s back / on"),
        ("{ / }", "replay: a minute back / on"),
        ("- / + =", "replay: half / double speed"),
        ("0 / $", "replay: the start / the end"),
    ]

    def __init__(
        self,
        engine: ReplayEngine,
        options: UiOptions | None = None,
        *,
        warnings: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(engine, options, **kwargs)
        self.replay = engine
        self.warnings = warnings
        self._stop_observing: Callable[[], None] | None = None

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, StatusBar):
                yield ReplayBar(id="replay")
                widget.label = "REPLAY"
                yield widget
            else:
                yield widget

    def on_mount(self) -> None:  # runs before CcmonApp.on_mount, which starts the engine
        bar = self.query_one(ReplayBar)
        self._stop_observing = self.replay.observe(lambda: bar.show(self.replay.state()))
        bar.show(self.replay.state())
        for warning in self.warnings:
            self.notify(warning, title="Recording", severity="warning", timeout=10, markup=False)

    async def on_unmount(self) -> None:
        if self._stop_observing is not None:
            self._stop_observing()

    # -- actions -------------------------------------------------------------------------------
    def action_pause(self) -> None:
        self.replay.toggle()

    def action_refresh(self) -> None:
        self.notify("A replay has nothing to refresh: it plays the recording", timeout=2)

    def action_replay_step(self, diffs: int) -> None:
        self.replay.step(diffs)

    def action_replay_seek(self, seconds: float) -> None:
        self.replay.seek(seconds)

    def action_replay_speed(self, factor: float) -> None:
        self.replay.set_speed(self.replay.speed * factor)
        self.notify(f"Replay speed ×{self.replay.speed:g}", timeout=1.5)

    def action_replay_start(self) -> None:
        self.replay.seek_to(0.0)

    def action_replay_end(self) -> None:
        self.replay.seek_to(self.replay.duration)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Replay: play / pause", "space or p", self.action_pause)
        yield SystemCommand("Replay: next diff", ".", lambda: self.action_replay_step(1))
        yield SystemCommand("Replay: previous diff", ",", lambda: self.action_replay_step(-1))
        yield SystemCommand("Replay: back to the start", "0", self.action_replay_start)
        yield SystemCommand("Replay: to the end", "$", self.action_replay_end)
