"""Simulated time as POSIX seconds, spelled the way the vendor docs spell it.

All three APIs use ISO 8601 in UTC with milliseconds and a ``Z`` suffix
(``2024-01-01T01:01:00.000Z``). Parsing is lenient: clients send offsets, no
fraction, or a bare date.
"""

from __future__ import annotations

from datetime import UTC, datetime


def iso_z(t: float) -> str:
    """``t`` (POSIX seconds) as ``YYYY-MM-DDTHH:MM:SS.sssZ``, truncated to the millisecond."""
    ms = int(t * 1000)
    stamp = datetime.fromtimestamp(ms // 1000, UTC)
    return f"{stamp:%Y-%m-%dT%H:%M:%S}.{ms % 1000:03d}Z"


def iso_z_or_none(t: float | None) -> str | None:
    return None if t is None else iso_z(t)


def parse_iso(text: str) -> float:
    """POSIX seconds of an ISO 8601 timestamp; naive values are taken as UTC.

    Raises ValueError when ``text`` is not a timestamp.
    """
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def to_datetime(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)
