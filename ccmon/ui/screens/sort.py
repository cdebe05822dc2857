"""F6: pick the column to sort by (htop's "Sort by"), one key per column shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ccmon.ui.widgets.record_table import Column

PICK_KEYS = "123456789" + "0"
"""The key of each column shown, left to right (a pane shows at most a dozen)."""


class SortScreen(ModalScreen[str | None]):
    """The columns on screen, each with its key; the one sorted now is marked. Dismisses
    with the column's key (the table then sorts by it, or reverses if it is the sorted one)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f6", "dismiss_none", "Close"),
    ]
    DEFAULT_CSS = """
    SortScreen { align: center middle; }
    SortScreen > Vertical {
        width: 46; height: auto; max-height: 90%;
        border: round $ccmon-border-focus; background: $surface; padding: 0 1;
    }
    SortScreen OptionList, SortScreen OptionList:focus {
        height: auto; max-height: 20; border: none; padding: 0;
    }
    SortScreen .hint { color: $ccmon-muted; }
    """

    def __init__(self, columns: Sequence[Column[Any]], current: Column[Any]) -> None:
        super().__init__()
        self.columns = list(columns)[: len(PICK_KEYS)]
        self.current = current

    def compose(self) -> ComposeResult:
        note = "  ◂ sorted now (again: reverse)"
        options = [
            Option(f"{key}  {column.title}{note if column is self.current else ''}", id=column.key)
            for key, column in zip(PICK_KEYS, self.columns, strict=False)
        ]
        with Vertical():
            yield Static("Sort by", classes="title", markup=False)
            menu = OptionList(*options, markup=False)
            if self.current in self.columns:
                menu.highlighted = self.columns.index(self.current)
            yield menu
            yield Static("the column's key or ⏎ · esc closes", classes="hint", markup=False)

    def on_key(self, event: Key) -> None:
        if event.character and event.character in PICK_KEYS:
            index = PICK_KEYS.index(event.character)
            if index < len(self.columns):
                event.stop()
                self.dismiss(self.columns[index].key)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
