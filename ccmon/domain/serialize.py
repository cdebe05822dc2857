"""Records as plain JSON data: the contract of ``snapshot --format json``, ``watch``, recordings."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from enum import Enum
from typing import Any, overload

from ccmon.domain.records import Record


@overload
def iso(moment: datetime, *, millis: bool = False) -> str: ...
@overload
def iso(moment: None, *, millis: bool = False) -> None: ...
@overload
def iso(moment: datetime | None, *, millis: bool = False) -> str | None: ...
def iso(moment: datetime | None, *, millis: bool = False) -> str | None:
    """``2026-11-25T08:30:00Z`` (UTC, second precision) or None. With ``millis``,
    ``2026-11-25T08:30:00.000Z``: the format every vendor seed documents for time parameters."""
    if moment is None:
        return None
    seconds = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{seconds}.{moment.microsecond // 1000:03d}Z" if millis else f"{seconds}Z"


def plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


def record_dict(record: Record) -> dict[str, Any]:
    return {f.name: plain(getattr(record, f.name)) for f in dataclasses.fields(record)}
