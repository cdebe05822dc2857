"""The strip of floor numbers above the panes: big enough to read, coloured by threshold,
with ▲/▼ against the previous value and words for the levels (colour is never the only
signal).

Every tile's value is on screen at every size: ten tiles in one row from 120 columns, two rows
of five below; a label that does not fit its tile gives way to a shorter one, and a value is
never wrapped away (it loses its spaces first, then is cut at its end)."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from rich.cells import cell_len, set_cell_size
from textual.app import ComposeResult
from textual.containers import Grid
from textual.events import Resize
from textual.widgets import Static

from ccmon.domain import AgentState
from ccmon.engine.metrics import FloorMetrics
from ccmon.ui import format as fmt
from ccmon.ui.options import UiOptions

LEVEL_WORD = {"good": "", "warn": " !", "bad": " !!", "muted": ""}
ONE_ROW_WIDTH = 120
"""From this many columns the ten tiles stand in one row (12 columns each), below it in two."""
ALERT_MARK = "⚠ "


@dataclass(frozen=True, slots=True)
class Kpi:
    id: str
    label: str
    text: str
    value: float | None
    level: str = "muted"
    short: str = ""
    """The label for a narrow tile (default: ``label``)."""
    trend: float | None = None
    """What ▲/▼ compare from one poll to the next (default: ``value``). The longest wait
    grows by itself between polls: its trend is when that wait began, so ▲ means a contact
    has waited longer than the clock explains and ▼ that the longest waiter was answered."""
    missing: bool = False
    """No source has sent what this counts (yet): shown as "—", never as a reassuring 0."""

    @property
    def compared(self) -> float | None:
        return self.value if self.trend is None else self.trend


def kpis(metrics: FloorMetrics | None, options: UiOptions, now: float) -> list[Kpi]:
    """The ten tiles, in :attr:`KpiStrip.IDS` order, at wall time ``now``."""
    if metrics is None:
        return []
    items = [
        *_queue_kpis(metrics, options, now),
        *_agent_kpis(metrics),
        *_contact_kpis(metrics, options),
        Kpi(
            "actions",
            "Open actions",
            fmt.count(metrics.open_actions),
            metrics.open_actions,
            short="Actions",
        ),
    ]
    return _blank_missing(items, metrics)


def _queue_kpis(metrics: FloorMetrics, options: UiOptions, now: float) -> list[Kpi]:
    """Waiting, the longest wait and the service level."""
    t, target = options.thresholds, options.policy.target_pct
    # Ticks between polls like the queue pane's column.
    longest = metrics.longest_wait_at(datetime.fromtimestamp(now, UTC))
    # When the longest wait began, as of the poll (whole seconds: vendors count in them).
    polled = metrics.longest_wait_at(metrics.at)
    origin = None if polled is None else round(metrics.at.timestamp() - polled)
    return [
        Kpi(
            "waiting",
            "Waiting",
            fmt.count(metrics.waiting),
            metrics.waiting,
            t.waiting_level(metrics.waiting),
        ),
        Kpi(
            "longest",
            "Longest",
            fmt.duration(longest) if metrics.waiting else "0s",
            longest,
            t.wait_level(longest),
            trend=None if origin is None else -origin,
        ),
        Kpi(
            "sl",
            f"SL ≥{target:.0f}%",
            fmt.percent(metrics.sl_pct),
            metrics.sl_pct,
            t.sl_level(metrics.sl_pct, target),
        ),
    ]


def _agent_kpis(metrics: FloorMetrics) -> list[Kpi]:
    """Available, on a contact, in wrap-up, away."""
    states = metrics.agents_by_state
    available = states[AgentState.AVAILABLE]
    busy = states[AgentState.IN_CALL] + states[AgentState.IN_CHAT]
    return [
        Kpi(
            "available",
            "Available",
            fmt.count(available),
            available,
            # Set against the contacts waiting where agents are known (not Evo's queues).
            "bad" if metrics.waiting_rostered and not available else "good",
            short="Avail.",
        ),
        Kpi("busy", "On contact", fmt.count(busy), busy, short="Busy"),
        Kpi("wrap", "Wrap-up", fmt.count(states[AgentState.WRAP_UP]), states[AgentState.WRAP_UP]),
        Kpi("away", "Away", fmt.count(states[AgentState.AWAY]), states[AgentState.AWAY]),
    ]


def _contact_kpis(metrics: FloorMetrics, options: UiOptions) -> list[Kpi]:
    """The SL window's speed of answer and abandonment."""
    t, stats = options.thresholds, metrics.stats
    return [
        Kpi("asa", "ASA", fmt.duration(stats.asa_s), stats.asa_s, t.asa_level(stats.asa_s)),
        Kpi(
            "abandon",
            "Abandoned",
            fmt.percent(stats.abandon_pct),
            stats.abandon_pct,
            t.abandon_level(stats.abandon_pct),
            short="Abandon",
        ),
    ]


def _blank_missing(items: list[Kpi], metrics: FloorMetrics) -> list[Kpi]:
    """No queue or no agent from any source yet (a source down from the start): those tiles
    say —, not a reassuring 0."""
    blank = {"waiting", "longest"} if not metrics.queues else set()
    if not sum(metrics.agents_by_state.values()):
        blank |= {"available", "busy", "wrap", "away"}
    return [
        dataclasses.replace(kpi, text=fmt.DASH, value=None, level="muted", missing=True)
        if kpi.id in blank
        else kpi
        for kpi in items
    ]


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
        for kpi in items:
            tile = self.query_one(f"#kpi-{kpi.id}", KpiTile)
            tile.show(kpi, alerting=kpi.id in (alerting or set()))
