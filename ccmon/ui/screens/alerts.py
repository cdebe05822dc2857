"""``a``: the alerts list. What is firing now and since when, and today's raised and cleared
events, newest first: a toast fades after a few seconds, this stays."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ccmon.domain.policy import ALERT_LABELS
from ccmon.ui import format as fmt

if TYPE_CHECKING:
    from ccmon.engine.alerts import AlertMonitor
    from ccmon.ui.app import CcmonApp


_LABELS: dict[str, str] = dict(ALERT_LABELS.items())


def rule_label(name: str) -> str:
    """``source_down_s:alo`` reads "Source down: alo"; a rule without a label, its name."""
    rule, _, source = name.partition(":")
    label = _LABELS.get(rule, rule)
    return f"{label}: {source}" if source else label


def _table(*headers: str) -> Table:
    table = Table(box=None, padding=(0, 2, 0, 0), expand=True, header_style="bold")
    for header in headers[:-1]:
        table.add_column(header, no_wrap=True)
    table.add_column(headers[-1], ratio=1)
    return table


def active_table(monitor: AlertMonitor, now: float) -> Table | Text:
    """Each active alert: since when (and for how long), the rule, its message."""
    if not monitor.active:
        return Text("No alert is active.")
    since = monitor.history.since
    table = _table("Since", "For", "Alert", "What")
    for name, event in sorted(monitor.active.items(), key=lambda item: item[0]):
        at = since.get(name)
        table.add_row(fmt.clock(at), fmt.since(at, now), rule_label(name), Text(event.message))
    return table


def history_table(monitor: AlertMonitor) -> Table | Text:
    """Today's events, newest first."""
    entries = monitor.history.today()
    if not entries:
        return Text("Nothing raised or cleared today.")
    table = _table("Time", "Event", "Alert", "What")
    for entry in reversed(entries):
        event = entry.event
        state = Text("raised", style="bold") if event.state == "raised" else Text("cleared")
        table.add_row(fmt.clock(entry.at), state, rule_label(event.name), Text(event.message))
    return table


class AlertsScreen(ModalScreen[None]):
    """Over the panes; redrawn every second while open (durations grow, alerts come and go)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,a,q", "dismiss", "Close"),
    ]
    DEFAULT_CSS = """
    AlertsScreen { align: center middle; }
    AlertsScreen > VerticalScroll {
        width: 90%; max-width: 120; height: auto; max-height: 90%;
        border: round $ccmon-border-focus; background: $surface; padding: 0 1;
    }
    AlertsScreen .section { margin-top: 1; text-style: bold; }
    """

    def __init__(self, ccmon: CcmonApp) -> None:
        super().__init__()
        self.ccmon = ccmon

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Alerts · Esc to close"
            yield Static("Active now", classes="section", markup=False)
            yield Static(id="alerts-active")
            yield Static("Today", classes="section", markup=False)
            yield Static(id="alerts-today")

    def on_mount(self) -> None:
        self.redraw()
        self.set_interval(1.0, self.redraw)

    def redraw(self) -> None:
        monitor = self.ccmon.alerts
        now = self.ccmon.engine.now().timestamp()
        self.query_one("#alerts-active", Static).update(active_table(monitor, now))
        self.query_one("#alerts-today", Static).update(history_table(monitor))
