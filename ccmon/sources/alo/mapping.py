"""ALO payloads → domain records."""

from __future__ import annotations

from datetime import datetime

from ccmon.domain import Action, Period
from ccmon.sources.alo import models as m
from ccmon.text import clean, clean_or

SOURCE = "alo"


def to_period(row: m.Period) -> Period:
    return Period(SOURCE, row.id, clean_or(row.name, f"#{row.id}"), row.start_date, row.end_date)


def _status_since(row: m.Action) -> datetime | None:
    by_status = {
        "created": row.created_time,
        "assigned": row.assigned_time,
        "doing": row.doing_time,
        "closed": row.closed_time,
        "canceled": row.closed_time,
    }
    since = by_status.get((row.status or "").lower())
    if since is not None:
        return since
    stamps = [
        t for t in (row.closed_time, row.doing_time, row.assigned_time, row.created_time) if t
    ]
    return stamps[0] if stamps else None


def to_action(row: m.Action, period_id: str) -> Action:
    return Action(
        source=SOURCE,
        period_id=row.period_id or period_id,
        id=row.action_id,
        status=clean_or((row.status or "").lower(), "unknown"),
        classification=clean(row.classification),
        sub_classification=clean(row.sub_classification),
        assignees=tuple(name for n in row.assigned_user_names or () if (name := clean(n))),
        created_at=row.created_time,
        status_since=_status_since(row),
        created_by=clean(row.created_by_user_name),
        channel=clean(row.latest_channel or row.channel),
    )
