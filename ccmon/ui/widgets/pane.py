"""A titled box holding one RecordTable, an info line and a filter box.

What changes with the data (row count, the summary) lives in the info line, a widget of its
own: a changed border title would repaint the whole pane on the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from ccmon.domain import Collection, Record
from ccmon.engine.diff import Diff
from ccmon.engine.metrics import FloorMetrics
from ccmon.text import plural
from ccmon.ui.widgets.record_table import RecordTable

R = TypeVar("R")


def new_records(diff: Diff) -> dict[str, Record]:
    """The changed records of ``diff`` as they are now, by key."""
    return {key: change.new for key, change in diff.changed.items()}


def records_of(records: Mapping[str, object], kind: type[R]) -> dict[str, R]:
    """The records of type ``kind`` (a diff maps keys to any record type)."""
    return {key: record for key, record in records.items() if isinstance(record, kind)}


class Pane(Vertical):
    """Border title: name, sort and filter (they change on a key press); info line: rows and
    the pane's summary (they change with the data)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
    ]

    DEFAULT_CSS = """
    Pane {
        border: round $ccmon-border;
        border-title-color: $foreground;
        border-title-style: bold;
        border-subtitle-color: $ccmon-muted;
        height: 1fr;
        &:focus-within { border: round $ccmon-border-focus; }
        & > .pane-info { height: 1; color: $ccmon-muted; padding: 0 1; }
        & > Input.filter { display: none; height: 1; border: none; padding: 0 1; }
        & > Input.filter.-shown { display: block; }
    }
    """

    title: ClassVar[str] = "Pane"
    number: ClassVar[int] = 0
    noun: ClassVar[str] = "rows"
    collections: ClassVar[frozenset[Collection]] = frozenset()
    """The collections whose diffs :meth:`apply_diff` takes."""

    def __init__(self, table: RecordTable[Any], *, id: str) -> None:
        super().__init__(id=id)
        self.table = table
        self.summary = ""
        self._info = ""
        self._title = ""

    def compose(self) -> ComposeResult:
        yield self.table
        yield Static("", classes="pane-info", markup=False)
        yield Input(placeholder="filter (Esc clears)", classes="filter")

    def on_mount(self) -> None:
        self.update_title()

    def update_title(self) -> None:
        table = self.table
        column = table.columns[table.sort_index].title
        parts = [f"{self.number} {self.title}"]
        if table.filter_text:
            parts.append(f"/{table.filter_text}/")
        parts.append(f"by {column} {'↓' if table.sort_reverse else '↑'}")
        title = " · ".join(parts)
        if title != self._title:
            self._title = title
            self.border_title = Content(title)  # not markup: the filter is what the user typed
        first, _, rest = self.noun.partition(" ")  # "actions in this period": one action …
        count = plural(table.live_count, f"{first.removesuffix('s')} {rest}".strip(), self.noun)
        summary = self.summary
        if table.filter_text:
            count = f"{table.row_count} of {count} match"
            summary = ""  # it counts the whole pane, not what matches
        info = " · ".join(part for part in (count, summary) if part)
        if info != self._info:
            self._info = info
            for line in self.query(".pane-info").results(Static):
                line.update(info, layout=False)

    def apply_diff(self, collection: Collection, diff: Diff, *, highlight: bool) -> None:
        """One diff of one of :attr:`collections`; by default its records are the rows."""
        self.table.apply(diff.added, diff.removed.keys(), new_records(diff), highlight=highlight)

    def show_metrics(self, metrics: FloorMetrics) -> None:
        """The floor's figures were computed again (after diffs, or on the clock)."""

    def tick(self) -> None:
        """The app's clock: expire highlights, redraw what ticks."""
        self.table.tick()

    def focus_target(self) -> RecordTable[Any]:
        """The table that takes the keys when the pane is shown."""
        return self.table

    def action_filter(self) -> None:
        box = self.query_one(Input)
        box.add_class("-shown")
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.table.filter_text = event.value
        self.update_title()

    def on_record_table_sort_changed(self) -> None:
        self.update_title()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.table.focus()

    def key_escape(self) -> bool:
        box = self.query_one(Input)
        if box.has_class("-shown"):
            box.value = ""
            box.remove_class("-shown")
            self.table.focus()
            return True
        return False
