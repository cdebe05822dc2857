"""How numbers and times look on screen; one place so every pane agrees."""

from __future__ import annotations

from datetime import datetime

DASH = "—"


def duration(seconds: float | None) -> str:
    """``42s``, ``3:07``, ``1:02:03``, ``2d 03h``: short, fixed-ish width, sortable by eye."""
    if seconds is None:
        return DASH
    s = max(0, int(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}:{s % 60:02d}"
    if s < 86_400:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    if s < 100 * 86_400:
        return f"{s // 86_400}d {s % 86_400 // 3600:02d}h"
    return ">99d"


def since(moment: datetime | None, now: float) -> str:
    """Time elapsed from ``moment`` to ``now`` (epoch seconds)."""
    return DASH if moment is None else duration(now - moment.timestamp())


def percent(value: float | None) -> str:
    return DASH if value is None else f"{value:.0f}%" if value >= 99.95 else f"{value:.1f}%"


def count(value: int | None) -> str:
    return DASH if value is None else f"{value:,}"


def clock(moment: datetime | None) -> str:
    """Local wall-clock time of day, ``14:03:22``."""
    return DASH if moment is None else moment.astimezone().strftime("%H:%M:%S")


def when(moment: datetime | None, now: float) -> str:
    """Time of day if within the last day, else the date too: ``2017-12-22 00:54``."""
    if moment is None:
        return DASH
    if abs(now - moment.timestamp()) < 86_400:
        return clock(moment)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
