"""Days as people mean them: local calendar days, as UTC bounds (the store keeps UTC).

A day is from local midnight to the next local midnight, so a day with a DST change has 23
or 25 hours; the intervals inside it are counted in UTC and none is doubled or lost.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path


def day_bounds(day: date, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """``day``'s start and end (UTC) in ``tz``, or in this machine's local time."""
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    after = day + timedelta(days=1)
    end = datetime(after.year, after.month, after.day, tzinfo=tz)
    if tz is None:  # naive: astimezone() reads the local rules, DST included
        return start.astimezone().astimezone(UTC), end.astimezone().astimezone(UTC)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_day(moment: datetime, tz: tzinfo | None = None) -> date:
    """The local calendar day ``moment`` falls on."""
    return moment.astimezone(tz).date()


def zone_name(tz: tzinfo | None = None) -> str:
    """The time zone's name for people and documents: ``Europe/Berlin`` where it can be
    told (``TZ``, ``/etc/localtime``), else its abbreviation (``CET``)."""
    if tz is not None:
        key = getattr(tz, "key", None)
        return str(key) if key else str(tz.tzname(datetime.now(tz)))
    named = os.environ.get("TZ", "").lstrip(":")
    if named and "/" in named and not named.startswith("/"):
        return named
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        return target.split("zoneinfo/", 1)[1]
    return datetime.now().astimezone().tzname() or "local"
