"""The hub's life: stand by until it holds the lease, then poll and publish; stand down the
moment it cannot be sure it still holds it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from enum import StrEnum

import httpx
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from ccmon.engine.engine import Engine
from ccmon.history.recorder import HistoryRecorder
from ccmon.hub.connect import explain
from ccmon.hub.keys import HubKeys
from ccmon.hub.lease import DEFAULT_TTL_S, GatedTransport, Lease
from ccmon.hub.publisher import HubPublisher

log = logging.getLogger(__name__)

STOP_WITHIN_S = 5.0
EngineFactory = Callable[[httpx.AsyncBaseTransport], Engine]
"""Builds a fresh engine whose vendor requests all go through the given transport."""


class Role(StrEnum):
    STANDBY = "standby"
    LEADING = "leading"


class HubRunner:
    def __init__(
        self,
        make_engine: EngineFactory,
        redis: aioredis.Redis,
        *,
        url: str,
        keys: HubKeys | None = None,
        hub_id: str | None = None,
        ttl_s: float = DEFAULT_TTL_S,
        mask_pii: bool = False,
        say: Callable[[str], None] = lambda line: None,
    ) -> None:
        self.redis = redis
        self.url = url
        self.keys = keys or HubKeys()
        self.hub_id = hub_id or uuid.uuid4().hex[:12]
        self.lease = Lease(redis, self.keys, self.hub_id, ttl_s=ttl_s)
        self.role = Role.STANDBY
        self.engine: Engine | None = None
        self.publisher: HubPublisher | None = None
        self.terms = 0
        """How many times this hub took the lease."""
        self._make_engine = make_engine
        self._mask_pii = mask_pii
        self._say = say
        self._task: asyncio.Task[None] | None = None
        self._error: str | None = None

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                await self._step()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.lease.renew_every_s)
        finally:
            await self._stand_down(None)
            with contextlib.suppress(RedisError, OSError, TimeoutError):
                async with asyncio.timeout(STOP_WITHIN_S):
                    await self.lease.release()

    async def _step(self) -> None:
        try:
            if self.role is Role.STANDBY:
                if await self.lease.acquire():
                    await self._lead()
            elif not await self.lease.renew():
                await self._stand_down("another hub holds the lease")
            self._report(None)
        except (RedisError, OSError) as exc:
            self._report(explain(exc, self.url))
        if self.role is Role.LEADING and not self.lease.may_poll():
            await self._stand_down("the lease could not be renewed in time")

    def _report(self, error: str | None) -> None:
        if error != self._error:
            self._error = error
            if error is not None:
                self._say(error)

    async def _lead(self) -> None:
        gate = GatedTransport(self.lease.may_poll, httpx.AsyncHTTPTransport())
        engine = self._make_engine(gate)
        recorder = next((c for c in engine.companions if isinstance(c, HistoryRecorder)), None)
        publisher = HubPublisher(
            engine,
            engine.store,
            self.redis,
            url=self.url,
            keys=self.keys,
            hub_id=self.hub_id,
            mask_pii=self._mask_pii,
            may_publish=self.lease.may_poll,
            fence=self.lease.fence,
            history=recorder,
        )
        publisher.start()
        engine.start()
        self.engine, self.publisher = engine, publisher
        self._task = asyncio.get_running_loop().create_task(publisher.run())
        self.role = Role.LEADING
        self.terms += 1
        self._say(f"hub {self.hub_id} leads (fence {self.lease.fence}): polling")

    async def _stand_down(self, why: str | None) -> None:
        if self.role is not Role.LEADING:
            return
        self.lease.drop()
        self.role = Role.STANDBY
        if self.publisher is not None:
            self.publisher.stop()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                async with asyncio.timeout(STOP_WITHIN_S):
                    await self._task
        if self.engine is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(STOP_WITHIN_S):
                    await self.engine.stop()
        self.engine = self.publisher = self._task = None
        if why is not None:
            self._say(f"hub {self.hub_id} stands by: {why}")
