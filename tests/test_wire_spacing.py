"""The rate limit as the server sees it: arrivals, not grants, are spaced.

Against the simulator over loopback. The first request of a source opens its connection
(a TLS handshake against a vendor) and can reach the server well after ccmon granted it;
the request after it must still arrive at least one interval later.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable

import httpx

from ccmon.http import RateLimiter, SourceClient
from ccmon.http.auth import BasicAuth
from ccmon.sim.config import RateLimit
from ccmon.sim.runner import SimServer
from ccmon.sim.vendors import Vendor
from tests.support.sim import CCAI_TOKEN, CCAI_USERNAME

RATE = 5.0
SETUP_DELAY_S = 0.15  # three quarters of an interval spent before the first bytes go out


class SlowFirstConnection(httpx.AsyncBaseTransport):
    """A real HTTP transport whose first request waits before anything is sent."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._first = True

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._first:
            self._first = False
            await asyncio.sleep(SETUP_DELAY_S)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_a_slow_first_connection_does_not_let_the_next_request_arrive_early(
    make_sim: Callable[..., SimServer],
) -> None:
    sim = make_sim(ccai_rate=RateLimit(RATE, 1), rate_tolerance_s=0.0)
    client = SourceClient(
        "ccai",
        sim.env["CCMON_CCAI_BASE_URL"],
        limiter=RateLimiter(RATE, margin_s=0.0),
        auth=BasicAuth(CCAI_USERNAME, CCAI_TOKEN),
        transport=SlowFirstConnection(),
    )
    async with client:
        await asyncio.gather(*(client.get_json("user_statuses") for _ in range(4)))
    arrivals = [record.monotonic_s for record in sim.requests.records(Vendor.CCAI)]
    assert [record.status for record in sim.requests.records(Vendor.CCAI)] == [200] * 4
    assert min(b - a for a, b in itertools.pairwise(arrivals)) >= 1 / RATE - 0.01
