"""What the wallboard says, page by page, without Textual: the terminal's wallboard screen
and the browser's (``ccmon serve``) show the same tiles, levels, title and health banner.

A tile is ``(label, value, level, note)``; on the floor page the note starts with the tile's
trend arrow from the history (:func:`ccmon.ui.trend.arrow`: now against 15 minutes ago).
Levels are the screens' (good, warn, bad, muted, missing, stale, and forecast for an estimate)
and each has its word (:data:`LEVEL_WORD`): colour is never the only signal. The floor page
has seven tiles on four columns, service level two wide; the others six on three equal ones
(:func:`columns`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from ccmon.engine.floor import Floor
from ccmon.engine.forecast import QueueForecast
from ccmon.engine.health import LEVEL, SYMBOL, Health, SourceHealth
from ccmon.engine.metrics import FloorMetrics, queue_wait
from ccmon.history.view import history_of
from ccmon.ui import format as fmt
from ccmon.ui.forecast_text import agents_short
from ccmon.ui.kpi_values import kpis
from ccmon.ui.lanes import LANES
from ccmon.ui.options import UiOptions
from ccmon.ui.trend import ARROW_MINUTES, FIGURES, STEADY, arrow

LEVEL_WORD = {
    "good": "OK",
    "warn": "WARN",
    "bad": "ALERT",
    "muted": "",
    "missing": "NO DATA",
    "stale": "STALE",
    "forecast": "FORECAST",
}
TILES = 7
"""The most tiles a page shows (the floor's)."""
QUEUE_TILES = 6
FLOOR_COLUMNS = (2, 2, 1, 1)
"""The floor page's column widths (fr): service level, two wide, keeps the largest digits."""
STALE_S = 30.0
"""Data older than this (a live feed polls every few seconds) is called out on the banner."""
PAGES = ("Floor", "Queues", "Action board")

TileContent = tuple[str, ...]
"""``(label, value, level)`` or ``(label, value, level, note)``."""
Trends = Mapping[str, Sequence[float | None]]
"""A history figure → its last minutes, oldest first (None: no sample that minute)."""


def floor_trends(floor: Floor) -> Trends | None:
    """The minutes the floor page's arrows need, from the history running with ``floor``;
    None without one (or while it is off: the status bar says why)."""
    recorder = history_of(floor)
    if recorder is None or recorder.problem is not None:
        return None
    return {figure: recorder.series(figure, ARROW_MINUTES) for figure in STEADY}


def down_or_old(h: SourceHealth) -> bool:
    return LEVEL[h.health] == "bad" or (h.age_s or 0) > STALE_S


def stale(health: Sequence[SourceHealth]) -> bool:
    """A source is down or its data is old: the numbers may be what it last said."""
    return any(down_or_old(h) for h in health)


def troubled(health: Sequence[SourceHealth]) -> list[SourceHealth]:
    """The sources the banner names: not answering well, or their data is old."""
    return [
        h
        for h in health
        if h.health not in (Health.OK, Health.STARTING) or (h.age_s or 0) > STALE_S
    ]


@runtime_checkable
class Followed(Protocol):
    """A floor that follows another process (a hub viewer) and can say why it cannot."""

    def problem_now(self) -> str | None: ...


def floor_problem(floor: object) -> str | None:
    """What stops a hub viewer following its hub ("hub silent for 40 s"); None for a floor
    that polls the sources itself, or while the hub is followed."""
    return floor.problem_now() if isinstance(floor, Followed) else None


def banner_text(troubled: Sequence[SourceHealth], problem: str | None = None) -> str:
    """The sources in trouble with their data's age; a hub viewer's ``problem`` in its words
    first (every source is then only as old as the hub's last word)."""
    if problem is not None:
        ages = [h.age_s for h in troubled if h.age_s is not None]
        age = f"DATA {fmt.duration(max(ages))} OLD" if ages else "NO DATA"
        names = " ".join(h.source.upper() for h in troubled if h.source != "hub")
        # Read from across the room: what is wrong, not the driver's whole error.
        said = problem.split(" (", 1)[0]
        return f"{SYMBOL[Health.UNREACHABLE]} {said} · " + " ".join(
            part for part in (names, age) if part
        )
    return "   ".join(
        f"{SYMBOL[h.health]} {h.source.upper()} {h.health.value.upper()} · "
        + ("NO DATA" if h.age_s is None else f"DATA {fmt.duration(h.age_s)} OLD")
        for h in troubled
    )


def data_age(health: Sequence[SourceHealth]) -> str:
    ages = [h.age_s for h in health if h.age_s is not None]
    return f"data {fmt.duration(max(ages))} old" if ages else "no data yet"


def title(page: int, health: Sequence[SourceHealth], now: datetime) -> str:
    text = f"ccmon wallboard · {PAGES[page]} ({page + 1}/{len(PAGES)})"
    if page == 1:
        text += " · longest wait"  # what the big numbers are
    return f"{text} · {data_age(health)} · {fmt.clock(now)}"


def columns(page: int) -> tuple[int, ...]:
    """The relative widths of a page's columns: the floor's four, three equal elsewhere."""
    return FLOOR_COLUMNS if page == 0 else (1, 1, 1)


def page_tiles(
    page: int,
    metrics: FloorMetrics,
    options: UiOptions,
    forecasts: Mapping[str, QueueForecast] | None = None,
    trends: Trends | None = None,
) -> list[TileContent]:
    """The tiles of ``page`` (0 floor, 1 busiest queues, 2 action board) as of now;
    ``forecasts`` (by queue key) give the floor's agents short, ``trends`` the arrows."""
    if page == 0:
        by_id = {k.id: k for k in kpis(metrics, options, options.wall())}

        def tile(kpi_id: str, label: str, text: str = "", note: str = "") -> TileContent:
            kpi = by_id[kpi_id]
            figure = FIGURES.get(kpi_id, "")
            trend = arrow(trends.get(figure, ()), figure) if trends and not kpi.missing else ""
            words = " · ".join(part for part in (trend, note) if part)
            return (label, text or kpi.text, "missing" if kpi.missing else kpi.level, words)

        sl, abandon, busy = by_id["sl"], by_id["abandon"], by_id["busy"]
        # "%" goes to the label: three glyphs fewer, so the digits can be larger. Service
        # level two wide with the short figures beside it, the waits under it.
        return [
            tile(
                "sl",
                f"Service level % (target {options.policy.target_pct:g})",
                sl.text.removesuffix("%"),
            ),
            short_tile(forecasts),
            tile("abandon", "Abandoned %", abandon.text.removesuffix("%")),
            tile("waiting", "Waiting"),
            tile("longest", "Longest wait"),
            tile("available", "Available", note=f"{busy.text} ON CONTACT"),
            tile("asa", "Speed of answer"),
        ]
    if page == 1:
        now = datetime.fromtimestamp(options.wall(), UTC)
        waits = {key: queue_wait(q.queue, now) for key, q in metrics.queues.items()}
        busiest = sorted(
            metrics.queues.values(),
            key=lambda q: (-q.queue.in_queue, -(waits[q.queue.key] or 0)),
        )
        t = options.thresholds
        # The channel first, so that cutting a long name on 80 columns keeps it; the
        # count goes under the number.
        return [
            (
                f"{q.queue.channel} · {q.queue.name}",
                fmt.duration(waits[q.queue.key]) if q.queue.in_queue else "0",
                t.wait_level(waits[q.queue.key]) if q.queue.in_queue else "good",
                f"{q.queue.in_queue} WAITING",
            )
            for q in busiest[:QUEUE_TILES]
        ]
    counts = metrics.actions_by_status
    tiles: list[TileContent] = [
        (lane.capitalize(), fmt.count(counts.get(lane, 0)), "muted") for lane in LANES
    ]
    tiles.append(("Oldest open", fmt.duration(metrics.oldest_open_action_s), "muted"))
    return tiles


def short_tile(forecasts: Mapping[str, QueueForecast] | None) -> TileContent:
    """Over the queues with a forecast, the agents missing to reach target; ``—`` when no
    queue has one. In the forecast's own level: an estimate, never a measured figure."""
    values = [] if forecasts is None else list(forecasts.values())
    total = agents_short(values)
    if total is None:
        return ("Agents short", fmt.DASH, "muted", "NO FORECAST")
    queues = sum(1 for f in values if f.short)
    note = f"{queues} QUEUE{'' if queues == 1 else 'S'}" if queues else "NO QUEUE"
    return ("Agents short", str(total), "forecast", note)
