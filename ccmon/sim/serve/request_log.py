"""Every request a listener saw, so that tests can check how a client behaved."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

from ccmon.sim.vendors import Vendor


@dataclass(frozen=True, slots=True)
class RequestRecord:
    monotonic_s: float  # time.monotonic() on arrival, comparable with the test's own
    sim_time: float  # POSIX seconds in the simulated world on arrival
    vendor: Vendor
    method: str
    path: str
    query: str
    status: int
    response_bytes: int
    rate_limited: bool  # rejected by the rate limit (not by a ratelimit fault)
    fault: str | None  # the injected fault that shaped the answer, if any

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class RequestLog:
    """A bounded, thread-safe list of requests in the order they completed."""

    def __init__(self, capacity: int = 100_000) -> None:
        self._records: deque[RequestRecord] = deque(maxlen=capacity)
        self._lock = threading.Lock()

    def append(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def records(self, vendor: Vendor | None = None) -> list[RequestRecord]:
        """Requests so far (of one vendor), in arrival order."""
        with self._lock:
            chosen = [r for r in self._records if vendor is None or r.vendor is vendor]
        return sorted(chosen, key=lambda record: record.monotonic_s)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
