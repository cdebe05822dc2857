"""The floor's headline figures with their levels: what the KPI strip, the wallboard and
``ccmon serve`` show (no Textual here: the web wallboard imports it)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime

from ccmon.domain import AgentState
from ccmon.engine.metrics import FloorMetrics
from ccmon.ui import format as fmt
from ccmon.ui.options import UiOptions


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
