"""A virtual table for keyed records that shows what changed.

Textual's DataTable redraws the whole visible table on every ``update_cell`` and removes rows
in O(n); a monitor at 5,000 agents updates hundreds of cells a tick. This widget uses the
Line API instead (as toolong does): it renders only the lines Textual asks for, refreshes
only rows whose values changed, and refreshes ticking columns (time in state) as a narrow
region, so a steady screen writes a few bytes per second over SSH.

Change display, all driven by the values the columns compute:

* a changed cell is highlighted for ``flash_s`` seconds, numbers with ↑/↓ against the old value;
* a new row is marked ``+`` for ``flash_s``; a removed row lingers as a dimmed ``×`` tombstone for
  ``tombstone_s`` before it goes;
* nothing here runs a timer: the app calls :meth:`RecordTable.tick` from its one decay timer.

Values from APIs are written as plain segments, never parsed as markup.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

if TYPE_CHECKING:
    from ccmon.ui.options import UiOptions

T = TypeVar("T")

GUTTER = 2
NEW, GONE = "+", "×"
LEVEL_MARKS = {"warn": "!", "bad": "!!"}
UP, DOWN = "↑", "↓"


def _plain(value: object, now: float) -> str:
    return "—" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class Column(Generic[T]):
    key: str
    title: str
    value: Callable[[T], Any]
    """The raw value: compared to detect change and used to sort."""
    fmt: Callable[[Any, float], str] = _plain
    """Value and wall-clock time (epoch seconds) to text."""
    width: int = 6
    flex: int = 0
    """Share of the width left over once every column has its minimum."""
    align: Literal["left", "right"] = "left"
    ticking: bool = False
    """Shown relative to the clock (e.g. time in state): redrawn every tick, never flashed."""
    arrows: bool = False
    """Numeric: a change shows ↑ or ↓ next to the new value."""
    drop: int = 0
    """On a narrow screen, columns with the highest ``drop`` are hidden first (0: never)."""
    style: Callable[[Any], str | None] | None = None
    """Component class (declared by the table) for the value, e.g. an agent state colour."""
    middle: bool = False
    """A path: shorten it before its last part ("Main Li…/Internet"), which tells it apart."""
    marks: bool = False
    """A threshold level from ``style`` (``…--warn``, ``…--bad``) also shows as ``!``/``!!``
    after the value, so that colour is never the only signal (NO_COLOR, mono)."""
    from_width: int = 0
    """Shown only in a table at least this wide: an extra that waits until the names beside
    it have their room (``drop`` alone shows a column as soon as its minimum fits)."""
    max_width: int = 0
    """A flex column grows no wider than this (0: no limit): width left over goes to the
    columns a narrower screen hides, not into one long name."""
    order: Callable[[Any], Any] | None = None
    """The value to sort by, growing with what is shown, e.g. minus a start time shown as an
    age: so ↓ (descending) always means largest or longest first."""
    desc: bool = False
    """Picked with ``s``, F6 or its key, sorts largest first (numbers and ages always do)."""

    @property
    def largest_first(self) -> bool:
        return self.desc or self.arrows or self.ticking


@dataclass(slots=True)
class _Row(Generic[T]):
    key: str
    record: T
    values: tuple[Any, ...]
    search: str
    added_at: float | None = None
    removed_at: float | None = None
    flash: dict[int, tuple[float, str]] = field(default_factory=dict)
    """Column index → (highlight until, arrow)."""


class RecordTable(ScrollView, Generic[T], can_focus=True):
    """Keyed rows, one header line, sorting, filtering, a cursor, change highlighting."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "cursor_to(0)", "First", show=False),
        Binding("end,G", "cursor_to(-1)", "Last", show=False),
        Binding("enter", "select", "Details"),
        Binding("s", "sort_next", "Sort"),
        Binding("S", "sort_reverse", "Reverse", show=False),
        Binding("greater_than_sign", "sort_next", "Sort by the next column", show=False),
        Binding("less_than_sign", "sort_previous", "Sort by the previous column", show=False),
        Binding("f6,o", "sort_pick", "Sort by", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-table--header",
        "record-table--sorted",
        "record-table--cursor",
        "record-table--changed",
        "record-table--new",
        "record-table--gone",
        "record-table--good",
        "record-table--warn",
        "record-table--bad",
        "record-table--muted",
        "record-table--forecast",
        "record-table--forecast-short",
        "state--available",
        "state--in_call",
        "state--in_chat",
        "state--wrap_up",
        "state--away",
        "state--offline",
        "state--other",
    }

    DEFAULT_CSS = """
    RecordTable {
        background: $surface;
        color: $foreground;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        & > .record-table--header { text-style: bold; color: $ccmon-muted; }
        & > .record-table--sorted { text-style: bold underline; color: $foreground; }
        & > .record-table--cursor { background: $ccmon-cursor; }
        &:focus > .record-table--cursor { background: $ccmon-cursor-focus; }
        & > .record-table--changed { background: $ccmon-flash; text-style: bold; }
        & > .record-table--new { color: $ccmon-new; text-style: bold; }
        & > .record-table--gone { color: $ccmon-gone; text-style: strike; }
        & > .record-table--good { color: $ccmon-good; }
        & > .record-table--warn { color: $ccmon-warn; text-style: bold; }
        & > .record-table--bad { color: $ccmon-bad; text-style: bold; }
        & > .record-table--muted { color: $ccmon-muted; }
        & > .record-table--forecast { color: $ccmon-forecast; text-style: italic; }
        & > .record-table--forecast-short { color: $ccmon-forecast; text-style: bold italic; }
        & > .state--available { color: $ccmon-available; text-style: bold; }
        & > .state--in_call { color: $ccmon-in-call; }
        & > .state--in_chat { color: $ccmon-in-chat; }
        & > .state--wrap_up { color: $ccmon-wrap-up; }
        & > .state--away { color: $ccmon-away; }
        & > .state--offline { color: $ccmon-offline; }
        & > .state--other { color: $ccmon-muted; }
    }
    """

    class Selected(Message):
        """Enter on a row."""

        def __init__(self, table: RecordTable[Any], key: str, record: Any) -> None:
            super().__init__()
            self.table = table
            self.key = key
            self.record = record

        @property
        def control(self) -> RecordTable[Any]:
            return self.table

    class SortChanged(Message):
        """The sort column or direction changed (the pane's title says which)."""

    filter_text: reactive[str] = reactive("", init=False)

    def __init__(
        self,
        columns: Sequence[Column[T]],
        *,
        sort: str | None = None,
        reverse: bool = False,
        flash_s: float = 3.0,
        tombstone_s: float = 4.0,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = list(columns)
        keys = [c.key for c in self.columns]
        self.sort_index = keys.index(sort) if sort in keys else 0
        self.sort_reverse = reverse
        self.flash_s = flash_s
        self.tombstone_s = tombstone_s
        self._clock = clock
        self._wall = wall
        self._rows: dict[str, _Row[T]] = {}
        self._order: list[str] = []
        self._order_dirty = True
        self._cursor_key: str | None = None
        self._cursor = 0
        self._layout: list[tuple[int, int, int]] = []
        self._layout_width = -1
        self._style_cache: dict[str, Style] = {}

    @classmethod
    def for_options(
        cls,
        columns: Sequence[Column[T]],
        options: UiOptions,
        *,
        sort: str,
        reverse: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> RecordTable[T]:
        """A table with the app's highlight timings and clocks."""
        return cls(
            columns,
            sort=sort,
            reverse=reverse,
            flash_s=options.flash_s,
            tombstone_s=options.tombstone_s,
            clock=options.clock,
            wall=options.wall,
            id=id,
            classes=classes,
        )

    # -- data in -----------------------------------------------------------------------------
    def _make_row(self, key: str, record: T) -> _Row[T]:
        values = tuple(col.value(record) for col in self.columns)
        search = " ".join(str(v) for v in values if isinstance(v, str)).lower()
        return _Row(key, record, values, search)

    def apply(
        self,
        added: Mapping[str, T] = {},
        removed: Iterable[str] = (),
        changed: Mapping[str, T] = {},
        *,
        highlight: bool = True,
    ) -> None:
        """Apply one diff. ``highlight=False`` for the initial fill (nothing is "new")."""
        now = self._clock()
        dirty_keys: set[str] = set()
        for key, record in {**added, **changed}.items():
            new = self._make_row(key, record)
            old = self._rows.get(key)
            if old is None or old.removed_at is not None:
                new.added_at = now if highlight else None
                self._rows[key] = new
                self._order_dirty = True
                continue
            if old.values == new.values and old.record == new.record:
                continue  # nothing to show: no repaint, no flash
            self._rows[key] = self._merge(old, new, now if highlight else None)
            if old.values[self.sort_index] != new.values[self.sort_index] or (
                old.search != new.search and self.filter_text
            ):
                self._order_dirty = True
            if old.values != new.values:
                dirty_keys.add(key)
        for key in removed:
            row = self._rows.get(key)
            if row is None or row.removed_at is not None:
                continue
            if highlight and self.tombstone_s > 0:
                row.removed_at = now
                dirty_keys.add(key)
            else:
                del self._rows[key]
                self._order_dirty = True
        self._after_change(dirty_keys)

    def replace(self, records: Mapping[str, T], *, highlight: bool = True) -> None:
        """Make the rows exactly ``records`` (diffed here by key and value)."""
        current = {k for k, r in self._rows.items() if r.removed_at is None}
        added = {k: r for k, r in records.items() if k not in current}
        changed = {k: r for k, r in records.items() if k in current}
        self.apply(added, current - records.keys(), changed, highlight=highlight)

    def recompute(self, keys: Iterable[str] | None = None) -> None:
        """Re-evaluate the rows' values (a column reads context that changed): every row, or
        those of ``keys``."""
        rows = self._rows if keys is None else {k: self._rows[k] for k in keys if k in self._rows}
        self.apply(changed={k: r.record for k, r in rows.items() if r.removed_at is None})

    def _merge(self, old: _Row[T], new: _Row[T], now: float | None) -> _Row[T]:
        new.added_at, new.flash = old.added_at, old.flash
        if now is None:
            return new
        for index, (before, after) in enumerate(zip(old.values, new.values, strict=True)):
            column = self.columns[index]
            if before == after or before is None or column.ticking:
                continue  # a value arriving where there was none is data, not a change
            arrow = ""
            if column.arrows and isinstance(before, int | float) and isinstance(after, int | float):
                arrow = UP if after > before else DOWN
            new.flash[index] = (now + self.flash_s, arrow)
        return new

    def _after_change(self, dirty_keys: set[str]) -> None:
        """Repaint only the visible lines whose row moved or whose values changed."""
        before = self._order
        if self._order_dirty:
            self._rebuild_order()
        top = self.scroll_offset.y
        visible = range(top, min(len(self._order), top + max(0, self.size.height - 1)))
        for index in visible:
            key = self._order[index]
            if key in dirty_keys or index >= len(before) or before[index] != key:
                self.refresh_line(index + 1)
        for index in range(len(self._order), min(len(before), top + self.size.height)):
            self.refresh_line(index + 1)  # rows that emptied at the bottom

    # -- the clock -------------------------------------------------------------------------
    def tick(self) -> None:
        """Expire highlights and tombstones; redraw ticking columns. Called by the app timer."""
        now = self._clock()
        expired_rows = [
            key
            for key, row in self._rows.items()
            if row.removed_at is not None and now - row.removed_at >= self.tombstone_s
        ]
        for key in expired_rows:
            del self._rows[key]
            self._order_dirty = True
        redraw: set[str] = set()
        for key, row in self._rows.items():
            if row.added_at is not None and now - row.added_at >= self.flash_s:
                row.added_at = None
                redraw.add(key)
            if row.flash:
                done = [i for i, (until, _) in row.flash.items() if until <= now]
                for index in done:
                    del row.flash[index]
                if done:
                    redraw.add(key)
        self._after_change(redraw)
        self._refresh_ticking()

    def _refresh_ticking(self) -> None:
        """Repaint the ticking columns of the rows on screen (not the empty lines below)."""
        shown = min(len(self._order) - self.scroll_offset.y, self.size.height - 1)
        if shown <= 0:
            return
        for index, x, width in self._layout_for(self.size.width):
            if self.columns[index].ticking:
                self.refresh(Region(x, 1, width, shown))

    # -- order, filter, sort -----------------------------------------------------------------
    def _rebuild_order(self) -> None:
        needle = self.filter_text.strip().lower()
        rows = [r for r in self._rows.values() if not needle or needle in r.search]
        index = self.sort_index
        order = self.columns[index].order
        values = {
            row.key: row.values[index]
            if order is None or row.values[index] is None
            else order(row.values[index])
            for row in rows
        }

        def key(row: _Row[T]) -> tuple[bool, Any, str]:
            value = values[row.key]
            return (value is None, value if value is not None else 0, row.key)

        try:
            rows.sort(key=key, reverse=self.sort_reverse)
        except TypeError:  # mixed types in one column: sort by text instead
            rows.sort(key=lambda r: (str(values[r.key]), r.key), reverse=self.sort_reverse)
        if self.sort_reverse:  # keep empty values last either way
            rows.sort(key=lambda r: values[r.key] is None)
        self._order = [row.key for row in rows]
        self._order_dirty = False
        self.virtual_size = Size(self.size.width, len(self._order) + 1)
        if self._cursor_key in self._rows and self._cursor_key in self._order:
            self._cursor = self._order.index(self._cursor_key)
        self._cursor = min(self._cursor, max(0, len(self._order) - 1))

    def watch_filter_text(self) -> None:
        self._order_dirty = True
        self._after_change(set())

    def sort_by(self, key: str, reverse: bool | None = None) -> None:
        self.sort_index = [c.key for c in self.columns].index(key)
        if reverse is not None:
            self.sort_reverse = reverse
        self._resorted()

    @property
    def visible_columns(self) -> list[Column[T]]:
        """The columns on screen now, left to right."""
        return [self.columns[i] for i, _, _ in self._layout_for(self.size.width)]

    def pick_sort(self, key: str) -> None:
        """Sort by ``key``, largest first for numbers and ages; the sorted column reverses."""
        index = [c.key for c in self.columns].index(key)
        if index == self.sort_index:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_index = index
            self.sort_reverse = self.columns[index].largest_first
        self._resorted()

    def _step_sort(self, step: int) -> None:
        visible = [i for i, _, _ in self._layout_for(self.size.width)] or [0]
        if self.sort_index in visible:
            following = visible[(visible.index(self.sort_index) + step) % len(visible)]
        else:
            following = visible[0]
        self.sort_index = following
        self.sort_reverse = self.columns[following].largest_first
        self._resorted()

    def action_sort_next(self) -> None:
        self._step_sort(1)

    def action_sort_previous(self) -> None:
        self._step_sort(-1)

    def action_sort_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._resorted()

    def action_sort_pick(self) -> None:
        from ccmon.ui.screens.sort import SortScreen

        def chosen(key: str | None) -> None:
            if key is not None:
                self.pick_sort(key)

        self.app.push_screen(
            SortScreen(self.visible_columns, self.columns[self.sort_index]), chosen
        )

    def _resorted(self) -> None:
        self._layout_width = -1  # the sorted column is wide enough for its title and arrow
        self.refresh()
        self._order_dirty = True
        self.refresh_line(0)  # the header's arrow moves with the sort
        self._after_change(set())
        self.post_message(self.SortChanged())

    # -- reading -----------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        """Rows shown (filter applied, tombstones included)."""
        return len(self._order)

    @property
    def live_count(self) -> int:
        return sum(1 for row in self._rows.values() if row.removed_at is None)

    def ordered_records(self) -> list[T]:
        """The records in screen order, filter applied, tombstones left out."""
        return [self._rows[k].record for k in self._order if self._rows[k].removed_at is None]

    def cell_text(self, key: str, column: str) -> str:
        row = self._rows[key]
        index = [c.key for c in self.columns].index(column)
        return self.columns[index].fmt(row.values[index], self._wall())

    def highlighted(self, key: str) -> set[str]:
        """Column keys of ``key`` highlighted now (for tests and the detail view)."""
        row = self._rows.get(key)
        if row is None:
            return set()
        return {self.columns[i].key for i in row.flash}

    def marker(self, key: str) -> str:
        row = self._rows.get(key)
        if row is None:
            return ""
        return GONE if row.removed_at is not None else NEW if row.added_at is not None else ""

    @property
    def cursor_record(self) -> T | None:
        if not self._order:
            return None
        row = self._rows.get(self._order[self._cursor])
        return None if row is None else row.record

    # -- cursor --------------------------------------------------------------------------------
    def _move_cursor(self, index: int) -> None:
        if not self._order:
            return
        old = self._cursor
        self._cursor = max(0, min(index, len(self._order) - 1))
        self._cursor_key = self._order[self._cursor]
        self.refresh_line(old + 1)
        self.refresh_line(self._cursor + 1)
        top = self.scroll_offset.y
        visible = max(1, self.size.height - 1)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + visible:
            self.scroll_to(y=self._cursor - visible + 1, animate=False)

    def action_cursor(self, delta: int) -> None:
        self._move_cursor(self._cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_cursor(self._cursor + direction * max(1, self.size.height - 2))

    def action_cursor_to(self, index: int) -> None:
        self._move_cursor(index if index >= 0 else len(self._order) - 1)

    def action_select(self) -> None:
        if self._order:
            key = self._order[self._cursor]
            self.post_message(self.Selected(self, key, self._rows[key].record))

    # -- rendering -----------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache.clear()

    def _style(self, name: str) -> Style:
        style = self._style_cache.get(name)
        if style is None:
            style = self._style_cache[name] = self.get_component_rich_style(name, partial=True)
        return style

    def _layout_for(self, width: int) -> list[tuple[int, int, int]]:
        """(column index, x, width) of the columns that fit in ``width``."""
        if width == self._layout_width:
            return self._layout
        usable = max(0, width - GUTTER - 1)  # one cell for the scrollbar
        shown = [i for i, c in enumerate(self.columns) if width >= c.from_width]
        # The sorted column fits its whole title and the arrow ("In state↓", not "In sta…↓").
        widths = [c.width for c in self.columns]
        sorted_column = self.columns[self.sort_index]
        widths[self.sort_index] = max(sorted_column.width, cell_len(sorted_column.title) + 1)

        def need(indices: list[int]) -> int:
            return sum(widths[i] for i in indices) + max(0, len(indices) - 1)

        while need(shown) > usable and any(self.columns[i].drop for i in shown):
            shown.remove(max(shown, key=lambda i: (self.columns[i].drop, i)))
        spare = max(0, usable - need(shown))
        # Spare width goes to the flex columns by share, each up to its max_width; what a
        # capped column leaves goes round again to the others.
        grown = dict.fromkeys(shown, 0)
        while spare > 0:
            open_ = [
                i
                for i in shown
                if self.columns[i].flex
                and not (
                    self.columns[i].max_width and widths[i] + grown[i] >= self.columns[i].max_width
                )
            ]
            if not open_:
                break
            total = sum(self.columns[i].flex for i in open_)
            given = 0
            for i in open_:
                column = self.columns[i]
                share = max(1, spare * column.flex // total) if spare >= len(open_) else 1
                if column.max_width:
                    share = min(share, column.max_width - widths[i] - grown[i])
                share = min(share, spare - given)
                grown[i] += share
                given += share
                if given >= spare:
                    break
            spare -= given
            if not given:
                break
        layout: list[tuple[int, int, int]] = []
        x = GUTTER
        for i in shown:
            w = widths[i] + grown[i]
            layout.append((i, x, w))
            x += w + 1
        self._layout, self._layout_width = layout, width
        return layout

    def on_resize(self) -> None:
        self._layout_width = -1
        self.virtual_size = Size(self.size.width, len(self._order) + 1)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            return self._render_header(width, base)
        index = self.scroll_offset.y + y - 1
        if self._order_dirty:
            self._rebuild_order()
        if index >= len(self._order):
            return Strip.blank(width, base)
        return self._render_row(self._rows[self._order[index]], index, width, base)

    @staticmethod
    def _fit(text: str, width: int, align: str, middle: bool = False) -> str:
        if cell_len(text) > width:
            if width <= 1:
                return text[:width]
            if not middle or "/" not in text:
                return set_cell_size(text, width - 1) + "…"
            # A path: its last part tells queues apart ("Main Line/…/Internet").
            leaf = text.rpartition("/")[2]
            if cell_len(leaf) + 2 > width:
                return set_cell_size(leaf, width - 1) + "…"
            head = width - 2 - cell_len(leaf)
            return set_cell_size(text, head) + "…/" + leaf if head else "…/" + leaf
        pad = " " * (width - cell_len(text))
        return pad + text if align == "right" else text + pad

    def _render_header(self, width: int, base: Style) -> Strip:
        header = base + self._style("record-table--header")
        sorted_style = base + self._style("record-table--sorted")
        segments = [Segment(" " * GUTTER, header)]
        for index, _x, w in self._layout_for(width):
            column = self.columns[index]
            title = column.title
            if index == self.sort_index:  # shorten the title, never the arrow
                title = self._fit(title, w - 1, "left").rstrip() + (
                    DOWN if self.sort_reverse else UP
                )
            style = sorted_style if index == self.sort_index else header
            segments += [Segment(self._fit(title, w, column.align), style), Segment(" ", header)]
        return Strip(segments).crop_extend(0, width, header)

    def _render_row(self, row: _Row[T], index: int, width: int, base: Style) -> Strip:
        now, wall = self._clock(), self._wall()
        # Only the focused table marks its row: one cursor on screen, where the keys go.
        cursor = index == self._cursor and self.has_focus
        row_style = base + self._style("record-table--cursor") if cursor else base
        marker = ""
        if row.removed_at is not None:
            marker = GONE
            row_style += self._style("record-table--gone")
        elif row.added_at is not None:
            marker = NEW
        gutter_style = row_style + self._style("record-table--new") if marker == NEW else row_style
        segments = [Segment(self._fit(marker, GUTTER, "left"), gutter_style)]
        for col_index, _x, w in self._layout_for(width):
            column = self.columns[col_index]
            value = row.values[col_index]
            text = column.fmt(value, wall)
            style = row_style
            mark = ""
            if column.style is not None and row.removed_at is None:
                name = column.style(value)
                if name:
                    style += self._style(name)
                    if column.marks:
                        mark = LEVEL_MARKS.get(name.rpartition("--")[2], "")
            flash = row.flash.get(col_index)
            if flash is not None and flash[0] > now:
                style += self._style("record-table--changed")
                if flash[1]:
                    text = f"{text}{flash[1]}"
            text += mark
            cell = self._fit(text, w, column.align, column.middle)
            segments += [Segment(cell, style), Segment(" ", row_style)]
        return Strip(segments).crop_extend(0, width, row_style)
