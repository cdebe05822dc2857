"""The event queue that moves simulated time forward.

The world is advanced lazily: a request at sim time T runs every event due at or
before T, in (time, scheduling order). Random draws happen only inside events, so
the state at T depends on the seed, the configuration and T, not on how often
anyone looked.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import Any

Action = Callable[..., None]


class Scheduler:
    def __init__(self, start: float) -> None:
        self.now = start
        self._queue: list[tuple[float, int, Action, tuple[Any, ...]]] = []
        self._order = itertools.count()

    def at(self, when: float, action: Action, *args: Any) -> None:
        """Run ``action(*args)`` at sim time ``when`` (never before the present)."""
        heapq.heappush(self._queue, (max(when, self.now), next(self._order), action, args))

    def after(self, delay: float, action: Action, *args: Any) -> None:
        self.at(self.now + delay, action, *args)

    def run_until(self, t: float) -> int:
        """Run every event due at or before ``t``; the clock then reads ``t``. Returns the count."""
        ran = 0
        queue = self._queue
        while queue and queue[0][0] <= t:
            when, _, action, args = heapq.heappop(queue)
            self.now = when
            action(*args)
            ran += 1
        self.now = max(self.now, t)
        return ran

    def __len__(self) -> int:
        return len(self._queue)
