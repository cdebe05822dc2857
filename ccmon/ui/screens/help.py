"""``?``: every key, what it does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("q or F10", "quit at once (no confirmation, in-flight requests are dropped)"),
    ("? or F1", "this help"),
    ("1 … 5", "show pane: agents, queues, service level, recent contacts, action board"),
    ("tab / shift+tab", "next / previous pane"),
    ("z / Z", "zoom: the current pane alone, more columns (again to go back); Z hides the KPIs"),
    ("↑ ↓ j k, PgUp PgDn, g G", "move in the table"),
    ("enter", "details of the row (agent activity, queue agents, full action)"),
    ("esc", "back / clear the filter"),
    ("/", "filter the table by text"),
    ("F6 or o, then 1 … 9", "sort by a column: each column shown has a key; again reverses"),
    ("s or > / <", "sort by the next / previous column"),
    ("S", "reverse the sort"),
    ("p or space", "pause the display (polling continues); again to resume"),
    ("r", "refresh every feed now (still within the rate limit)"),
    ("a", "alerts: what is firing now and since when, and today's raised / cleared"),
    ("i", "intraday: today's intervals and chart, the floor's or the selected queue's"),
    ("w", "wallboard: big numbers for a wall screen"),
    ("t", "next colour theme"),
    ("e", "export the current pane (as shown: filter and sort applied) to a CSV file here"),
    ("ctrl+p", "command palette"),
]
LEGEND = (
    "Sorting: ↓ largest or longest first, ↑ smallest or shortest first (A to Z for text). "
    "Changes: a changed cell is highlighted for a few seconds, numbers show ↑/↓; "
    "+ marks a new row, × a row that just went. Agent states: ● available, ◉ on a call or "
    "chat, ◐ wrap-up, ◌ away (break, meal …), ○ offline. "
    "Forecasts (queues' SL next and Need, the wallboard's agents short) are italic in their "
    "own colour and start with ~: an Erlang estimate, never a measured figure; Need ends "
    "with ! when the queue has fewer agents than it needs, SL next says unstable when "
    "its agents cannot keep up at all."
)


class HelpScreen(ModalScreen[None]):
    """Every key; ``extra`` adds rows (e.g. the replay keys) after the app's own."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 96; height: auto; max-height: 90%;
        border: round $ccmon-border-focus; background: $surface; padding: 1 2;
    }
    """

    legend: ClassVar[str] = LEGEND

    def __init__(self, extra: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__()
        self.keys = [*KEYS, *extra]

    def compose(self) -> ComposeResult:
        # Two columns, so that on 80 columns a description wraps under itself, not under the key.
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        for key, what in self.keys:
            table.add_row(Text(key, style="bold"), Text(what))
        with VerticalScroll():
            yield Static("ccmon keys", classes="title", markup=False)
            yield Static(table)
            yield Static("\n" + self.legend, markup=False)
