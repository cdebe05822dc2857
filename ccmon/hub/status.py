"""``ccmon hub status``: who leads, how fresh the hub is, who watches, what it costs Redis."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis

from ccmon.hub.connect import text
from ccmon.hub.keys import HubKeys


@dataclass(frozen=True, slots=True)
class HubStatus:
    prefix: str
    leader: str | None
    lease_ttl_s: float | None
    host: str | None
    fence: str | None
    ccmon: str | None
    last_publish_age_s: float | None
    leading_s: float | None
    """How long the leader has led (None: no leader, or it wrote no ``since``)."""
    viewers: int
    stream_length: int
    memory_bytes: int
    keys: int

    def lines(self) -> list[str]:
        age = "never" if self.last_publish_age_s is None else f"{self.last_publish_age_s:.1f} s ago"
        lease = "—" if self.lease_ttl_s is None else f"{self.lease_ttl_s:.1f} s left"
        leader = self.leader or "none (no hub holds the lease)"
        if self.leader and self.host:
            leader += f" on {self.host}"
        if self.leader and self.leading_s is not None:
            leader += f", leading for {self.leading_s:.0f} s"
        return [
            f"prefix         {self.prefix}",
            f"leader         {leader}",
            f"lease          {lease}" + (f", fence {self.fence}" if self.fence else ""),
            f"last publish   {age}" + (f" (ccmon {self.ccmon})" if self.ccmon else ""),
            f"viewers        {self.viewers}",
            f"stream         {self.stream_length} entries",
            f"redis memory   {self.memory_bytes / 1024:.1f} KiB in {self.keys} keys",
        ]


def publish_age(health_raw: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds since the hub wrote the health line ``health_raw`` (None: none, or unreadable).
    The hub rewrites it every second while it publishes."""
    try:
        health: Any = json.loads(health_raw) if health_raw else None
    except ValueError:
        return None
    at = health.get("at") if isinstance(health, dict) else None
    if not isinstance(at, int | float) or isinstance(at, bool):
        return None
    return max(0.0, (time.time() if now is None else now) - at)


async def hub_status(redis: aioredis.Redis, keys: HubKeys) -> HubStatus:
    leader_raw = await redis.get(keys.lease)
    ttl_ms = await redis.pttl(keys.lease)
    meta = {text(k): text(v) for k, v in (await redis.hgetall(keys.meta)).items()}
    health_raw = await redis.get(keys.health)
    viewers = 0
    memory = 0
    count = 0
    async for key in redis.scan_iter(match=keys.pattern, count=500):
        count += 1
        memory += int(await redis.memory_usage(key) or 0)
        if text(key).startswith(keys.viewer("")):
            viewers += 1
    length = int(await redis.xlen(keys.stream))
    leader = text(leader_raw) if leader_raw else None
    ours = meta.get("hub") == leader
    try:
        since: float | None = float(meta["since"]) if ours else None
    except (KeyError, ValueError):
        since = None
    return HubStatus(
        prefix=keys.prefix,
        leader=leader,
        lease_ttl_s=ttl_ms / 1000 if leader and ttl_ms > 0 else None,
        host=meta.get("host") if ours else None,
        fence=meta.get("fence") or None,
        ccmon=meta.get("ccmon"),
        last_publish_age_s=publish_age(health_raw),
        leading_s=None if since is None else max(0.0, time.time() - since),
        viewers=viewers,
        stream_length=length,
        memory_bytes=memory,
        keys=count,
    )
