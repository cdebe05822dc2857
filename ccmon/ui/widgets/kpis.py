"""The strip of floor numbers above the panes: big enough to read, coloured by threshold,
with ▲/▼ against the previous value and words for the levels (colour is never the only
signal).

Every tile's value is on screen at every size: ten tiles in one row from 120 columns, two rows
of five below; a label that does not fit its tile gives way to a shorter one, and a value is
never wrapped away (it loses its spaces first, then is cut at its end).

With a history recorder, each tile that has a minute series shows the last 60 minutes under its
value as a sparkline (blank where no sample was taken); in one row, or in two where the
screen has the height for them (``TREND_HEIGHT``)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from textual.app import ComposeResult
from textual.containers import Grid
from textual.events import Resize
from textual.widgets import Static

from ccmon.history.view import history_of
from ccmon.ui.kpi_values import Kpi, kpis
from ccmon.ui.trend import FIGURES, sparkline

LEVEL_WORD = {"good": "", "warn": " !", "bad": " !!", "muted": ""}
ONE_ROW_WIDTH = 120
"""From this many columns the ten tiles stand in one row (12 columns each), below it in two."""
ALERT_MARK = "⚠ "
TREND_MINUTES = 60
TREND_HEIGHT = 32
"""Below this many lines, two rows of tiles leave out their sparklines (the panes need them)."""
__all__ = ["ALERT_MARK", "Kpi", "KpiStrip", "KpiTile", "fit_line", "kpis"]


def fit_line(text: str, width: int) -> str:
    """``text`` in ``width`` cells: without its spaces if it is too long, then cut."""
    if cell_len(text) > width:
        text = text.replace(" ", "")
    return set_cell_size(text, width).rstrip() if cell_len(text) > width else text


class KpiTile(Static):
    DEFAULT_CSS = """
    KpiTile {
        width: 1fr; height: 2; padding: 0 1;
        content-align: center middle; text-align: center;
        &.-good { color: $ccmon-good; }
        &.-warn { color: $ccmon-warn; text-style: bold; }
        &.-bad { background: $ccmon-bad; color: $background; text-style: bold; }
        &.-alert { text-style: bold underline; }
        &.-muted { color: $foreground; }
    }
    """

    trend: Sequence[float | None] | None = None
    """The last minutes' values, oldest first (None: a gap); None: no sparkline line."""

    def __init__(self, kpi_id: str, flash_s: float = 3.0) -> None:
        super().__init__(id=f"kpi-{kpi_id}", classes="kpi", markup=False)
        self.flash_s = flash_s
        self.previous: float | None = None
        self.shown = ""
        self._arrow = ""
        self._arrow_until = 0.0
        self._last: tuple[Kpi, bool] | None = None

    def show(self, kpi: Kpi, *, alerting: bool = False) -> None:
        """Called on every change and every tick; ▲/▼ stay ``flash_s`` after a change."""
        now = time.monotonic()
        compared = kpi.compared
        if compared is None:
            self._arrow = ""
        elif self.previous is not None and compared != self.previous:
            self._arrow = " ▲" if compared > self.previous else " ▼"
            self._arrow_until = now + self.flash_s
        elif now >= self._arrow_until:
            self._arrow = ""
        self.previous = compared
        self._last = (kpi, alerting)
        self._draw()
        for level in ("good", "warn", "bad", "muted"):
            self.set_class(kpi.level == level, f"-{level}")
        self.set_class(alerting, "-alert")

    def _draw(self) -> None:
        if self._last is None:
            return
        kpi, alerting = self._last
        mark = ALERT_MARK if alerting else ""
        width = self.content_size.width or 10_000  # before the first layout: anything fits
        label = f"{mark}{kpi.label}"
        if cell_len(label) > width and kpi.short:
            label = f"{mark}{kpi.short}"
        value = f"{kpi.text}{self._arrow}{LEVEL_WORD[kpi.level]}"
        text = f"{fit_line(label, width)}\n{fit_line(value, width)}"
        if self.trend is not None:
            text += "\n" + sparkline(self.trend, min(width, TREND_MINUTES))
        if text != self.shown:
            self.shown = text
            self.update(text, layout=False)

    def on_resize(self) -> None:
        self._draw()


class KpiStrip(Grid):
    """Ten tiles in one row from ``ONE_ROW_WIDTH`` columns, else two rows of five."""

    DEFAULT_CSS = """
    KpiStrip {
        height: 2; background: $boost; grid-size: 10 1; grid-gutter: 0;
        &.-two-rows { height: 4; grid-size: 5 2; }
        &.-trend { height: 3; & > KpiTile { height: 3; } }
        &.-trend.-two-rows { height: 6; }
    }
    """

    IDS = (
        "waiting",
        "longest",
        "sl",
        "available",
        "busy",
        "wrap",
        "away",
        "asa",
        "abandon",
        "actions",
    )

    def __init__(self, *, flash_s: float = 3.0, id: str | None = None) -> None:
        super().__init__(id=id)
        self.flash_s = flash_s

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < ONE_ROW_WIDTH, "-two-rows")

    def compose(self) -> ComposeResult:
        for kpi_id in self.IDS:
            yield KpiTile(kpi_id, self.flash_s)

    def show(self, items: list[Kpi], *, alerting: set[str] | None = None) -> None:
        trends = self._trends()
        self.set_class(trends is not None, "-trend")
        for kpi in items:
            tile = self.query_one(f"#kpi-{kpi.id}", KpiTile)
            if trends is None:
                tile.trend = None
            else:
                figure = FIGURES.get(kpi.id)
                tile.trend = () if figure is None else trends[figure]
            tile.show(kpi, alerting=kpi.id in (alerting or set()))

    def _trends(self) -> dict[str, list[float | None]] | None:
        """Each figure's last ``TREND_MINUTES`` from the app's history, or None: no history
        (or it is off: the status bar says why), or no room on this screen."""
        floor = getattr(self.app, "engine", None)
        recorder = None if floor is None else history_of(floor)
        if recorder is None or recorder.problem is not None:
            return None
        if self.has_class("-two-rows") and self.app.size.height < TREND_HEIGHT:
            return None
        return {figure: recorder.series(figure, TREND_MINUTES) for figure in FIGURES.values()}
