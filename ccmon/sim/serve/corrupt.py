"""Data faults: hostile text and wrongly typed fields, applied to a rendered payload.

Both work on the payload's records (the list a vendor answers with, or the list under
``periods`` / ``actions`` / ``items``) and are deterministic: record ``i`` always gets
the same treatment, so tests can look for exactly what was planted.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Change = Callable[[Any], Any]

HOSTILE_TEXT: tuple[str, ...] = (
    "[bold red]x[/]",
    "[link=https://evil.example]click me[/link]",
    "\x1b[31mred\x1b[0m\x1b[2J\x1b[H",
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "\x1b]0;pwned title\x07",
    "\u202eexe.txt\u202c",
    "zero\u200bwidth\u200d\u2060joiner\ufeff",
    "👩🏽‍💻📞🔥 客服中心 東京",
    "مركز الاتصال",
    "L" * 10_000,
    "line one\nline two\r\nline three\tend",
    "nul\x00byte",
    # Hostile to a browser (ccmon serve's page): shown as these characters, never run.
    "<script>window.__ccmonPwned = 1</script>",
    '<img src=x onerror="window.__ccmonPwned = 1">',
    "javascript:window.__ccmonPwned = 1",
)
UNKNOWN_ENUM = "zz_unknown_value"

# Free text users see: names, paths, labels. Keys from all three vendors.
_TEXT_KEYS = frozenset({
    "first_name", "last_name", "name", "menu_path", "materialized_path", "output_msg",
    "location", "identifier", "code", "queue_group_name", "periodName", "classification",
    "subClassification", "createdByUserName", "periodMarker", "assignedUserNames", "latestChannel",
    "formType", "fromName", "answeredByName", "displayName", "holdQueueName", "customerName",
    "accountName", "endpointName", "message",
})  # fmt: skip
_ENUM_KEYS = frozenset({
    "status", "call_type", "chat_type", "comm_type", "menu_type", "activity",
    "service_level_event", "channel_type", "queue_level", "dialState", "callState",
    "queueState", "channel", "holdReason", "direction", "role", "fail_reason",
})  # fmt: skip
_DATE_KEYS = frozenset({
    "created_at", "updated_at", "started_at", "ended_at", "status_updated_at", "last_login_time",
    "oldest_in_queue", "queued_at", "assigned_at", "connected_at", "ends_at", "start_date",
    "end_date", "createdTime", "assignedTime", "doingTime", "closedTime", "dateCreated",
    "dateLastModified", "dateCompleted", "timestamp",
})  # fmt: skip
_COUNT_KEYS = (
    "in_queue_count", "call_count", "agents_count", "oldest_duration_in_queue", "duration",
    "queue_duration", "sla", "periodActionId", "message_count", "on_hold_duration",
)  # fmt: skip
_FLIP_KEYS = ("status", "assignedUserNames", "members", "teams", "markers", "log")
_BOOL_KEYS = ("online", "on_hold", "ended", "aiDispatched", "deleted", "wasMissed", "wrap_up")
_ID_KEYS = ("id", "menu_id", "queue_group_id", "actionId", "menu_path_id")
_ENVELOPES = ("items", "periods", "actions")


def records_of(payload: Any) -> list[Any]:
    """The records inside a payload, as a list that edits the payload in place."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for key in _ENVELOPES:
            if isinstance(payload.get(key), list):
                return list(payload[key])
        return [payload]
    return []


def hostile(payload: Any) -> Any:
    """A copy of ``payload`` whose text is hostile to terminals.

    Every text field gets one of HOSTILE_TEXT in turn; every third record also has an
    unknown enum value, every fourth a date reading "String", every fifth a null name.
    """
    payload = copy.deepcopy(payload)
    turn = 0

    def text(value: Any) -> Any:
        nonlocal turn
        turn += 1
        if isinstance(value, list):
            return [HOSTILE_TEXT[(turn + n) % len(HOSTILE_TEXT)] for n, _ in enumerate(value)]
        return HOSTILE_TEXT[turn % len(HOSTILE_TEXT)]

    for index, record in enumerate(records_of(payload)):
        _rewrite(record, _TEXT_KEYS, text)
        if index % 3 == 0:
            _rewrite(record, _ENUM_KEYS, lambda v: UNKNOWN_ENUM if isinstance(v, str) else v)
        if index % 4 == 0:
            _first(record, _DATE_KEYS, lambda v: "String")
        if index % 5 == 0:
            _first(
                record,
                frozenset({"name", "first_name", "fromName", "classification"}),
                lambda v: None,
            )
    return payload


def wrong_types(payload: Any) -> Any:
    """A copy of ``payload`` where some records carry fields of the wrong JSON type.

    Record 0 mod 4: a count reads "many"; 1: an object/list field flips to a string (and
    a string status to an object); 2: a date reads "String"; 3: a boolean reads "yes".
    The second record (or the only one) loses its id.
    """
    payload = copy.deepcopy(payload)
    records = [r for r in records_of(payload) if isinstance(r, dict)]
    for index, record in enumerate(records):
        match index % 4:
            case 0:
                _first_present(record, _COUNT_KEYS, lambda v: "many")
            case 1:
                _first_present(record, _FLIP_KEYS, _flip)
            case 2:
                _first(record, _DATE_KEYS, lambda v: "String")
            case _:
                _first_present(record, _BOOL_KEYS, lambda v: "yes")
    if records:
        victim = records[1] if len(records) > 1 else records[0]
        for key in _ID_KEYS:
            if key in victim:
                del victim[key]
                break
    return payload


def _flip(value: Any) -> Any:
    if isinstance(value, dict):
        return str(value.get("name", "object"))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "none"
    return {"id": 0, "name": value}


def _rewrite(node: Any, keys: frozenset[str], change: Change) -> None:
    """Apply ``change`` to every value under one of ``keys``, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in keys and _is_text(value):
                node[key] = change(value)
            else:
                _rewrite(value, keys, change)
    elif isinstance(node, list):
        for item in node:
            _rewrite(item, keys, change)


def _is_text(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _first(record: Any, keys: frozenset[str], change: Change) -> None:
    """Apply ``change`` to the first non-null value under one of ``keys`` (depth first)."""

    def visit(node: Any) -> bool:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in keys and value is not None and not isinstance(value, dict | list):
                    node[key] = change(value)
                    return True
                if visit(value):
                    return True
        elif isinstance(node, list):
            return any(visit(item) for item in node)
        return False

    visit(record)


def _first_present(record: dict[str, Any], keys: tuple[str, ...], change: Change) -> None:
    for key in keys:
        if key in record:
            record[key] = change(record[key])
            return
