"""Records as plain JSON data: the contract of ``snapshot --format json``, ``watch``, recordings."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from ccmon.domain.records import Record


def iso(moment: datetime | None) -> str | None:
    """``2026-11-25T08:30:00Z`` (UTC, second precision) or None."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
