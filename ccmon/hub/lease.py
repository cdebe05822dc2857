"""Two hubs for high availability, one poller: a lease in Redis decides which one polls.

The leader holds ``{prefix}:lease`` (``SET NX PX``, value its id) and renews it every
``ttl/5``. It may poll and publish only while its last successful renewal was *sent* less
than ``ttl/2`` ago, so a leader cut off from Redis, or paused (SIGSTOP) and resumed, stops
before its lease can expire and a standby can take it: the vendor budget is never spent
twice. Every vendor request passes :class:`GatedTransport`, which checks that at the last
moment. Each new lease draws a fencing token (``INCR {prefix}:fence``) that the hub writes
with everything it publishes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import redis.asyncio as aioredis

from ccmon.hub.keys import HubKeys

DEFAULT_TTL_S = 10.0
RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class NotLeading(httpx.TransportError):
    """A vendor request refused because this hub does not hold the lease right now."""


class Lease:
    def __init__(
        self,
        redis: aioredis.Redis,
        keys: HubKeys,
        hub_id: str,
        *,
        ttl_s: float = DEFAULT_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.redis = redis
        self.keys = keys
        self.hub_id = hub_id
        self.ttl_s = ttl_s
        self.fence: int | None = None
        self._clock = clock
        self._renewed_at: float | None = None
        """``clock()`` when the last successful acquire or renewal was sent."""

    @property
    def renew_every_s(self) -> float:
        return self.ttl_s / 5

    def may_poll(self) -> bool:
        """True while this hub certainly still holds the lease (half its TTL of margin)."""
        renewed = self._renewed_at
        return renewed is not None and self._clock() - renewed < self.ttl_s / 2

    async def acquire(self) -> bool:
        sent = self._clock()
        got = await self.redis.set(self.keys.lease, self.hub_id, nx=True, px=self._ttl_ms)
        if not got:
            return False
        self._renewed_at = sent
        self.fence = int(await self.redis.incr(self.keys.fence))
        return True

    async def renew(self) -> bool:
        """Extend the lease; False (and no more polling) when another hub holds it."""
        sent = self._clock()
        ok = await self.redis.eval(RENEW, 1, self.keys.lease, self.hub_id, self._ttl_ms)
        if ok:
            self._renewed_at = sent
            return True
        self._renewed_at = None
        return False

    def drop(self) -> None:
        """Stop polling now (the lease may still be ours in Redis until it expires)."""
        self._renewed_at = None

    async def release(self) -> None:
        """Give the lease up at once (a clean stop), so a standby need not wait the TTL."""
        self._renewed_at = None
        await self.redis.eval(RELEASE, 1, self.keys.lease, self.hub_id)

    @property
    def _ttl_ms(self) -> int:
        return int(self.ttl_s * 1000)


class GatedTransport(httpx.AsyncBaseTransport):
    """The vendor transport of a hub: each request goes out only while ``may_send()``."""

    def __init__(self, may_send: Callable[[], bool], inner: httpx.AsyncBaseTransport) -> None:
        self._may_send = may_send
        self._inner = inner
        self.refused = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self._may_send():
            self.refused += 1
            raise NotLeading("this hub does not hold the lease", request=request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
