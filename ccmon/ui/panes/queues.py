"""Queues: waiting now, longest wait (ticking), agents available, service level, and the
forecast for the rest of the interval (SL next, agents needed), marked as a forecast."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from ccmon.domain import Collection, Queue
from ccmon.engine.forecast import QueueForecast
from ccmon.engine.metrics import FloorMetrics, QueueMetrics
from ccmon.ui import forecast_text
from ccmon.ui import format as fmt
from ccmon.ui.options import UiOptions
from ccmon.ui.widgets.columns import FORECAST_STYLE, count, figure, forecast, service_level
from ccmon.ui.widgets.pane import Pane
from ccmon.ui.widgets.record_table import Column, RecordTable

MetricsRef = Callable[[], FloorMetrics | None]
ForecastsRef = Callable[[], Mapping[str, QueueForecast]]


def _longest(queue: Queue) -> tuple[datetime | None, int | None]:
    """Tick from when the oldest contact joined if known, else show the vendor's figure."""
    if queue.in_queue == 0:
        return None, None
    return queue.oldest_since, queue.longest_wait_s


def _fmt_longest(value: tuple[datetime | None, int | None], now: float) -> str:
    since, seconds = value
    if since is not None:
        return fmt.since(since, now)
    return fmt.duration(seconds)  # nobody waiting: —, not a wait of 0s


def _wait_s(value: tuple[datetime | None, int | None], now: float) -> float | None:
    since, seconds = value
    return now - since.timestamp() if since is not None else seconds


def columns(
    metrics: MetricsRef, options: UiOptions, forecasts: ForecastsRef = dict
) -> list[Column[Queue]]:
    levels = options.thresholds

    def qm(queue: Queue) -> QueueMetrics | None:
        current = metrics()
        return current.queues.get(queue.key) if current is not None else None

    def field(name: str) -> Callable[[Queue], Any]:
        return lambda q: getattr(qm(q), name, None)

    def stat(name: str) -> Callable[[Queue], Any]:
        """A contact figure of the SL window, from the engine (None before the first)."""
        return lambda q: getattr(m.stats, name) if (m := qm(q)) is not None else None

    def ahead(queue: Queue) -> QueueForecast | None:
        return forecasts().get(queue.key)

    def need_style(value: QueueForecast | None) -> str | None:
        if value is None or value.agents_needed is None:
            return None
        return f"{FORECAST_STYLE}-short" if value.short else FORECAST_STYLE

    def wait_level(value: tuple[datetime | None, int | None]) -> str:
        return f"record-table--{levels.wait_level(_wait_s(value, options.wall()))}"

    return [
        Column("name", "Queue", lambda q: q.name, width=16, flex=3, max_width=40, middle=True),
        Column("channel", "Ch", lambda q: q.channel, width=4),
        figure(
            "waiting",
            "Waiting",  # a count; "Wait" is a duration (recent contacts)
            lambda q: q.in_queue,
            fmt.count,
            8,  # "Waiting" and the sort arrow
            style=lambda v: f"record-table--{levels.waiting_level(v)}" if v else None,
            marks=True,
        ),
        Column(
            "longest",
            "Longest",
            _longest,
            fmt=_fmt_longest,
            width=8,
            align="right",
            ticking=True,
            order=lambda v: _wait_s(v, options.wall()),
            style=wait_level,
            marks=True,
        ),
        figure("available", "Avail", field("agents_available"), fmt.count, 5),
        count("staffed", "Staffed", field("agents_logged_in"), 8, drop=2),  # as "Waiting"
        service_level("sl", "SL", field("sl_pct"), options),
        # The forecast (ccmon.engine.forecast), in its own style and marked "~".
        forecast(
            "sl_next",
            "SL next",
            ahead,
            forecast_text.sl_next,
            8,
            order=lambda f: f.sl_pct if f.sl_pct is not None else -1.0 if f.model else None,
            drop=5,  # before the window's abandons and offered
        ),
        forecast(
            "need",
            "Need",
            ahead,
            forecast_text.need,
            4,  # "~14!"; 4 so that ASA and abandons fit beside it in half of 200 columns
            order=lambda f: f.agents_needed,
            style=need_style,
            drop=4,  # on 80 columns over the measured ASA (the KPI strip has the floor's)
        ),
        # Wider screens: the window's contact figures (the formulas: ccmon.engine.metrics).
        figure("asa", "ASA", stat("asa_s"), fmt.duration, 5, drop=4),
        figure("abandon", "Aband", stat("abandon_pct"), fmt.percent, 6, drop=5),
        figure("offered", "Offered", stat("offered"), fmt.count, 7, drop=6),
        Column("source", "Src", lambda q: q.source, width=4, drop=3),
    ]


class QueuesPane(Pane):
    title = "Queues"
    number = 2
    noun = "queues"
    collections = frozenset({Collection.QUEUES})

    def __init__(self, options: UiOptions) -> None:
        table: RecordTable[Queue] = RecordTable.for_options(
            columns(lambda: self.metrics, options, lambda: self.forecasts),
            options,
            sort="waiting",
            reverse=True,
            id="queues-table",
        )
        super().__init__(table, id="queues")
        self.metrics: FloorMetrics | None = None
        """What the per-queue columns (staffing, service level, contact figures) read."""
        self.forecasts: Mapping[str, QueueForecast] = {}
        """Each queue's forecast, by key: computed with the metrics, read by two columns."""

    def show_forecasts(self, forecasts: Mapping[str, QueueForecast]) -> None:
        """Set before :meth:`show_metrics`, which recomputes the columns."""
        self.forecasts = forecasts

    def show_metrics(self, metrics: FloorMetrics) -> None:
        self.metrics = metrics
        self.table.recompute()
