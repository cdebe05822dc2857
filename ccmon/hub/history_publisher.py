"""The hub's history for its viewers: the leader's recorder, published as a few Redis keys.

What a viewer's screens need (:class:`~ccmon.history.view.HistoryView`): the last hour's
minute samples, today's floor rows, every queue's rows (a viewer cannot ask the hub for one
queue: its ACL only reads), the interval length and SLA settings the rows were made with, and
the recorder's ``problem``. Published whenever the recorder has something new (a refresh of
the rows, about every 15 s; a minute's sample; the history turning off).

Only what changed is written: ``history`` (small: the digest of each part) always, then the
parts and the queues whose digest changed, in one MULTI. The health line carries the digest of
``history`` as ``"history"``, so viewers read again exactly when something changed (a viewer
of an older ccmon ignores the field). Encoding runs in a worker thread, off the loop.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis

from ccmon.history.recorder import HistoryRecorder
from ccmon.history.wire import FORMAT, digest, dumps, policy_dict, rows_json, samples_json
from ccmon.hub.connect import text
from ccmon.hub.keys import HubKeys

PARTS = ("samples", "floor", "queues")


@dataclass
class HistoryPublishStats:
    publishes: int = 0
    encode_ms: float = 0.0
    """The last publish's encoding (in a worker thread)."""
    write_ms: float = 0.0
    """The last publish's Redis transaction."""
    bytes: int = 0
    """What the last publish wrote."""
    keys: int = 0
    """How many keys the last publish wrote or deleted."""


@dataclass(frozen=True, slots=True)
class _Encoded:
    meta: str
    parts: dict[str, str]
    queues: dict[str, str]
    digests: dict[str, str]
    """Queue name → digest of its rows."""


class HistoryPublisher:
    def __init__(
        self,
        recorder: HistoryRecorder | None,
        keys: HubKeys,
        hub_id: str,
        *,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.recorder = recorder
        self.keys = keys
        self.hub_id = hub_id
        self.stats = HistoryPublishStats()
        self.stamp: str | None = None
        """The digest of the ``history`` key last written (None: none published)."""
        self._wall = wall
        self._seen = -1
        self._parts: dict[str, str] = {}
        self._queues: dict[str, str] = {}
        self._fresh = True

    def due(self) -> bool:
        """Whether the recorder has something the viewers have not been sent."""
        return self.recorder is not None and self.recorder.changes != self._seen

    def forget(self) -> None:
        """Write everything again next time (Redis may have restarted empty)."""
        self._seen = -1
        self._parts, self._queues = {}, {}
        self._fresh = True

    async def publish(self, redis: aioredis.Redis) -> None:
        recorder = self.recorder
        if recorder is None:
            return
        seen = recorder.changes
        started = time.perf_counter()
        encoded = await asyncio.to_thread(self._encode, recorder)
        self.stats.encode_ms = 1000 * (time.perf_counter() - started)
        started = time.perf_counter()
        dropped = set(self._queues) - set(encoded.digests)
        if self._fresh:  # an earlier hub's queues, gone today, are deleted too
            dropped |= set(await self._published_queues(redis)) - set(encoded.digests)
        written = 0
        async with redis.pipeline(transaction=True) as pipe:
            for part, body in encoded.parts.items():
                if self._parts.get(part) != digest(body):
                    pipe.set(self.keys.history_part(part), body)
                    written += len(body)
            for queue, body in encoded.queues.items():
                if self._queues.get(queue) != encoded.digests[queue]:
                    pipe.set(self.keys.history_queue(queue), body)
                    written += len(body)
            for queue in dropped:
                pipe.delete(self.keys.history_queue(queue))
            pipe.set(self.keys.history, encoded.meta)
            keys = len(pipe.command_stack)
            await pipe.execute()
        self.stats.write_ms = 1000 * (time.perf_counter() - started)
        self.stats.bytes = written + len(encoded.meta)
        self.stats.keys = keys
        self.stats.publishes += 1
        self._parts = {part: digest(body) for part, body in encoded.parts.items()}
        self._queues = dict(encoded.digests)
        self._seen, self._fresh = seen, False
        self.stamp = digest(encoded.meta)

    async def clear(self, redis: aioredis.Redis) -> None:
        """No history on this hub: remove what an earlier one published (its viewers then
        say the hub keeps none, rather than show a day that no longer moves)."""
        queues = await self._published_queues(redis)
        async with redis.pipeline(transaction=True) as pipe:
            pipe.delete(self.keys.history, *(self.keys.history_part(p) for p in PARTS))
            for queue in queues:
                pipe.delete(self.keys.history_queue(queue))
            await pipe.execute()
        self.stamp = None
        self.forget()

    async def _published_queues(self, redis: aioredis.Redis) -> list[str]:
        raw = await redis.get(self.keys.history_part("queues"))
        try:
            names = json.loads(text(raw)) if raw is not None else {}
        except ValueError:
            return []
        return [str(name) for name in names] if isinstance(names, dict) else []

    def _encode(self, recorder: HistoryRecorder) -> _Encoded:
        today = recorder.today()
        samples = [s for s in recorder.samples() if s is not None]
        queues = {q: rows_json(rows) for q, rows in sorted((today.queues if today else {}).items())}
        digests = {queue: digest(body) for queue, body in queues.items()}
        parts = {
            "samples": samples_json(samples),
            "floor": rows_json(today.floor if today else []),
            "queues": dumps(digests),
        }
        meta: dict[str, Any] = {
            "format": FORMAT,
            "hub": self.hub_id,
            "at": round(self._wall(), 3),
            "problem": recorder.problem,
            "loaded": recorder.loaded and today is not None,
            "day": today.day.isoformat() if today else None,
            "interval_min": recorder.interval_min,
            "policy": policy_dict(recorder.policy),
            "parts": {part: digest(body) for part, body in parts.items()},
        }
        return _Encoded(dumps(meta), parts, queues, digests)
