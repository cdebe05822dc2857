"""Simulated time: ``start + speed x real seconds elapsed``, movable by hand in tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class SimClock:
    def __init__(
        self, start: float, speed: float, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        if speed < 0:
            raise ValueError("speed must not be negative")
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._anchor_real = monotonic()
        self._anchor_sim = start
        self._speed = speed

    def now(self) -> float:
        with self._lock:
            return self._anchor_sim + self._speed * (self._monotonic() - self._anchor_real)

    @property
    def speed(self) -> float:
        return self._speed

    def set_speed(self, speed: float) -> None:
        if speed < 0:
            raise ValueError("speed must not be negative")
        with self._lock:
            real = self._monotonic()
            self._anchor_sim += self._speed * (real - self._anchor_real)
            self._anchor_real = real
            self._speed = speed

    def advance(self, seconds: float) -> None:
        """Jump sim time forward (the world catches up on its next read)."""
        if seconds < 0:
            raise ValueError("sim time only moves forward")
        with self._lock:
            self._anchor_sim += seconds
