"""``HubHistory``: a hub viewer's :class:`~ccmon.history.view.HistoryView`, read from what
the hub's leader publishes (:mod:`ccmon.hub.history_publisher`). It writes nothing, anywhere:
no file, no Redis key.

It reads when the hub's health line names a history stamp it has not read yet (the hub
writes one every second, and a new stamp whenever its history changed), at most every
``MIN_GAP_S``, each read bounded by ``READ_WITHIN_S``: the small ``history`` key, then only
the parts and queues whose digest changed. A health line without a stamp means the hub keeps
no history (disabled there, or an older hub); a part that cannot be read turns the view off
with one message until the hub writes it anew.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from ccmon.domain.policy import SlaPolicy
from ccmon.history.store import IntervalRow, Sample
from ccmon.history.view import SAMPLES_KEPT_MIN, series_of
from ccmon.history.wire import FORMAT, loads, policy_from, rows_from, samples_from
from ccmon.hub.keys import HubKeys
from ccmon.hub.stopping import cancel_within
from ccmon.text import clean_or

log = logging.getLogger(__name__)

READ_WITHIN_S = 5.0
STOP_WITHIN_S = 5.0
"""The longest a stop waits for the reading task."""
MIN_GAP_S = 0.5
KEEPS_NONE = "history off: the hub keeps none"
OFF_PREFIX = "history off: "


class HubHistory:
    def __init__(self, redis: aioredis.Redis, keys: HubKeys, now: Callable[[], datetime]) -> None:
        self.redis = redis
        self.keys = keys
        self._now = now
        self._problem: str | None = None
        self._loaded = False
        self._interval_min = 15
        self._policy = SlaPolicy()
        self._samples: dict[int, Sample] = {}
        self._floor: list[IntervalRow] = []
        self._queues: dict[str, list[IntervalRow]] = {}
        self._parts: dict[str, str] = {}
        """Digest of each part held."""
        self._queue_digests: dict[str, str] = {}
        self._told: str | None = None
        self._have: str | None = None
        self._handled = False
        """Whether ``_have`` is a stamp dealt with (read, or found to be unreadable)."""
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self.reads = 0
        """Reads of the ``history`` key (each one a stamp that changed)."""

    # -- the HistoryView ---------------------------------------------------------------------
    @property
    def problem(self) -> str | None:
        return self._problem

    @property
    def loaded(self) -> bool:
        return self._loaded

    @property
    def interval_min(self) -> int:
        return self._interval_min

    @property
    def tz(self) -> tzinfo | None:
        return None  # this machine's local time

    @property
    def policy(self) -> SlaPolicy:
        return self._policy

    def samples(self, minutes: int = SAMPLES_KEPT_MIN) -> list[Sample | None]:
        now = int(self._now().timestamp() // 60) * 60
        held = self._samples
        return [held.get(now - 60 * back) for back in range(minutes - 1, -1, -1)]

    def series(self, figure: str, minutes: int = SAMPLES_KEPT_MIN) -> list[float | None]:
        return series_of(self.samples(minutes), figure)

    def intervals(self, queue: str | None = None) -> list[IntervalRow]:
        if queue is None:
            return list(self._floor)
        return list(self._queues.get(queue, []))

    # -- following the hub -------------------------------------------------------------------
    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        self._stopping = True  # ends the reading loop whatever the cancellation became
        await cancel_within(self._task, STOP_WITHIN_S)
        self._task = None

    def told(self, stamp: object) -> None:
        """The hub's latest health line named ``stamp`` (None: it publishes no history)."""
        stamp = stamp if isinstance(stamp, str) else None
        if self._handled and stamp == self._have:
            return
        self._told = stamp
        self._wake.set()

    async def _run(self) -> None:
        while not self._stopping:
            await self._wake.wait()
            self._wake.clear()
            stamp = self._told
            try:
                async with asyncio.timeout(READ_WITHIN_S):
                    await (self._none() if stamp is None else self._read())
                self._have, self._handled = stamp, True
            except (RedisError, OSError, TimeoutError) as exc:
                # The floor says the hub cannot be reached; what is shown stays, and the next
                # health line (the same stamp, not read yet) asks again.
                log.debug("history from the hub not read: %s", exc)
            except ValueError as exc:
                self._off(f"history off: the hub's history cannot be read ({exc})")
                self._have, self._handled = stamp, True
            if not self._stopping:
                await asyncio.sleep(MIN_GAP_S)

    async def _none(self) -> None:
        self._off(KEEPS_NONE)

    def _off(self, problem: str) -> None:
        if problem != self._problem:
            log.warning("%s", problem)
        self._problem = problem
        self._loaded = True
        self._samples, self._floor, self._queues = {}, [], {}
        self._parts, self._queue_digests = {}, {}

    async def _read(self) -> None:
        self.reads += 1
        raw = await self.redis.get(self.keys.history)
        if raw is None:  # removed since the health line: the hub keeps none now
            await self._none()
            return
        meta = loads(raw, "history")
        if not isinstance(meta, dict):
            raise ValueError("history: not a JSON object")
        if meta.get("format") != FORMAT:
            self._off(
                f"history off: the hub's history is format {meta.get('format')!r}, this ccmon "
                f"reads {FORMAT} - run the same ccmon version"
            )
            return
        digests = _str_map(meta.get("parts"), "history parts")
        interval_min = meta.get("interval_min")
        if not isinstance(interval_min, int):
            raise ValueError("history: no interval length")
        policy = policy_from(meta.get("policy"))
        changed = [part for part, d in digests.items() if self._parts.get(part) != d]
        got = await self._get([self.keys.history_part(part) for part in changed])
        fresh = dict(zip(changed, got, strict=True))
        samples = self._samples
        if "samples" in fresh:
            samples = {int(s.at.timestamp()): s for s in samples_from(fresh["samples"])}
        floor = rows_from(fresh["floor"], "floor rows") if "floor" in fresh else self._floor
        queue_digests = self._queue_digests
        queues = self._queues
        if "queues" in fresh:
            queue_digests = _str_map(loads(fresh["queues"], "queue digests"), "queue digests")
            wanted = [q for q, d in queue_digests.items() if self._queue_digests.get(q) != d]
            bodies = await self._get([self.keys.history_queue(q) for q in wanted])
            queues = {q: rows for q, rows in self._queues.items() if q in queue_digests}
            for queue, body in zip(wanted, bodies, strict=True):
                if body is None:  # rewritten since: the next stamp brings it
                    queue_digests = {**queue_digests, queue: ""}
                    continue
                queues[queue] = rows_from(body, f"rows of queue {clean_or(queue, '?')!r}")
        # Everything read and valid: show it at once.
        self._samples, self._floor, self._queues = samples, floor, queues
        self._parts = digests
        self._queue_digests = queue_digests
        self._interval_min, self._policy = interval_min, policy
        problem = meta.get("problem")
        self._problem = _on_the_hub(problem) if isinstance(problem, str) else None
        self._loaded = bool(meta.get("loaded"))

    async def _get(self, keys: list[str]) -> list[Any]:
        if not keys:
            return []
        async with self.redis.pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.get(key)
            return list(await pipe.execute())


def _on_the_hub(problem: str) -> str:
    """The hub's ``history off: <why>`` as a viewer says it."""
    why = clean_or(problem.removeprefix(OFF_PREFIX), "unknown")
    return f"history off on the hub: {why}"


def _str_map(value: object, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError(f"{what}: not a map of names to digests")
    return dict(value)
