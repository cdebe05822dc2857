"""The hub's writer: the live floor into Redis, state and stream, in one transaction a batch.

Every ``flush_s`` the diffs that arrived are written together: each changed slot hash
(HSET/HDEL per record), one stream entry per diff (``XADD … MAXLEN ~``) and the sequence
number in the meta hash, inside MULTI/EXEC. A viewer that reads the state and the stream's
last entry in one transaction therefore gets a state that is exactly "everything up to that
entry". After any Redis failure, and at start, the whole state is written afresh under a new
epoch; viewers see the epoch change and reload.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.client import Pipeline
from redis.exceptions import RedisError

from ccmon import __version__
from ccmon.engine.events import DiffEvent
from ccmon.engine.floor import Floor
from ccmon.engine.store import Store
from ccmon.history.recorder import HistoryRecorder
from ccmon.hub.connect import explain, text
from ccmon.hub.history_publisher import HistoryPublisher
from ccmon.hub.keys import FORMAT, STREAM_MAXLEN, VERSION, HubKeys, slot_name
from ccmon.replay.format import diff_line, exact_dict, health_line
from ccmon.snapshot.privacy import masked_record

log = logging.getLogger(__name__)

FLUSH_S = 0.1
HEALTH_S = 1.0
RETRY_S = (0.5, 1.0, 2.0, 5.0)


@dataclass
class PublishStats:
    entries: int = 0
    full_publishes: int = 0
    errors: int = 0
    last_publish: float | None = None
    """``time.time()`` of the last successful write."""
    error: str | None = None
    """Why the last write failed (None once one succeeds)."""
    bytes: int = field(default=0)


class HubPublisher:
    """Publishes ``floor`` (whose ``store`` it reads for full states) to Redis."""

    def __init__(
        self,
        floor: Floor,
        store: Store,
        redis: aioredis.Redis,
        *,
        url: str,
        keys: HubKeys | None = None,
        hub_id: str | None = None,
        mask_pii: bool = False,
        flush_s: float = FLUSH_S,
        health_s: float = HEALTH_S,
        maxlen: int = STREAM_MAXLEN,
        wall: Callable[[], float] = time.time,
        may_publish: Callable[[], bool] = lambda: True,
        fence: int | None = None,
        history: HistoryRecorder | None = None,
    ) -> None:
        self.floor = floor
        self.store = store
        self.redis = redis
        self.url = url
        self.keys = keys or HubKeys()
        self.hub_id = hub_id or uuid.uuid4().hex[:12]
        self.mask_pii = mask_pii
        self.stats = PublishStats()
        self._flush_s = flush_s
        self._health_s = health_s
        self._maxlen = maxlen
        self._wall = wall
        self._may_publish = may_publish
        self.fence = fence
        self.history = HistoryPublisher(history, self.keys, self.hub_id, wall=wall)
        """The leader's recorder for the viewers (``history`` None: the hub keeps none)."""
        self.since = wall()
        """When this publisher (one term of leadership) started: ``hub status`` shows it."""
        self._pending: list[DiffEvent] = []
        self._dirty = True
        self._epoch = ""
        self._seq = 0
        self._last_health = 0.0
        self._published_ages: dict[str, float | None] = {}
        self._published_at = 0.0
        self._unsubscribe: Callable[[], None] | None = None
        self._stopping = False

    def start(self) -> None:
        """Listen to the floor's diffs (the full state is written on the first flush)."""
        self._unsubscribe = self.floor.subscribe(self._on_diff, replay=False)

    def _on_diff(self, event: DiffEvent) -> None:
        self._pending.append(event)

    def stop(self) -> None:
        """Stop listening; ``run`` ends at its next step (cancel its task too)."""
        self._stopping = True
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    async def run(self) -> None:
        """Write until cancelled; a Redis failure is kept in ``stats.error`` and retried,
        and the engine goes on polling meanwhile."""
        failures = 0
        while not self._stopping:
            try:
                await self.flush()
                failures = 0
                await asyncio.sleep(self._flush_s)
            except (RedisError, OSError) as exc:
                if self._stopping:
                    return  # a cancelled write, not a Redis failure
                self._failed(exc)
                await asyncio.sleep(RETRY_S[min(failures, len(RETRY_S) - 1)])
                failures += 1

    def _failed(self, exc: BaseException) -> None:
        message = explain(exc, self.url)
        if message != self.stats.error:
            log.warning("%s", message)
        self.stats.error = message
        self.stats.errors += 1
        self._dirty = True

    async def flush(self) -> None:
        """Write what is pending: the whole state if needed, else the diffs; health when due.
        Nothing is written while ``may_publish()`` is false (a hub that lost its lease)."""
        if not self._may_publish():
            return
        if self._dirty:
            await self._publish_full()
        elif self._pending:
            await self._publish_diffs()
        history = self.history.due()
        if history:
            await self.history.publish(self.redis)
        if history or self._wall() - self._last_health >= self._health_s or self._fresh_poll():
            await self._publish_health()
        self.stats.error = None

    def _fresh_poll(self) -> bool:
        """A feed completed since the last health line: viewers should know its age now, not
        at the next second (their data age would be up to a second too old)."""
        since = self._wall() - self._published_at
        for feed, age in self.floor.feed_ages().items():
            was = self._published_ages.get(feed)
            if age is not None and (was is None or age < was + since - 0.05):
                return True
        return False

    # -- writing ---------------------------------------------------------------------------
    def _record_json(self, record: Any) -> str:
        if self.mask_pii:
            record = masked_record(record)
        return json.dumps(exact_dict(record), ensure_ascii=False)

    def _entry(self, line: dict[str, Any]) -> dict[str, str]:
        self._seq += 1
        entry = {"e": self._epoch, "s": str(self._seq), "j": json.dumps(line, ensure_ascii=False)}
        if self.fence is not None:
            entry["f"] = str(self.fence)
        return entry

    def _meta(self) -> dict[str, str]:
        return {
            "format": FORMAT,
            "version": str(VERSION),
            "ccmon": __version__,
            "hub": self.hub_id,
            "epoch": self._epoch,
            "seq": str(self._seq),
            "fence": "" if self.fence is None else str(self.fence),
            "host": socket.gethostname(),
            "since": f"{self.since:.3f}",
            "sources": json.dumps(list(self.floor.source_names)),
        }

    def _health_line(self) -> dict[str, Any]:
        line = health_line(self.floor.health(), 0.0)
        line["at"] = self._wall()
        line["hub"] = self.hub_id
        line["feeds"] = self._published_ages = self.floor.feed_ages()
        line["pending"] = sorted(c.value for c in self.floor.pending())
        if self.history.stamp is not None:
            line["history"] = self.history.stamp
        self._published_at = self._wall()
        return line

    def _add_entry(self, pipe: Pipeline, line: dict[str, Any]) -> None:
        entry: Any = self._entry(line)
        pipe.xadd(self.keys.stream, entry, maxlen=self._maxlen, approximate=True)

    def _add_health(self, pipe: Pipeline) -> None:
        """The health line, as the latest (for a viewer that loads) and in the stream."""
        health = self._health_line()
        pipe.set(self.keys.health, json.dumps(health, ensure_ascii=False))
        self._add_entry(pipe, {**health, "kind": "health"})

    async def _publish_full(self) -> None:
        self._pending.clear()  # the full state supersedes them
        epoch = uuid.uuid4().hex[:12]
        # The history first, so that the health line below carries its stamp.
        self.history.forget()
        if self.history.recorder is not None:
            await self.history.publish(self.redis)
        else:
            await self.history.clear(self.redis)
        old: set[bytes | str] = await self.redis.smembers(self.keys.slots)
        async with self.redis.pipeline(transaction=True) as pipe:
            for name in old:
                pipe.delete(self.keys.slot_key(text(name)))
            pipe.delete(self.keys.slots)
            self._epoch, self._seq = epoch, 0
            for collection, source, records in self.store.slots():
                if not records:
                    continue
                key = self.keys.slot(collection, source)
                rows: dict[str | bytes, str] = {k: self._record_json(r) for k, r in records.items()}
                pipe.hset(key, mapping=rows)  # type: ignore[arg-type]
                pipe.sadd(self.keys.slots, slot_name(collection, source))
            self._add_health(pipe)
            pipe.delete(self.keys.meta)
            pipe.hset(self.keys.meta, mapping=self._meta())  # type: ignore[arg-type]
            await pipe.execute()
        self._dirty = False
        self._last_health = self._wall()
        self.stats.full_publishes += 1
        self.stats.entries += 1
        self.stats.last_publish = self._wall()

    async def _publish_diffs(self) -> None:
        events, self._pending = self._pending, []
        async with self.redis.pipeline(transaction=True) as pipe:
            for event in events:
                key = self.keys.slot(event.collection, event.source)
                diff = event.diff
                changed = {k: c.new for k, c in diff.changed.items()}
                full = {**diff.added, **changed}
                upserts: dict[str | bytes, str] = {k: self._record_json(r) for k, r in full.items()}
                if upserts:
                    pipe.hset(key, mapping=upserts)  # type: ignore[arg-type]
                if diff.removed:
                    pipe.hdel(key, *diff.removed)
                pipe.sadd(self.keys.slots, slot_name(event.collection, event.source))
                line = diff_line(event, self._wall())
                if self.mask_pii:
                    line["records"] = {k: exact_dict(masked_record(r)) for k, r in full.items()}
                    line["added"] = []
                    line["changed"] = {}
                self._add_entry(pipe, line)
            pipe.hset(self.keys.meta, "seq", str(self._seq))
            await pipe.execute()
        self.stats.entries += len(events)
        self.stats.last_publish = self._wall()

    async def _publish_health(self) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            self._add_health(pipe)
            pipe.hset(self.keys.meta, "seq", str(self._seq))
            await pipe.execute()
        self._last_health = self._wall()
        self.stats.entries += 1
        self.stats.last_publish = self._wall()
