"""Which ALO period is "now"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ccmon.domain.records import Period


def current_period(periods: Sequence[Period], now: datetime) -> Period | None:
    """The period containing ``now`` (the latest-starting one if several do); else the one
    that started last before ``now``; else the last listed."""
    started = [p for p in periods if p.start is not None and p.start <= now]
    containing = [p for p in started if p.end is None or now <= p.end]
    for candidates in (containing, started):
        if candidates:
            return max(candidates, key=lambda p: p.start or now)
    return periods[-1] if periods else None
