"""ALO.ai Platform API records: periods and their actions (camelCase, as the docs show)."""

from __future__ import annotations

from typing import Any

from ccmon.sim.timefmt import iso_z, iso_z_or_none
from ccmon.sim.world.action_board import AloAction, Period

Json = dict[str, Any]


def period(period: Period) -> Json:
    return {
        "id": period.id,
        "name": period.name,
        "start_date": iso_z(period.start),
        "end_date": iso_z(period.end),
        "created_at": iso_z(period.created_at),
        "updated_at": iso_z(period.updated_at),
        "markers": {"name": period.marker_name, "timestamp": iso_z(period.marker_at)},
    }


def action(action: AloAction, form_fields: list[str] | None = None) -> Json:
    record: Json = {
        "periodId": action.period.id,
        "periodName": action.period.name,
        "periodActionId": action.period_action_id,
        "actionId": action.action_id,
        "classification": action.classification,
        "subClassification": action.sub_classification,
        "status": action.status,
        "createdTime": iso_z(action.created_at),
        "assignedTime": iso_z_or_none(action.assigned_at),
        "doingTime": iso_z_or_none(action.doing_at),
        "closedTime": iso_z_or_none(action.closed_at),
        "createdByUserName": action.created_by,
        "periodMarker": action.period_marker,
        "assignedUserNames": list(action.assigned_users),
        "channel": action.channel,
        "formType": action.form_type,
        "latestChannel": action.latest_channel,
        "aiDispatched": action.ai_dispatched,
    }
    if form_fields is not None:
        # The docs say only that requested fields are returned and that missing ones are
        # named "under the notes property"; this is one reading of that.
        record["formFields"] = {
            name: action.form[name] for name in form_fields if name in action.form
        }
        missing = [name for name in form_fields if name not in action.form]
        record["notes"] = [f"Form field not found: {name}" for name in missing]
    return record
