"""Per-source request counters: what the status bar and ``snapshot`` report."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(slots=True)
class SourceCounters:
    requests: int = 0
    """Requests sent, every page and every retry included."""
    bytes_received: int = 0
    status_2xx: int = 0
    status_4xx: int = 0
    status_5xx: int = 0
    rate_limited: int = 0
    """Answers with HTTP 429."""
    retries: int = 0
    errors: int = 0
    """Requests that failed in the end, after any retries."""
    last_latency_s: float | None = None
    last_error: str | None = None
    last_error_kind: str | None = None
    last_ok_at: float | None = None
    """``time.monotonic()`` of the last successful request."""
    last_error_at: float | None = None
    retrying: str | None = None
    """The error of a request being retried right now (before its attempts run out)."""
    retrying_kind: str | None = None
    """The kind of that error (an ``ErrorKind`` value)."""

    def record_status(self, status: int, size: int, latency_s: float) -> None:
        self.requests += 1
        self.bytes_received += size
        self.last_latency_s = latency_s
        if 200 <= status < 300:
            self.status_2xx += 1
        elif status == 429:
            self.status_4xx += 1
            self.rate_limited += 1
        elif 400 <= status < 500:
            self.status_4xx += 1
        elif status >= 500:
            self.status_5xx += 1

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
