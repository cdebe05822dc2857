"""A titled box holding one RecordTable, with its filter box."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input

from ccmon.ui.widgets.record_table import RecordTable


class Pane(Vertical):
    """Border title: name, rows, sort and filter; border subtitle: the pane's summary."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
    ]

    DEFAULT_CSS = """
    Pane {
        border: round $ccmon-border;
        border-title-color: $foreground;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        height: 1fr;
        &:focus-within { border: round $ccmon-border-focus; }
        & > Input.filter { display: none; height: 1; border: none; padding: 0 1; }
        & > Input.filter.-shown { display: block; }
    }
    """

    title: ClassVar[str] = "Pane"
    number: ClassVar[int] = 0

    def __init__(self, table: RecordTable[Any], *, id: str) -> None:
        super().__init__(id=id)
        self.table = table
        self.summary = ""

    def compose(self) -> ComposeResult:
        yield self.table
        yield Input(placeholder="filter (Esc clears)", classes="filter")

    def on_mount(self) -> None:
        self.update_title()

    def update_title(self) -> None:
        table = self.table
        column = table.columns[table.sort_index].title
        parts = [f"{self.number} {self.title}", f"{table.live_count}"]
        if table.filter_text:
            parts.append(f"/{table.filter_text}/ {table.row_count} shown")
        parts.append(f"by {column}{' ↓' if table.sort_reverse else ''}")
        self.border_title = " · ".join(parts)
        self.border_subtitle = self.summary

    def action_filter(self) -> None:
        box = self.query_one(Input)
        box.add_class("-shown")
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.table.filter_text = event.value
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
