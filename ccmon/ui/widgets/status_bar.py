"""Per-source health at a glance: state in words and symbol, data age, budget, 429s; and
"history off: <why>" when the history store cannot be used (the floor runs on)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from ccmon.engine.health import LEVEL, SYMBOL, Health, SourceHealth
from ccmon.history.view import history_of
from ccmon.ui import format as fmt

HISTORY_CELLS = 40
"""At most this much of the second line for "history off: …" while a source error shares it
(a long path is cut, the error keeps the rest)."""


class StatusBar(Widget):
    """Two lines: the sources, then the most important error (or the paused notice)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "status--good",
        "status--warn",
        "status--bad",
        "status--muted",
        "status--paused",
    }
    DEFAULT_CSS = """
    StatusBar {
        height: 2;
        background: $panel;
        color: $foreground;
        padding: 0 1;
        & > .status--good { color: $ccmon-good; text-style: bold; }
        & > .status--warn { color: $ccmon-warn; text-style: bold; }
        & > .status--bad { color: $ccmon-bad; text-style: bold; }
        & > .status--muted { color: $ccmon-muted; }
        & > .status--paused { background: $ccmon-warn; color: $background; text-style: bold; }
    }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self._health: list[SourceHealth] = []
        self.paused = False
        self.note = ""
        self.label: str | None = None
        """A mode shown in front of everything, e.g. REPLAY."""
        self.history_problem: str | None = None

    def show(self, health: Sequence[SourceHealth], *, paused: bool, note: str = "") -> None:
        state = (list(health), paused, note, self._history_problem())
        if state != (self._health, self.paused, self.note, self.history_problem):
            self._health, self.paused, self.note, self.history_problem = state
            self.refresh()

    def _history_problem(self) -> str | None:
        """The app's floor's recorder's "history off: …", if it records and cannot."""
        floor = getattr(self.app, "engine", None)
        recorder = None if floor is None else history_of(floor)
        return None if recorder is None else recorder.problem

    def _style(self, level: str) -> Style:
        return self.get_component_rich_style(f"status--{level}", partial=True)

    def render(self) -> Text:
        wide = self.size.width >= 120
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        if self.label:
            line.append(f" {self.label} ", self._style("paused"))
            line.append(" ")
        if not self._health:
            line.append("no sources", self._style("muted"))
        for index, h in enumerate(self._health):
            if index:
                line.append("  │  " if wide else " │ ", self._style("muted"))
            level = LEVEL[h.health]
            line.append(f"{SYMBOL[h.health]} {h.source} {h.health.value}", self._style(level))
            age = data_age(h)
            if wide:
                old = " old" if h.age_s is not None else ""  # not "no data old"
                line.append(f"  {age}{old}  {h.used_last_minute}/{h.budget_per_minute} req/min")
            else:
                line.append(f" {age} {h.used_last_minute}/{h.budget_per_minute}")
            if h.rate_limited:
                line.append(f" {h.rate_limited}×429", self._style("warn"))
            if slowed := effective_rate(h):
                line.append(f"  {slowed}" if wide else f" {slowed}", self._style("warn"))
            if wide and (h.skipped_records or h.degraded_fields):
                line.append(
                    f"  {h.skipped_records} bad records, {h.degraded_fields} bad fields",
                    self._style("muted"),
                )
        second = Text(no_wrap=True, overflow="ellipsis", end="")
        if self.paused:
            second.append(" PAUSED — polling continues; p to resume ", self._style("paused"))
            second.append("  ")
        errors = [h for h in self._health if h.last_error]
        worst = max(errors, key=lambda h: LEVEL[h.health] == "bad", default=None)
        after = worst.last_error if worst is not None else self.note
        if self.history_problem:
            history = Text(self.history_problem, self._style("warn"), no_wrap=True, end="")
            if after:
                history.truncate(HISTORY_CELLS, overflow="ellipsis")
                history.append(" │ ", self._style("muted"))
            second.append_text(history)
        if worst is not None and worst.last_error is not None:
            second.append(worst.last_error, self._style(LEVEL[worst.health]))
        elif self.note:
            second.append(self.note, self._style("muted"))
        width = max(1, self.size.width - 2)
        line.truncate(width, overflow="ellipsis")
        second.truncate(width, overflow="ellipsis")
        return Text("\n", no_wrap=True).join([line, second])


def effective_rate(h: SourceHealth) -> str:
    """ "at 0.5/s of 2/s" while the limiter runs below the setting after a 429, else ""."""
    if h.rate is None or h.effective_rate is None or h.effective_rate >= h.rate:
        return ""
    return f"at {h.effective_rate:.2g}/s of {h.rate:g}/s"


def data_age(h: SourceHealth) -> str:
    """How old the source's most urgent data is; "filling" while its first polls complete."""
    if h.age_s is not None:
        return fmt.duration(h.age_s)
    answering = h.health in (Health.OK, Health.DEGRADED, Health.RATE_LIMITED)
    return "filling" if answering else "no data"
