"""``i``: the day so far. Today's intervals from the history (the floor's, or the queue
selected in the queues pane): a table, and a chart of offered against answered and of the
service level against its target, in glyphs and words (never colour alone).

The rows come from the history's memory (:meth:`HistoryView.intervals`: this process's
recorder, refreshed about every 15 s, or what a hub publishes); nothing here reads the disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.console import Console
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ccmon.domain import Queue
from ccmon.history.days import zone_name
from ccmon.history.store import IntervalRow, total
from ccmon.history.view import HistoryView, history_of
from ccmon.ui import format as fmt
from ccmon.ui.forecast_text import floor_line, queue_line

if TYPE_CHECKING:
    from ccmon.ui.app import CcmonApp

REDRAW_S = 2.0
ANSWERED = "█"
UNANSWERED = "░"
SL_FILL = "█"
SL_EMPTY = "·"
TARGET = "┃"
FIXED_CELLS = 21
"""The chart line's cells besides its two bars and its counts: time, spaces, the SL figure
and its word."""


@dataclass(frozen=True, slots=True)
class QueueChoice:
    """Which queue's intervals: its name and channel (a menu often has a call and a chat
    queue: each its own rows)."""

    name: str
    channel: str

    @property
    def label(self) -> str:
        return f"queue {self.name} ({self.channel})"


def local_hhmm(row: IntervalRow, tz: tzinfo | None) -> str:
    return row.start.astimezone(tz).strftime("%H:%M")


def title(choice: QueueChoice | None, minutes: int, tz: tzinfo | None) -> str:
    what = "floor" if choice is None else choice.label
    return f"Intraday · {what} · {minutes}-min intervals · times local ({zone_name(tz)})"


def interval_table(rows: Sequence[IntervalRow], tz: tzinfo | None, day: dict[str, object]) -> Table:
    """One row per interval, then the day's total (``day``: :func:`total` of the rows)."""
    table = Table(box=None, padding=(0, 1, 0, 0), header_style="bold", show_footer=False)
    for header in ("Start", "Offered", "Answered", "Abandoned", "SL %", "ASA", "AHT", "Longest"):
        table.add_column(header, justify="left" if header == "Start" else "right", no_wrap=True)
    for row in rows:
        s = row.stats
        table.add_row(
            local_hhmm(row, tz),
            fmt.count(s.offered),
            fmt.count(s.answered),
            fmt.count(s.abandoned),
            fmt.percent(row.sl_pct),
            fmt.duration(s.asa_s),
            fmt.duration(s.aht_s),
            fmt.duration(row.longest_wait_s),
        )
    table.add_row(
        Text("Day", style="bold"),
        *(fmt.count(_int(day.get(k))) for k in ("offered", "answered", "abandoned")),
        fmt.percent(_float(day.get("sl_pct"))),
        *(fmt.duration(_float(day.get(k))) for k in ("asa_s", "aht_s", "longest_wait_s")),
        style="bold",
    )
    return table


def drawn_once(renderable: Table, width: int) -> Text:
    """``renderable`` laid out once, as text: a Static holding a Rich table lays it out
    again for every measure and paint, which for a day of intervals costs a frame."""
    console = Console(width=width, force_terminal=True, color_system="truecolor")
    out = Text(no_wrap=True, overflow="crop", end="")
    for index, line in enumerate(console.render_lines(renderable, pad=False)):
        if index:
            out.append("\n")
        for segment in line:
            out.append(segment.text, segment.style)
    return out


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def legend(target_pct: float) -> str:
    return (
        f"Contacts: {ANSWERED} answered, {UNANSWERED} offered but not answered "
        f"(answered/offered)\nService level: {SL_FILL} SL, {TARGET} target {target_pct:g} %; "
        '"below" when under target, "—" with too few contacts'
    )


def offered_bar(answered: int, offered: int, most: int, width: int) -> str:
    """``offered`` long (of ``most`` in ``width`` cells), its ``answered`` part filled."""
    if most <= 0 or width <= 0:
        return " " * max(0, width)
    length = max(1 if offered else 0, round(offered / most * width))
    filled = min(length, round(answered / most * width))
    if answered and not filled:
        filled = 1
        length = max(length, 1)
    return (ANSWERED * filled + UNANSWERED * (length - filled)).ljust(width)


def sl_bar(sl_pct: float | None, target_pct: float, width: int) -> str:
    """``width`` cells filled to the SL, the target marked wherever the fill ends."""
    if width <= 0:
        return ""
    filled = 0 if sl_pct is None else round(max(0.0, min(100.0, sl_pct)) / 100 * width)
    mark = min(width - 1, round(max(0.0, min(100.0, target_pct)) / 100 * width))
    cells = [SL_FILL if i < filled else SL_EMPTY for i in range(width)]
    cells[mark] = TARGET
    return "".join(cells)


def sl_word(sl_pct: float | None, target_pct: float) -> str:
    if sl_pct is None:
        return ""
    return "below" if sl_pct < target_pct else "ok"


def chart(rows: Sequence[IntervalRow], tz: tzinfo | None, target_pct: float, width: int) -> Text:
    """One line per interval: ``HH:MM`` offered/answered bar, counts, SL bar, SL, word."""
    most = max((r.stats.offered for r in rows), default=0)
    digits = len(str(most))
    bars = max(8, width - FIXED_CELLS - 2 * digits)
    contacts_cells = bars // 2
    sl_cells = bars - contacts_cells
    out = Text(no_wrap=True, overflow="crop", end="")
    for index, row in enumerate(rows):
        s = row.stats
        if index:
            out.append("\n")
        word = sl_word(row.sl_pct, target_pct)
        out.append(f"{local_hhmm(row, tz)} ")
        out.append(offered_bar(s.answered, s.offered, most, contacts_cells))
        out.append(f" {s.answered:>{digits}}/{s.offered:<{digits}} ")
        out.append(sl_bar(row.sl_pct, target_pct, sl_cells), "bold" if word == "below" else "")
        sl = "—" if row.sl_pct is None else f"{row.sl_pct:.0f} %"
        out.append(f" {sl:>5}")
        out.append(f" {word}" if word else "", "bold" if word == "below" else "")
    return out


