"""The wallboard page's document: every page's tiles, the title, the health banner; the
same content as the terminal's wallboard (:mod:`ccmon.ui.wallboard_pages`), as JSON.

One :class:`BoardFeed` builds it once a second for every browser (the longest wait ticks);
a browser is sent the newest document only, so a slow one cannot pile any up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any

from ccmon.domain import Agent, Collection
from ccmon.engine.floor import Floor
from ccmon.engine.forecast import forecast_floor
from ccmon.engine.health import LEVEL, SYMBOL
from ccmon.history.view import history_loads
from ccmon.ui.options import UiOptions
from ccmon.ui.wallboard_pages import (
    LEVEL_WORD,
    PAGES,
    banner_text,
    down_or_old,
    floor_problem,
    floor_trends,
    page_tiles,
    stale,
    title,
    troubled,
)

log = logging.getLogger(__name__)

TICK_S = 1.0


def board_document(floor: Floor, options: UiOptions) -> dict[str, Any]:
    """What the page shows now. Nothing personal is in it: the wallboard shows counts,
    durations and queue names, never a contact (PII stays masked by construction)."""
    health = floor.health()
    metrics = floor.metrics(options.policy)
    now = datetime.fromtimestamp(options.wall(), UTC)
    is_stale = stale(health)
    agents = floor.records(Collection.AGENTS, Agent)
    forecasts = forecast_floor(metrics, agents, history_loads(floor, metrics))
    trends = floor_trends(floor)
    pages = []
    for index, name in enumerate(PAGES):
        tiles = []
        for label, value, level, *note in page_tiles(index, metrics, options, forecasts, trends):
            if is_stale and label and level != "missing":
                level = "stale"
            tiles.append(
                {
                    "label": label,
                    "value": value,
                    "level": level,
                    "word": LEVEL_WORD.get(level, ""),
                    "note": note[0] if note else "",
                }
            )
        pages.append({"name": name, "title": title(index, health, now), "tiles": tiles})
    named = troubled(health)
    ages = [h.age_s for h in health if h.age_s is not None]
    return {
        "at": now.isoformat(),
        "flash_s": options.flash_s,
        "pages": pages,
        "stale": is_stale,
        "age_s": max(ages) if ages else None,
        "banner": {
            "text": banner_text(named, floor_problem(floor)),
            "level": "ok" if not named else "bad" if any(down_or_old(h) for h in named) else "warn",
        },
        "sources": [
            {
                "name": h.source,
                "health": h.health.value,
                "symbol": SYMBOL[h.health],
                "level": LEVEL[h.health],
                "age_s": h.age_s,
            }
            for h in health
        ],
    }


class BoardFeed:
    """The newest board document, rebuilt every ``tick_s`` and at once after a change."""

    def __init__(self, floor: Floor, options: UiOptions, tick_s: float = TICK_S) -> None:
        self.floor = floor
        self.options = options
        self.tick_s = tick_s
        self.version = 0
        self.data = "{}"
        self._changed = asyncio.Event()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: Any = None
        self.followers = 0
        self.closed = False

    def start(self) -> None:
        self._build()
        self._unsubscribe = self.floor.subscribe(lambda _: self._wake.set(), replay=False)
        self._task = asyncio.create_task(self._run(), name="ccmon-serve-board")

    def close(self) -> None:
        """End every follower's stream (the server is stopping)."""
        self.closed = True
        self._changed.set()

    async def stop(self) -> None:
        self.close()
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def _build(self) -> None:
        data = json.dumps(board_document(self.floor, self.options), ensure_ascii=False)
        if data != self.data:
            self.data = data
            self.version += 1
            self._changed.set()
            self._changed = asyncio.Event()

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.tick_s):
                    await self._wake.wait()
                await asyncio.sleep(0.05)  # the other collections of the same poll
            self._wake.clear()
            if not self.followers:  # nobody looking: no figures to compute
                continue
            try:
                self._build()
            except Exception:  # a bug in one figure must not freeze every wall screen
                log.exception("the wallboard document could not be built")

    async def follow(self, heartbeat_s: float) -> AsyncGenerator[tuple[int, str] | None]:
        """The newest document whenever there is a new one (None: nothing new for
        ``heartbeat_s``, time for a keep-alive)."""
        if not self.followers:
            self._build()  # not kept up to date while nobody followed
        self.followers += 1
        try:
            seen = 0
            while not self.closed:
                if self.version != seen:
                    seen = self.version
                    yield seen, self.data
                    continue
                changed = self._changed
                try:
                    async with asyncio.timeout(heartbeat_s):
                        await changed.wait()
                except TimeoutError:
                    yield None
        finally:
            self.followers -= 1
