"""A pane as shown, as rows of cells: what ``e`` writes and ``snapshot --format csv --pane``
prints (``--raw`` prints the records' own fields instead, ``ccmon.snapshot.csv``).

The columns are the pane's own specs (``ccmon/ui/panes/*``), every one of them in the pane's
order, also those a narrow screen hides, so a column a pane gains is exported too. Each cell
is the text the pane shows ("2:31", "85.0%", a time of day, a masked customer) without the
change and threshold marks (↑ ↓ + × ! !!) that stand in for colour; a value the screen shows
as "—" is an empty cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from ccmon.domain import RECORD_TYPES, Collection, Interaction, Sla
from ccmon.snapshot.collect import Snapshot
from ccmon.snapshot.csv import records_csv, table_csv
from ccmon.snapshot.render import snapshot_metrics, sorted_records
from ccmon.ui import format as fmt
from ccmon.ui.options import UiOptions
from ccmon.ui.panes import actions, agents, interactions, queues, sla
from ccmon.ui.widgets.record_table import Column

T = TypeVar("T")


def shown_rows(
    columns: Sequence[Column[T]], records: Iterable[T], now: float
) -> tuple[list[str], list[list[str]]]:
    """The header (column titles) and each record's cells as the pane shows them at ``now``
    (epoch seconds)."""
    header = [column.title for column in columns]
    rows = []
    for record in records:
        cells = [column.fmt(column.value(record), now) for column in columns]
        rows.append(["" if cell == fmt.DASH else cell for cell in cells])
    return header, rows


def shown_csv(columns: Sequence[Column[T]], records: Iterable[T], now: float) -> str:
    return table_csv(*shown_rows(columns, records, now))


def snapshot_csv(snapshot: Snapshot, collection: Collection, options: UiOptions) -> str:
    """One pane of a snapshot as the live screen would show it at ``generated_at``, rows in
    the order of the JSON document. Periods have no pane: their records' fields."""
    now = snapshot.generated_at.timestamp()
    records: list[Any] = sorted_records(snapshot, collection)
    if collection is Collection.AGENTS:
        contacts = sorted_records(snapshot, Collection.INTERACTIONS)
        contact_of = agents.contacts_in_progress(c for c in contacts if isinstance(c, Interaction))
        return shown_csv(agents.columns(options, contact_of), records, now)
    if collection is Collection.INTERACTIONS:
        return shown_csv(interactions.columns(options), records, now)
    if collection is Collection.ACTIONS:
        return shown_csv(actions.table_columns(), records, now)
    if collection in (Collection.QUEUES, Collection.SLA):
        metrics = snapshot_metrics(snapshot, options.policy)
        if collection is Collection.QUEUES:
            return shown_csv(queues.columns(lambda: metrics, options), records, now)
        vendor = [r for r in snapshot.collections[Collection.SLA] if isinstance(r, Sla)]
        table = sorted(sla.rows(metrics, vendor).values(), key=lambda row: (row.name, row.key))
        return shown_csv(sla.columns(options), table, now)
    return records_csv(records, RECORD_TYPES[collection])