def selected_queue(app: CcmonApp) -> QueueChoice | None:
    """The queue under the cursor of the queues pane, when that pane is the one in use."""
    try:
        pane = app.pane("queues")
    except KeyError:
        return None
    if app.panes[app.active] is not pane:
        return None
    record = pane.table.cursor_record
    return QueueChoice(record.name, record.channel) if isinstance(record, Queue) else None


class IntradayScreen(ModalScreen[None]):
    """Over the panes, redrawn every ``REDRAW_S`` while open; ``f`` switches between the
    floor and the queue that was selected when it opened."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,i,q", "dismiss", "Close"),
        Binding("f", "switch", "Floor / queue"),
    ]
    DEFAULT_CSS = """
    IntradayScreen { align: center middle; }
    IntradayScreen > VerticalScroll {
        width: 100%; height: 100%;
        border: round $ccmon-border-focus; background: $surface; padding: 0 1;
    }
    IntradayScreen .section { margin-top: 1; text-style: bold; }
    IntradayScreen .legend { color: $ccmon-muted; }
    IntradayScreen .forecast { color: $ccmon-forecast; text-style: italic; margin-bottom: 1; }
    """

    def __init__(self, ccmon: CcmonApp, queue: QueueChoice | None = None) -> None:
        super().__init__()
        self.ccmon = ccmon
        self.queue = queue
        self.showing: QueueChoice | None = queue
        self.history: HistoryView | None = history_of(ccmon.engine)
        self.rows: list[IntervalRow] = []
        self.message = ""
        """What is said instead of the table (history off, nothing yet), else ""."""
        self._drawn: tuple[object, ...] | None = None
        """What the table and chart were last drawn from: the rows change about every 15 s,
        the screen is redrawn every ``REDRAW_S``, and a day's table costs a paint."""

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Intraday · Esc to close" + (
                " · f floor/queue" if self.queue else ""
            )
            yield Static(id="intraday-title", markup=False)
            yield Static(id="intraday-forecast", classes="forecast", markup=False)
            yield Static(id="intraday-message", markup=False)
            yield Static(id="intraday-table")
            yield Static("Per interval", classes="section", id="intraday-chart-title")
            yield Static(id="intraday-legend", classes="legend", markup=False)
            yield Static(id="intraday-chart")

    def on_mount(self) -> None:
        self.redraw()
        self.set_interval(REDRAW_S, self.redraw)

    def on_resize(self) -> None:
        self.redraw()

    def action_switch(self) -> None:
        if self.queue is not None:
            self.showing = None if self.showing is not None else self.queue
            self.redraw()

    def _rows(self, recorder: HistoryView) -> list[IntervalRow]:
        if self.showing is None:
            return recorder.intervals()
        channel = self.showing.channel
        return [r for r in recorder.intervals(self.showing.name) if r.channel == channel]

    def _why_empty(self, recorder: HistoryView | None) -> str:
        if recorder is None:
            return (
                "No history in this process: it is off ([history] enabled = false). "
                "`ccmon report` reads what a ccmon that records has kept."
            )
        if recorder.problem is not None:
            return (
                f"{recorder.problem[:1].upper()}{recorder.problem[1:]}. The live monitor runs on."
            )
        if not recorder.loaded:
            return "Reading today's history…"
        what = "the floor" if self.showing is None else self.showing.label
        return f"No contacts recorded today for {what} yet: intervals appear as contacts arrive."

    def forecast_line(self) -> str:
        """The floor's agents short, or the shown queue's forecast with its inputs."""
        forecasts = self.ccmon.forecasts
        if self.showing is None:
            return floor_line(forecasts.values())
        metrics = self.ccmon.metrics
        for key, queue in ({} if metrics is None else metrics.queues).items():
            if (queue.queue.name, queue.queue.channel) == (self.showing.name, self.showing.channel):
                return queue_line(forecasts.get(key))
        return queue_line(None)

    def redraw(self) -> None:
        recorder = self.history
        minutes = 15 if recorder is None else recorder.interval_min
        tz = None if recorder is None else recorder.tz
        usable = recorder is not None and recorder.problem is None
        self.rows = self._rows(recorder) if recorder is not None and usable else []
        self.message = "" if self.rows else self._why_empty(recorder)
        forecast = self.forecast_line()
        drawn = (self.showing, self.message, tuple(self.rows), self.size.width, tz, minutes)
        self.query_one("#intraday-forecast", Static).update(forecast)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        self.query_one("#intraday-title", Static).update(title(self.showing, minutes, tz))
        self.query_one("#intraday-message", Static).update(self.message)
        for part in ("#intraday-table", "#intraday-chart-title", "#intraday-legend"):
            self.query_one(part).display = bool(self.rows)
        self.query_one("#intraday-chart").display = bool(self.rows)
        self.query_one("#intraday-message").display = not self.rows
        if not self.rows or recorder is None:
            return
        policy = recorder.policy
        width = max(40, self.size.width - 6)
        self.query_one("#intraday-table", Static).update(
            drawn_once(interval_table(self.rows, tz, total(self.rows, policy)), width)
        )
        self.query_one("#intraday-legend", Static).update(legend(policy.target_pct))
        self.query_one("#intraday-chart", Static).update(
            chart(self.rows, tz, policy.target_pct, width)
        )
