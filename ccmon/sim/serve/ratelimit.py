"""The server's side of a rate limit: a token bucket checked when a request arrives."""

from __future__ import annotations

import math
from email.utils import formatdate
from typing import Literal

RetryAfterStyle = Literal["seconds", "http-date", "none"]


class TokenBucket:
    """``burst`` tokens, refilled at ``rate`` per second; a request takes one.

    A request that arrives up to ``tolerance_s`` before its token is due is admitted
    by borrowing from the next one, so jitter on the way in is forgiven while the
    long-run rate is still enforced.
    """

    def __init__(self, rate: float, burst: int, tolerance_s: float = 0.0) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._slack = rate * tolerance_s
        self._tokens = float(burst)
        self._last: float | None = None

    def take(self, now: float) -> float | None:
        """None if a request arriving at ``now`` is admitted, else seconds until it would be."""
        if self._last is not None:
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens >= 1 - self._slack:
            self._tokens -= 1
            return None
        return (1 - self._tokens) / self.rate


def retry_after_header(wait_s: float, style: RetryAfterStyle, wall_now: float) -> dict[str, str]:
    """The ``Retry-After`` header for a wait, in the configured spelling (or none)."""
    if style == "none":
        return {}
    seconds = max(1, math.ceil(wait_s))
    if style == "http-date":
        return {"Retry-After": formatdate(wall_now + seconds, usegmt=True)}
    return {"Retry-After": str(seconds)}
