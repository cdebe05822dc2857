"""What one vendor listener shares between its guard and its endpoints."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.datastructures import Headers

from ccmon.sim.clock import SimClock
from ccmon.sim.faults import Fault, FaultBoard, FaultKind
from ccmon.sim.live import LiveWorld
from ccmon.sim.serve.ratelimit import RetryAfterStyle, TokenBucket
from ccmon.sim.serve.request_log import RequestLog
from ccmon.sim.vendors import Vendor


@dataclass(eq=False)
class VendorRuntime:
    vendor: Vendor
    live: LiveWorld
    faults: FaultBoard
    log: RequestLog
    authorized: Callable[[Headers], bool]
    challenge: str  # WWW-Authenticate value on a 401
    bucket: TokenBucket | None
    retry_after: RetryAfterStyle
    fault_rng: random.Random
    # Set when the listener closes, so that requests held by a `slow` fault let go.
    closing: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def clock(self) -> SimClock:
        return self.live.clock

    def active_faults(self) -> dict[FaultKind, Fault]:
        return self.faults.active(self.vendor)

    async def hold(self, seconds: float) -> None:
        """Wait ``seconds``, or less if the listener closes meanwhile."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.closing.wait(), seconds)
