"""Evo Voice ``GET /portal/activity`` payloads (ServiceStack; camelCase JSON)."""

from __future__ import annotations

from ccmon.sources.tolerant import CamelModel, Id, UtcDatetime


class LogEntry(CamelModel):
    date: UtcDatetime | None = None
    message: str | None = None


class Member(CamelModel):
    identity: str | None = None
    display_name: str | None = None
    call_state: str | None = None
    role: str | None = None


class Session(CamelModel):
    id: Id
    dial_state: str | None = None
    call_state: str | None = None
    queue_state: str | None = None
    account_name: str | None = None
    customer_name: str | None = None
    endpoint_name: str | None = None
    date_completed: UtcDatetime | None = None
    destination: str | None = None
    to_address: str | None = None
    from_address: str | None = None
    from_name: str | None = None
    answered_by_name: str | None = None
    queue_member_id: str | None = None
    channel: str | None = None
    ended: bool | None = None
    outcome: str | None = None
    hold_queue_name: str | None = None
    display_name: str | None = None
    members: list[Member] | None = None
    direction: str | None = None
    from_phone_number: str | None = None
    was_missed: bool | None = None
    ring_queue_id: str | None = None
    date_created: UtcDatetime | None = None
    date_last_modified: UtcDatetime | None = None
