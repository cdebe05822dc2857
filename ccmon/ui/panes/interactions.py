"""Recent calls and chats, newest first: CCAI calls and chats and Evo sessions merged."""

from __future__ import annotations

from datetime import datetime

from ccmon.domain import Collection, Interaction, Phase
from ccmon.privacy import mask
from ccmon.ui import format as fmt
from ccmon.ui.options import UiOptions
from ccmon.ui.widgets.columns import clock, ranked
from ccmon.ui.widgets.pane import Pane
from ccmon.ui.widgets.record_table import Column, RecordTable

PHASE_STYLE = {
    Phase.WAITING: "record-table--warn",
    Phase.ACTIVE: "state--in_call",
    Phase.ENDED: "record-table--muted",
    Phase.ABANDONED: "record-table--bad",
    Phase.FAILED: "record-table--bad",
    Phase.OTHER: None,
}
PHASES = list(PHASE_STYLE)


def _ticking(since: datetime | None, fixed: int | None) -> tuple[bool, float]:
    """(counting, since when) for a figure still growing, else (done, seconds; -1 unknown):
    sortable, and the clock turns the first kind into seconds on every tick."""
    if since is not None:
        return (True, since.timestamp())
    return (False, -1.0 if fixed is None else float(fixed))


def _wait(contact: Interaction) -> tuple[bool, float]:
    """A contact still waiting shows the time since it came in, ticking; the vendor reports
    its wait once it is answered or abandoned."""
    return _ticking(contact.waiting_since, contact.wait_s)


def _duration(contact: Interaction) -> tuple[bool, float] | None:
    """None (—) while it waits; ticking from the answer while it is in progress."""
    if contact.phase is Phase.WAITING:
        return None
    return _ticking(contact.talking_since, contact.duration_s)


def _seconds(value: tuple[bool, float] | None, now: float) -> float | None:
    """The seconds a ticking figure shows at ``now`` (None: unknown)."""
    if value is None:
        return None
    counting, seconds = value
    if counting:
        return now - seconds
    return None if seconds < 0 else seconds


def _show_ticking(value: tuple[bool, float] | None, now: float) -> str:
    return fmt.DASH if value is None else fmt.duration(_seconds(value, now))


DIRECTION = {"inbound": "in", "incoming": "in", "outbound": "out", "outgoing": "out"}


def _show_direction(value: str | None, now: float) -> str:
    return fmt.DASH if value is None else DIRECTION.get(value, value)


def columns(options: UiOptions) -> list[Column[Interaction]]:
    customer = (lambda i: mask(i.customer)) if options.mask_pii else (lambda i: i.customer)
    return [
        clock("time", "Time", lambda i: i.created_at, 8, desc=True),  # newest first
        Column("kind", "Kind", lambda i: i.kind, width=4),
        Column("queue", "Queue", lambda i: i.queue, width=12, flex=4, max_width=40, middle=True),
        Column("agent", "Agent", lambda i: i.agent, width=10, flex=2, max_width=24, drop=2),
        ranked(
            "status",
            "Status",
            lambda i: PHASES.index(i.phase),
            lambda i: i.status,
            9,
            flex=1,
            max_width=18,
            style=lambda v: PHASE_STYLE[PHASES[v[0]]],
        ),
        Column(
            "wait",
            "Wait",
            _wait,
            fmt=_show_ticking,
            width=5,
            align="right",
            ticking=True,
            order=lambda v: _seconds(v, options.wall()),
        ),
        Column(
            "duration",
            "Dur",
            _duration,
            fmt=_show_ticking,
            width=5,
            align="right",
            ticking=True,
            order=lambda v: _seconds(v, options.wall()),
            drop=4,
        ),
        Column("customer", "Customer", customer, width=10, flex=1, max_width=24, drop=5),
        # Extras once queue and agent names have their room (a 250-column screen, or zoom).
        Column(
            "direction",
            "Dir",
            lambda i: i.direction,
            fmt=_show_direction,
            width=4,
            drop=6,
            from_width=110,
        ),
        Column("id", "ID", lambda i: i.id, width=10, drop=7, from_width=120),
        Column("source", "Src", lambda i: i.source, width=4, drop=3),
    ]


class InteractionsPane(Pane):
    title = "Recent calls & chats"
    number = 4
    noun = "contacts"
    collections = frozenset({Collection.INTERACTIONS})

    def __init__(self, options: UiOptions) -> None:
        table: RecordTable[Interaction] = RecordTable.for_options(
            columns(options), options, sort="time", reverse=True, id="interactions-table"
        )
        super().__init__(table, id="interactions")
