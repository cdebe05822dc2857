"""How numbers and times look on screen; one place so every pane agrees."""

from __future__ import annotations

from datetime import datetime

from ccmon.text import DASH, duration, percent

__all__ = ["DASH", "clock", "count", "duration", "percent", "since", "when"]


def since(moment: datetime | None, now: float) -> str:
    """Time elapsed from ``moment`` to ``now`` (epoch seconds)."""
    return DASH if moment is None else duration(now - moment.timestamp())


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
