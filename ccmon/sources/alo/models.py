"""ALO.ai Platform API payloads (``GET /periods``, ``GET /periods/{id}/actions``)."""

from __future__ import annotations

from ccmon.sources.tolerant import CamelModel, Id, UtcDatetime


class Marker(CamelModel):
    name: str | None = None
    timestamp: UtcDatetime | None = None


class Period(CamelModel):
    id: Id
    name: str | None = None
    start_date: UtcDatetime | None = None
    end_date: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None
    markers: list[Marker] | Marker | None = None


class Action(CamelModel):
    """One action; ``actionId`` identifies it, ``periodActionId`` numbers it in its period."""

    action_id: Id
    period_id: Id | None = None
    period_name: str | None = None
    period_action_id: str | None = None
    classification: str | None = None
    sub_classification: str | None = None
    status: str | None = None
    created_time: UtcDatetime | None = None
    assigned_time: UtcDatetime | None = None
    doing_time: UtcDatetime | None = None
    closed_time: UtcDatetime | None = None
    created_by_user_name: str | None = None
    period_marker: str | None = None
    assigned_user_names: list[str] | None = None
    channel: str | None = None
    form_type: str | None = None
    latest_channel: str | None = None
    ai_dispatched: bool | None = None
