"""The ALO period action board: a lane per status (kanban) where every lane in use gets at
least ``MIN_LANE`` columns, else one grouped table (it reads best). Lanes without actions
collapse, so the width goes to the lanes in use. Both views are fed the same diffs; a class
on the pane shows one of them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from ccmon.domain import Action, Collection
from ccmon.engine.diff import Diff
from ccmon.ui.lanes import LANES
from ccmon.ui.options import UiOptions
from ccmon.ui.widgets.columns import age, clock, ranked
from ccmon.ui.widgets.pane import Pane, new_records, records_of
from ccmon.ui.widgets.record_table import Column, RecordTable

OTHER = "other"
MIN_LANE = 40
"""A lane's action, assignees and age at their minimum widths (18 + 10 + 7, the gaps, the
gutter and the scrollbar). Narrower, a lane cuts actions to "Callb…" and ages to "1:": the
grouped table instead."""


def lane_of(action: Action) -> str:
    status = action.status.lower()
    if status == "cancelled":
        return "canceled"
    return status if status in LANES else OTHER


def _order(status: str) -> int:
    return LANES.index(status) if status in LANES else len(LANES)


def _what(action: Action) -> str:
    parts = [p for p in (action.classification, action.sub_classification) if p]
    return " / ".join(parts) or "—"


def _who(action: Action) -> str:
    return ", ".join(action.assignees) or "unassigned"


def _since(action: Action) -> datetime | None:
    """When the action took its status (the vendor may not say: then its creation)."""
    return action.status_since or action.created_at


def lane_columns() -> list[Column[Action]]:
    return [
        Column("what", "Action", _what, width=18, flex=4),
        Column("who", "Who", _who, width=10, flex=2, max_width=24),
        age("age", "Age", _since, 7),
    ]


def table_columns() -> list[Column[Action]]:
    return [
        ranked("status", "Status", lambda a: _order(a.status), lambda a: a.status, 9),
        Column("id", "ID", lambda a: a.id, width=6, drop=4),
        Column("what", "Action", _what, width=12, flex=3),
        Column("who", "Assignees", _who, width=10, flex=2, drop=2),
        clock("created", "Created", lambda a: a.created_at, 8, drop=3),
        age("age", "In status", _since, 9),
    ]


class BoardPane(Pane):
    title = "ALO action board"
    number = 5
    noun = "actions in this period"
    collections = frozenset({Collection.ACTIONS})

    DEFAULT_CSS = """
    BoardPane #lanes { height: 1fr; }
    BoardPane .lane {
        width: 1fr; height: 1fr;
        border-top: solid $ccmon-border; border-title-color: $foreground;
    }
    BoardPane .lane.-empty { display: none; }  /* the info line names the empty ones */
    BoardPane #board-table { display: none; }
    BoardPane.-grouped #lanes { display: none; }
    BoardPane.-grouped #board-table { display: block; }
    """

    def __init__(self, options: UiOptions) -> None:
        grouped = RecordTable.for_options(table_columns(), options, sort="status", id="board-table")
        super().__init__(grouped, id="board")
        self.lanes: dict[str, RecordTable[Action]] = {
            lane: RecordTable.for_options(
                lane_columns(),
                options,
                sort="age",
                reverse=True,  # oldest first
                id=f"lane-{lane}",
                classes="lane",
            )
            for lane in (*LANES, OTHER)
        }
        self._lane_of: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="lanes"):
            yield from self.lanes.values()
        yield self.table
        yield Static("", classes="pane-info", markup=False)
        yield Input(placeholder="filter (Esc clears)", classes="filter")

    def apply_diff(self, collection: Collection, diff: Diff, *, highlight: bool) -> None:
        self.apply(
            records_of(diff.added, Action),
            diff.removed.keys(),
            records_of(new_records(diff), Action),
            highlight=highlight,
        )

    def apply(
        self,
        added: Mapping[str, Action],
        removed: Iterable[str],
        changed: Mapping[str, Action],
        *,
        highlight: bool = True,
    ) -> None:
        removed = list(removed)
        self.table.apply(added, removed, changed, highlight=highlight)
        for key in removed:
            lane = self._lane_of.pop(key, None)
            if lane is not None:
                self.lanes[lane].apply(removed=[key], highlight=highlight)
        for key, action in {**added, **changed}.items():
            lane = lane_of(action)
            before = self._lane_of.get(key)
            if before is not None and before != lane:
                self.lanes[before].apply(removed=[key], highlight=highlight)
            target = {key: action}
            if before == lane:
                self.lanes[lane].apply(changed=target, highlight=highlight)
            else:
                self.lanes[lane].apply(added=target, highlight=highlight)
            self._lane_of[key] = lane
        self.update_lane_titles()

    @property
    def grouped(self) -> bool:
        """The grouped table is shown, not the lanes."""
        return self.has_class("-grouped")

    def update_lane_titles(self) -> None:
        counts = Counter(self._lane_of.values())
        for lane, table in self.lanes.items():
            title = f"{lane.upper()} {counts[lane]}"
            if table.border_title != title:
                table.border_title = title
            table.set_class(not counts[lane], "-empty")
        self._choose_view(counts)

    def _choose_view(self, counts: Counter[str] | None = None) -> None:
        counts = Counter(self._lane_of.values()) if counts is None else counts
        used = [lane for lane in self.lanes if counts[lane]]
        width = self.content_size.width
        grouped = not used or width // len(used) < MIN_LANE
        empty = [lane for lane in LANES if not counts[lane]]
        self.summary = "" if grouped or not empty else f"no {', '.join(empty)}"
        if grouped == self.grouped:
            return
        focused = self.app.focused if self.is_mounted else None
        had_focus = focused is not None and self in focused.ancestors_with_self
        self.set_class(grouped, "-grouped")
        if had_focus:
            self.focus_target().focus()

    def focus_target(self) -> RecordTable[Action]:
        if self.grouped:
            return self.table
        counts = Counter(self._lane_of.values())
        return next((t for lane, t in self.lanes.items() if counts[lane]), self.table)

    def on_resize(self) -> None:
        self._choose_view()

    def on_input_changed(self, event: Input.Changed) -> None:
        for lane in self.lanes.values():  # the lanes show the same actions: filter them too
            lane.filter_text = event.value
        super().on_input_changed(event)

    def tick(self) -> None:
        super().tick()
        for table in self.lanes.values():
            table.tick()

    def on_mount(self) -> None:
        super().on_mount()
        self.update_lane_titles()
