"""``HubFloor``: a :class:`~ccmon.engine.floor.Floor` that follows what a hub publishes.

It loads the state and the stream's last entry in one transaction, then reads the stream
from that entry on. Each entry carries the hub's epoch and a sequence number; an entry that
is not the next one (the stream was trimmed past this viewer, or the hub started afresh)
makes it reload the whole state, so a viewer never shows a silent gap or a row twice. It
sends no vendor request and needs no vendor credential.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from ccmon.domain import Collection, Record
from ccmon.engine.floor import StoreFloor
from ccmon.engine.health import Health, SourceHealth
from ccmon.hub.connect import COMMAND_TIMEOUT_S, explain, text
from ccmon.hub.history_viewer import HubHistory
from ccmon.hub.keys import FORMAT, VERSION, HubKeys, parse_slot_name
from ccmon.hub.stopping import cancel_within
from ccmon.replay.engine import Slot
from ccmon.replay.format import RecordedDiff, RecordedHealth, parse_entry
from ccmon.sources.base import utcnow
from ccmon.text import clean

log = logging.getLogger(__name__)

BLOCK_MS = 1000
SILENT_AFTER_S = 10.0
"""No entry from the hub for this long (it writes health every second): "hub silent"."""
BACKOFF_S = (0.5, 1.0, 2.0, 5.0, 10.0)
HEARTBEAT_TTL_S = 30
STOP_WITHIN_S = 3.0


class HubFormatError(Exception):
    """What the keys hold is not a hub of this format version."""


class HubFloor(StoreFloor):
    def __init__(
        self,
        redis: aioredis.Redis,
        *,
        url: str,
        keys: HubKeys | None = None,
        now: Callable[[], datetime] = utcnow,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        silent_after_s: float = SILENT_AFTER_S,
    ) -> None:
        super().__init__(now)
        self.redis = redis
        self.url = url
        self.keys = keys or HubKeys()
        self.viewer_id = uuid.uuid4().hex[:12]
        self.problem: str | None = None
        """Why the viewer cannot follow the hub right now (None while it can)."""
        self.reloads = 0
        self.ignored = 0
        """Entries or keys that were not of this format (another writer's), skipped."""
        self.hub_id: str | None = None
        self._host = ""
        self.loaded = asyncio.Event()
        self._clock = clock
        self._wall = wall
        self._silent_after_s = silent_after_s
        self._sources: list[str] = []
        self._slots: set[Slot] = set()
        """The (collection, source) pairs this viewer holds records of."""
        self._health: list[SourceHealth] = []
        self._health_at: float | None = None
        """The hub's wall time of the health line shown."""
        self._feeds: dict[str, float | None] = {}
        self._pending: frozenset[Collection] = frozenset(Collection)
        """Until the hub says otherwise, nothing has loaded."""
        self._last_entry: float | None = None
        """``clock()`` when the last entry (or the state) came."""
        self._epoch = ""
        self._seq = 0
        self._stream_id = b"0-0"
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.history = HubHistory(redis, self.keys, now=self.now)
        """The hub's history as it publishes it (the screens find it with ``history_of``)."""
        self.companions = [self.history]

    # -- the Floor interface -----------------------------------------------------------------
    @property
    def source_names(self) -> Sequence[str]:
        return list(self._sources)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())
        self.history.start()

    async def stop(self) -> None:
        self._stopping = True  # ends the follow loop whatever the cancellation became
        await cancel_within(self._task, STOP_WITHIN_S)
        await self.history.stop()
        with contextlib.suppress(RedisError, OSError, TimeoutError):
            async with asyncio.timeout(STOP_WITHIN_S):
                await self.redis.delete(self.keys.viewer(self.viewer_id))
        with contextlib.suppress(RedisError, OSError, TimeoutError):
            async with asyncio.timeout(STOP_WITHIN_S):
                await self.redis.aclose()

    def refresh_now(self) -> None:
        """The hub polls; a viewer has nothing to ask for."""

    def pending(self) -> frozenset[Collection]:
        return self._pending

    def origin(self) -> str:
        """``HUB a1b2c3 on host``: the hub whose publishing this viewer shows."""
        if self.hub_id is None:
            return "HUB (connecting)"
        return f"HUB {self.hub_id}" + (f" on {self._host}" if self._host else "")

    def feed_ages(self) -> dict[str, float | None]:
        extra = self._age_since_health()
        return {k: None if v is None else v + extra for k, v in self._feeds.items()}

    def health(self) -> list[SourceHealth]:
        """The hub's health of each source, aged by the time since it was written; while
        the hub cannot be followed, each source says why."""
        extra = self._age_since_health()
        problem = self.problem_now()
        shown = []
        for h in self._health:
            age = None if h.age_s is None else h.age_s + extra
            if problem is not None:
                h = dataclasses.replace(h, health=Health.DEGRADED, last_error=problem)
            shown.append(dataclasses.replace(h, age_s=age))
        if not shown and problem is not None:
            shown.append(
                SourceHealth("hub", Health.UNREACHABLE, None, 0, 0, 0, 0, problem, (), 0, 0)
            )
        return shown

    def problem_now(self) -> str | None:
        """Why this viewer shows no fresh data now: :attr:`problem`, or the hub's silence
        (the wallboard's banner says it in words)."""
        return self.problem or self._silence()

    # -- following ---------------------------------------------------------------------------
    def _age_since_health(self) -> float:
        if self._health_at is None:
            return 0.0
        return max(0.0, self._wall() - self._health_at)

    def _silence(self) -> str | None:
        if self._last_entry is None:
            return None
        quiet = self._clock() - self._last_entry
        if quiet > self._silent_after_s:
            return f"hub silent for {quiet:.0f} s"
        return None

    async def _run(self) -> None:
        failures = 0
        while not self._stopping:
            try:
                await self._load()
                failures = 0
                while not self._stopping:
                    if not await self._follow():
                        await self._load()
            except (RedisError, OSError, HubFormatError) as exc:
                if self._stopping:
                    return
                self.problem = (
                    str(exc) if isinstance(exc, HubFormatError) else explain(exc, self.url)
                )
                if not self.problem.startswith("hub"):
                    self.problem = f"hub: {self.problem}"
                delay = BACKOFF_S[min(failures, len(BACKOFF_S) - 1)]
                failures += 1
                await asyncio.sleep(delay * random.uniform(0.8, 1.2))

    async def _load(self) -> None:
        """The whole state and the stream's last entry, read in one transaction."""
        members: set[bytes | str] = await self.redis.smembers(self.keys.slots)
        names = [text(n) for n in members]
        slots = [(n, parse_slot_name(n)) for n in names]
        known = [(n, s) for n, s in slots if s is not None]
        self.ignored += len(slots) - len(known)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(self.keys.meta)
            pipe.get(self.keys.health)
            pipe.xrevrange(self.keys.stream, count=1)
            for _, (collection, source) in known:
                pipe.hgetall(self.keys.slot(collection, source))
            meta_raw, health_raw, last, *slot_data = await pipe.execute()
        meta = {k.decode(): v.decode() for k, v in meta_raw.items()}
        if not meta:
            raise HubFormatError(
                f"hub: nothing published under prefix {self.keys.prefix!r} yet - "
                "is `ccmon hub` running with the same url and prefix?"
            )
        if meta.get("format") != FORMAT or meta.get("version") != str(VERSION):
            raise HubFormatError(
                f"hub: the keys under {self.keys.prefix!r} are format "
                f"{meta.get('format')} v{meta.get('version')} (ccmon {meta.get('ccmon', '?')}); "
                f"this ccmon reads {FORMAT} v{VERSION} - run the same ccmon version"
            )
        self._sources = _json_list(meta.get("sources"))
        self.hub_id = meta.get("hub")
        self._host = clean(meta.get("host") or "") or ""
        self._epoch = meta.get("epoch", "")
        self._seq = int(meta.get("seq", "0") or 0)
        self._stream_id = last[0][0] if last else b"0-0"
        fresh: dict[Slot, Mapping[str, Record]] = {}
        for (_, slot), data in zip(known, slot_data, strict=True):
            fresh[slot] = self._slot_records(slot, data)
        for slot in self._slots | set(fresh):
            collection, source = slot
            self.store.replace(collection, source, fresh.get(slot, {}).values())
        self._slots = set(fresh)
        if health_raw:
            entry = self._parse({**_loads(health_raw), "kind": "health", "t": 0.0})
            if isinstance(entry, RecordedHealth):
                self._apply_health(entry, _loads(health_raw))
        self.reloads += 1
        self.problem = None
        self._last_entry = self._clock()
        await self._heartbeat()
        self.loaded.set()

    async def _follow(self) -> bool:
        """Apply the next entries; False when they do not follow on (reload needed)."""
        got: Any = await self.redis.xread(
            {self.keys.stream: self._stream_id},
            count=500,
            block=min(BLOCK_MS, int(COMMAND_TIMEOUT_S * 500)),
        )
        await self._heartbeat()
        self.problem = None
        for _stream, entries in got or []:
            for entry_id, fields in entries:
                epoch = fields.get(b"e", b"").decode()
                seq = int(fields.get(b"s", b"0") or 0)
                if epoch != self._epoch or seq != self._seq + 1:
                    return False
                self._stream_id = entry_id
                self._seq = seq
                self._last_entry = self._clock()
                ignored = self.ignored
                self._apply(fields.get(b"j", b""))
                if self.ignored != ignored:  # a diff skipped is a gap: read the state again
                    return False
        return True

    def _apply(self, raw: bytes) -> None:
        data = _loads(raw)
        entry = self._parse(data)
        if isinstance(entry, RecordedDiff):
            slot = (entry.collection, entry.source)
            if entry.initial:
                self.store.replace(entry.collection, entry.source, entry.records.values())
            else:
                self.store.patch(entry.collection, entry.source, entry.records, entry.removed)
            self._slots.add(slot)
        elif isinstance(entry, RecordedHealth):
            self._apply_health(entry, data)

    def _apply_health(self, entry: RecordedHealth, data: dict[str, Any]) -> None:
        self._health = list(entry.sources)
        self.history.told(data.get("history"))
        at = data.get("at")
        self._health_at = float(at) if isinstance(at, int | float) else None
        pending = data.get("pending")
        if isinstance(pending, list):
            self._pending = frozenset(
                Collection(c) for c in pending if c in Collection._value2member_map_
            )
        feeds = data.get("feeds")
        if isinstance(feeds, dict):
            self._feeds = {
                str(k): float(v) if isinstance(v, int | float) else None for k, v in feeds.items()
            }

    def _slot_records(self, slot: Slot, data: Mapping[bytes, bytes]) -> Mapping[str, Record]:
        """A slot hash's records; one that is not a record of this format (another writer's)
        is skipped and counted, and the others still load."""
        collection, source = slot
        rows = {text(k): _loads(v) for k, v in data.items()}
        line = {"kind": "diff", "t": 0.0, "collection": collection.value, "source": source}
        line["initial"] = True
        try:
            entry = parse_entry({**line, "records": rows})
        except ValueError:
            entry = None
        if isinstance(entry, RecordedDiff):
            return entry.records
        good: dict[str, Record] = {}
        for key, row in rows.items():  # the slow way, only when something in it is bad
            one = self._parse({**line, "records": {key: row}})
            if isinstance(one, RecordedDiff):
                good.update(one.records)
        return good

    def _parse(self, data: Any) -> RecordedDiff | RecordedHealth | None:
        try:
            return parse_entry(data)
        except ValueError as exc:
            self.ignored += 1
            log.warning("a hub entry was not of this format: %s", exc)
            return None

    async def _heartbeat(self) -> None:
        await self.redis.set(self.keys.viewer(self.viewer_id), "1", ex=HEARTBEAT_TTL_S)


def _loads(raw: bytes | str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, TypeError):
        return None


def _json_list(raw: str | None) -> list[str]:
    value = _loads(raw) if raw else None
    return [str(v) for v in value] if isinstance(value, list) else []
