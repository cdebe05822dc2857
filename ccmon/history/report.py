"""``ccmon report``: one day's intervals from the history store, as a document and as text.

The document (``--format json``) is ``{"date", "interval_min", "timezone", "intervals",
"total"}``; each interval row is :meth:`IntervalRow.as_dict` (start in UTC), the total the
same figures over the whole day. The table and Markdown show local times.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from ccmon.domain.policy import SlaPolicy
from ccmon.history.days import day_bounds, zone_name
from ccmon.history.store import HistoryStore, IntervalRow, total
from ccmon.snapshot.render import table

FORMATS = ("table", "csv", "json", "markdown")


@dataclass(frozen=True, slots=True)
class DayReport:
    day: date
    interval_min: int
    tz: tzinfo | None
    queue: str | None
    rows: list[IntervalRow]
    policy: SlaPolicy

    def document(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "interval_min": self.interval_min,
            "timezone": zone_name(self.tz),
            "intervals": [row.as_dict() for row in self.rows],
            "total": total(self.rows, self.policy),
        }


def read_day(
    path: Path,
    day: date,
    *,
    interval_min: int,
    policy: SlaPolicy,
    queue: str | None = None,
    tz: tzinfo | None = None,
) -> DayReport | None:
    """The day's report, or None when the store holds nothing for that day (or there is no
    store). Raises ``HistoryUnavailable`` for a store that cannot be read."""
    if not path.exists():
        return None
    store = HistoryStore(path)
    try:
        start, end = day_bounds(day, tz)
        if not store.has_data(start, end):
            return None
        rows = store.intervals(
            start, end, interval_min=interval_min, policy=policy, queue=queue or None
        )
    finally:
        store.close()
    return DayReport(day, interval_min, tz, queue, rows, policy)


COLUMNS = (
    ("offered", "OFFERED"),
    ("answered", "ANSWERED"),
    ("abandoned", "ABANDONED"),
    ("short_abandoned", "SHORT"),
    ("answered_in_sl", "IN_SL"),
    ("sl_pct", "SL_%"),
    ("asa_s", "ASA_S"),
    ("aht_s", "AHT_S"),
    ("longest_wait_s", "LONGEST_S"),
    ("peak_waiting", "PEAK_WAITING"),
    ("occupancy_pct", "OCCUPANCY_%"),
)


def _local(moment: str | None, tz: tzinfo | None) -> str:
    if moment is None:
        return "-"
    return datetime.fromisoformat(moment).astimezone(tz).strftime("%H:%M")


def _lines(report: DayReport) -> tuple[list[str], list[list[object]]]:
    doc = report.document()
    per_queue = report.queue is not None
    headers = ["START", *(["QUEUE", "CHANNEL"] if per_queue else []), *(h for _, h in COLUMNS)]
    rows: list[list[object]] = []
    for row in doc["intervals"]:
        where = [row["queue"], row["channel"]] if per_queue else []
        rows.append([_local(row["start"], report.tz), *where, *(row[k] for k, _ in COLUMNS)])
    day = doc["total"]
    rows.append(["TOTAL", *(["", ""] if per_queue else []), *(day.get(k) for k, _ in COLUMNS)])
    return headers, rows


def _title(report: DayReport) -> str:
    doc = report.document()
    what = f"queue {report.queue}" if report.queue else "floor"
    return (
        f"Intraday {doc['date']}, {what}, {report.interval_min}-minute intervals "
        f"(local time, {doc['timezone']})"
    )


def render_table(report: DayReport) -> str:
    headers, rows = _lines(report)
    return table(_title(report), headers, rows, counted=len(rows) - 1) + "\n"  # TOTAL apart


def _md(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value).replace("|", "\\|")


def render_markdown(report: DayReport) -> str:
    headers, rows = _lines(report)
    out = [f"### {_title(report)}", "", _md_row(headers), _md_row(["---"] * len(headers))]
    out += [_md_row([_md(v) for v in row]) for row in rows]
    return "\n".join(out) + "\n"


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_csv(report: DayReport) -> str:
    """The JSON rows' keys as columns (start in UTC), then the day's total (start "total")."""
    doc = report.document()
    out = io.StringIO()
    keys = list(IntervalRow.KEYS)
    writer = csv.DictWriter(out, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in doc["intervals"]:
        writer.writerow(row)
    writer.writerow({**doc["total"], "start": "total", "minutes": report.interval_min})
    return out.getvalue()
