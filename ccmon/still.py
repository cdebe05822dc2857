"""A still picture of the demo floor: the simulator with its clock stopped, read once.

Screenshots (``screenshots/generate.py``) and SVG snapshot tests need the same pixels on
every run: a fixed seed and start, a frozen simulated clock, every feed read exactly once,
the wall clock pinned to the simulated one, and source health as it was after the read.
:class:`StillEngine` serves that state to :class:`~ccmon.ui.app.CcmonApp` through the
engine interface, without pollers.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from ccmon.commands.registry import SOURCE_NAMES, build_sources
from ccmon.config.env_names import env_name
from ccmon.config.load import load_settings
from ccmon.domain import Collection, Record
from ccmon.engine.floor import StoreFloor
from ccmon.engine.health import Health, SourceHealth
from ccmon.snapshot.collect import collect
from ccmon.sources.base import Source
from ccmon.ui.options import UiOptions

STILL_START = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
"""A Monday morning."""


@dataclass(frozen=True)
class StillFloor:
    at: datetime
    records: dict[tuple[Collection, str], list[Record]]
    health: list[SourceHealth]

    def options(self, **overrides: object) -> UiOptions:
        wall = self.at.timestamp()
        return UiOptions(wall=lambda: wall, **overrides)  # type: ignore[arg-type]

    def engine(self) -> StillEngine:
        return StillEngine(self)


class StillEngine(StoreFloor):
    """A :class:`~ccmon.engine.floor.Floor` over a fixed state: no pollers, nothing
    changes."""

    def __init__(self, floor: StillFloor) -> None:
        super().__init__(lambda: floor.at)
        self.floor = floor
        for (collection, source), records in floor.records.items():
            self.store.replace(collection, source, records)

    @property
    def source_names(self) -> list[str]:
        return [h.source for h in self.floor.health]

    def start(self) -> None:
        """Nothing to start: the state was read before."""

    async def stop(self) -> None:
        """Nothing to stop."""

    def refresh_now(self) -> None:
        """Nothing to fetch: the picture is fixed."""

    def health(self) -> list[SourceHealth]:
        return self.floor.health

    def feed_ages(self) -> dict[str, float | None]:
        return {}


def read_once(sources: list[Source], deadline_s: float = 30) -> None:
    """Read every feed of ``sources`` once (as a snapshot does), then close them; the records
    stay in the sources."""

    async def read() -> None:
        try:
            await collect(sources, [s.name for s in sources], deadline_s=deadline_s)
        finally:
            for source in sources:
                await source.aclose()

    asyncio.run(read())


def still_floor(seed: int = 1, start: datetime = STILL_START, **sim: object) -> StillFloor:
    """Run the simulator frozen at ``start``, read every feed once, keep the result."""
    from ccmon.sim.testing import running_sim

    floor = {"agents": 25, "queues": 6, "interactions_per_day": 3000, **sim}
    with running_sim(seed=seed, start=start, speed=0.0, rate_limit=False, **floor) as server:
        now: Callable[[], datetime] = lambda: start  # noqa: E731
        env = {**server.env, "CCMON_CONFIG": os.devnull}
        for name in SOURCE_NAMES:
            env[env_name(name, "rate")] = "100"
        sources = build_sources(load_settings(env=env), now=now)

        read_once(sources)
    records = {
        (collection, source.name): list(source.records(collection))
        for source in sources
        for collection in Collection
    }
    health = [
        SourceHealth(
            source=source.name,
            health=Health.OK,
            age_s=1.0,
            used_last_minute=14,
            budget_per_minute=57,
            rate_limited=0,
            requests=14,
            last_error=None,
            failing_feeds=(),
            skipped_records=0,
            degraded_fields=0,
        )
        for source in sources
    ]
    return StillFloor(start, records, health)
