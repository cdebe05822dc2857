"""The strip of floor numbers above the panes: big enough to read, coloured by threshold,
with ▲/▼ against the previous value and words for the levels (colour is never the only
signal)."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from ccmon.domain import AgentState
from ccmon.engine.metrics import FloorMetrics
from ccmon.ui import format as fmt
from ccmon.ui.options import UiOptions

LEVEL_WORD = {"good": "", "warn": " !", "bad": " !!", "muted": ""}


@dataclass(frozen=True, slots=True)
class Kpi:
    id: str
    label: str
    text: str
    value: float | None
    level: str = "muted"
    optional: bool = False
    """Hidden on narrow screens."""
    missing: bool = False
    """No source has sent what this counts (yet): shown as "—", never as a reassuring 0."""


def kpis(metrics: FloorMetrics | None, options: UiOptions, now: float) -> list[Kpi]:
    if metrics is None:
        return []
    t, target = options.thresholds, options.policy.target_pct
    states = metrics.agents_by_state
    # Ticks between polls like the queue pane's column; ▲/▼ compare the polled figure.
    longest = metrics.longest_wait_at(datetime.fromtimestamp(now, UTC))
    open_actions = sum(
        n
        for s, n in metrics.actions_by_status.items()
        if s not in ("closed", "canceled", "cancelled")
    )
    items = [
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
            metrics.longest_wait_s,
            t.wait_level(longest),
        ),
        Kpi(
            "sl",
            f"SL ≥{target:.0f}%",
            fmt.percent(metrics.sl_pct),
            metrics.sl_pct,
            t.sl_level(metrics.sl_pct, target),
        ),
        Kpi(
            "available",
            "Available",
            fmt.count(states[AgentState.AVAILABLE]),
            states[AgentState.AVAILABLE],
            "bad" if metrics.waiting and not states[AgentState.AVAILABLE] else "good",
        ),
        Kpi(
            "busy",
            "On contact",
            fmt.count(states[AgentState.IN_CALL] + states[AgentState.IN_CHAT]),
            states[AgentState.IN_CALL] + states[AgentState.IN_CHAT],
        ),
        Kpi(
            "wrap",
            "Wrap-up",
            fmt.count(states[AgentState.WRAP_UP]),
            states[AgentState.WRAP_UP],
            optional=True,
        ),
        Kpi(
            "away",
            "Away",
            fmt.count(states[AgentState.AWAY]),
            states[AgentState.AWAY],
            optional=True,
        ),
        Kpi("asa", "ASA", fmt.duration(metrics.stats.asa_s), metrics.stats.asa_s, optional=True),
        Kpi(
            "abandon",
            "Abandoned",
            fmt.percent(metrics.stats.abandon_pct),
            metrics.stats.abandon_pct,
            optional=True,
        ),
        Kpi("actions", "Open actions", fmt.count(open_actions), open_actions, optional=True),
    ]
    # No queue or no agent from any source yet (a source down from the start).
    blank = {"waiting", "longest"} if not metrics.queues else set()
    if not sum(states.values()):
        blank |= {"available", "busy", "wrap", "away"}
    return [
        dataclasses.replace(kpi, text=fmt.DASH, value=None, level="muted", missing=True)
        if kpi.id in blank
        else kpi
        for kpi in items
    ]


class KpiTile(Static):
    DEFAULT_CSS = """
    KpiTile {
        width: 1fr; min-width: 9; height: 2; padding: 0 1;
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

    def show(self, kpi: Kpi, *, alerting: bool = False) -> None:
        """Called on every change and every tick; ▲/▼ stay ``flash_s`` after a change."""
        now = time.monotonic()
        if kpi.value is None:
            self._arrow = ""
        elif self.previous is not None and kpi.value != self.previous:
            self._arrow = " ▲" if kpi.value > self.previous else " ▼"
            self._arrow_until = now + self.flash_s
        elif now >= self._arrow_until:
            self._arrow = ""
        self.previous = kpi.value
        label = f"⚠ {kpi.label}" if alerting else kpi.label
        text = f"{label}\n{kpi.text}{self._arrow}{LEVEL_WORD[kpi.level]}"
        if text != self.shown:
            self.shown = text
            self.update(text, layout=False)
        for level in ("good", "warn", "bad", "muted"):
            self.set_class(kpi.level == level, f"-{level}")
        self.set_class(kpi.optional, "-optional")
        self.set_class(alerting, "-alert")


class KpiStrip(Horizontal):
    DEFAULT_CSS = """
    KpiStrip { height: 2; background: $boost; }
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

    def compose(self) -> ComposeResult:
        for kpi_id in self.IDS:
            yield KpiTile(kpi_id, self.flash_s)

    def show(self, items: list[Kpi], *, alerting: set[str] | None = None) -> None:
        for kpi in items:
            tile = self.query_one(f"#kpi-{kpi.id}", KpiTile)
            tile.show(kpi, alerting=kpi.id in (alerting or set()))
