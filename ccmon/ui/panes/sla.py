"""Service level per queue and per queue group: the vendor's figure and ours, side by side;
ours also over the last 15 minutes, where a rush or a recovery shows first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ccmon.domain import Collection, Sla
from ccmon.engine.diff import Diff
from ccmon.engine.metrics import FloorMetrics, sla_path
from ccmon.ui.options import UiOptions
from ccmon.ui.widgets.columns import count, service_level
from ccmon.ui.widgets.pane import Pane, new_records
from ccmon.ui.widgets.record_table import Column, RecordTable


@dataclass(frozen=True, slots=True)
class SlaRow:
    key: str
    source: str
    scope: str
    name: str
    channel: str
    vendor_pct: float | None
    computed_pct: float | None
    answered: int | None
    abandoned: int | None
    recent_pct: float | None = None
    """Ours over the policy's recent window (15 minutes)."""


def rows(metrics: FloorMetrics | None, vendor: Iterable[Sla]) -> dict[str, SlaRow]:
    """One row per queue (joined with the vendor's SL for its path) and per vendor row left."""
    result: dict[str, SlaRow] = {}
    by_path = {(s.scope, *sla_path(s)): s for s in vendor}
    if metrics is not None:
        for qm in metrics.queues.values():
            q = qm.queue
            key = f"{q.source}:queue:{q.channel}:{q.name}"
            reported = by_path.pop(("queue", *sla_path(q)), None)
            result[key] = SlaRow(
                key,
                q.source,
                "queue",
                q.name,
                q.channel,
                reported.sla_pct if reported else None,
                qm.sl_pct,
                qm.stats.answered,
                qm.stats.abandoned,
                qm.recent_sl_pct,
            )
    for s in by_path.values():
        key = f"{s.source}:{s.scope}:{s.channel}:{s.name}:{s.lang or ''}"
        name = f"{s.name} ({s.lang})" if s.lang and s.lang != "en" else s.name
        result[key] = SlaRow(key, s.source, s.scope, name, s.channel, s.sla_pct, None, None, None)
    return result


def columns(options: UiOptions) -> list[Column[SlaRow]]:
    return [
        Column(
            "name", "Queue / group", lambda r: r.name, width=16, flex=3, max_width=40, middle=True
        ),
        Column(
            "scope",
            "Scope",
            lambda r: "group" if r.scope == "queue_group" else "queue",
            width=5,
            drop=2,
        ),
        Column("channel", "Ch", lambda r: r.channel, width=4),
        service_level("vendor", "Vendor", lambda r: r.vendor_pct, options),
        service_level("computed", "Ours", lambda r: r.computed_pct, options),
        service_level(
            "recent",
            f"Last {options.policy.recent_window_min}m",
            lambda r: r.recent_pct,
            options,
            drop=1,
        ),
        count("answered", "Ans", lambda r: r.answered, 4, drop=3),
        count("abandoned", "Abd", lambda r: r.abandoned, 4, drop=3),
    ]


class SlaPane(Pane):
    title = "Service level"
    number = 3
    collections = frozenset({Collection.SLA})
    """The vendors' service level; the rows also join the floor's own (:meth:`show_metrics`)."""

    def __init__(self, options: UiOptions) -> None:
        table: RecordTable[SlaRow] = RecordTable.for_options(
            columns(options), options, sort="name", id="sla-table"
        )
        super().__init__(table, id="sla")
        self.target = options.policy.target_pct
        self._vendor: dict[str, Sla] = {}

    def apply_diff(self, collection: Collection, diff: Diff, *, highlight: bool) -> None:
        for key in diff.removed:
            self._vendor.pop(key, None)
        for key, record in {**diff.added, **new_records(diff)}.items():
            assert isinstance(record, Sla)
            self._vendor[key] = record

    def show_metrics(self, metrics: FloorMetrics) -> None:
        table = self.table
        table.replace(rows(metrics, self._vendor.values()), highlight=table.live_count > 0)
