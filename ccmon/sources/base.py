"""What every vendor source offers the engine and ``snapshot``.

A source owns one :class:`SourceClient` and the latest data of its vendor. It exposes
*feeds*: named fetches with a tier (how urgent) and a default interval. Running a feed
updates the source's state; :meth:`Source.records` then returns the complete current set
of one collection, already joined with reference data, so the engine can diff it by key.
"""

from __future__ import annotations

import abc
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from ccmon.domain import AgentActivity, Collection, Record
from ccmon.http import SourceClient
from ccmon.http.pagination import PagePacer
from ccmon.sources.tolerant import ParseTally, parse_records

M = TypeVar("M", bound=BaseModel)


class Tier(IntEnum):
    """How much a feed's freshness matters; lower is more urgent."""

    LIVE = 0
    """Agent status, queue depth, live sessions: what a supervisor reacts to."""
    NEAR = 1
    """Service level, action board: minutes matter, seconds don't."""
    HISTORY = 2
    """Recent calls and chats."""
    REFERENCE = 3
    """Rosters, menus, teams, statuses: they change rarely."""


class FeedRun(Protocol):
    """Fetch with the given limiter priority (lower goes first) and update the source's state;
    a paged walk spaces its further pages with ``pacer`` (None: all at ``priority``)."""

    def __call__(self, priority: float, pacer: PagePacer | None = None, /) -> Awaitable[None]: ...


Reader = Callable[[], Sequence[Record]]
"""Reads the complete current set of one collection from a source's state."""

WallClock = Callable[[], datetime]
"""The current time as an aware datetime (the simulator's in tests). Not a monotonic
``Callable[[], float]``: those measure intervals and are passed as ``monotonic=``."""
Clock = WallClock
"""The old name, for ``sources/registry.py`` until it moves to ``commands/``."""


@dataclass(frozen=True, slots=True)
class Feed:
    source: str
    name: str
    tier: Tier
    interval_s: float
    collections: tuple[Collection, ...]
    run: FeedRun
    bulky: bool = False
    """A walk that grows with the floor (the roster: 50 pages at 5,000 agents): ``snapshot``
    reads it after the rest of its tier, so a deadline costs it and not the others."""

    @property
    def id(self) -> str:
        return f"{self.source}.{self.name}"


class Source(abc.ABC):
    """A configured vendor: its client, its feeds, its current records."""

    name: str

    def __init__(
        self,
        client: SourceClient,
        *,
        now: WallClock | None = None,
        intervals: Mapping[str, float] | None = None,
    ) -> None:
        self.client = client
        self.intervals = dict(intervals or {})
        """Poll intervals from the config, by feed name; a feed not named keeps its default."""
        self.now: WallClock = now or utcnow
        """The time windows of requests (history, periods) are computed from this clock."""
        self.tally = ParseTally()
        """Records kept/skipped and fields degraded, over the source's lifetime."""

    @abc.abstractmethod
    def feeds(self) -> Sequence[Feed]: ...

    def feed(
        self,
        name: str,
        tier: Tier,
        interval_s: float,
        collections: Sequence[Collection],
        run: FeedRun,
        *,
        bulky: bool = False,
    ) -> Feed:
        """One of this source's feeds, polled every ``interval_s`` unless :attr:`intervals`
        says otherwise."""
        interval_s = self.intervals.get(name, interval_s)
        return Feed(self.name, name, tier, interval_s, tuple(collections), run, bulky)

    def readers(self) -> Mapping[Collection, Reader]:
        """How each collection this source fills is read; the others have no records."""
        return {}

    def records(self, collection: Collection) -> Sequence[Record]:
        """The complete current set of ``collection`` from this source (may be empty)."""
        read = self.readers().get(collection)
        return [] if read is None else read()

    has_agent_activity: bool = False
    """Whether :meth:`agent_activity` can tell what an agent did lately (an optional
    capability: CCAI keeps an activity log, ALO and Evo do not)."""

    async def agent_activity(self, agent_id: str, limit: int = 20) -> list[AgentActivity]:
        """The agent's latest activity log entries, one request through the source's rate
        limit; raises :class:`~ccmon.http.SourceError` when the vendor cannot be read."""
        raise NotImplementedError(f"{self.name} keeps no agent activity log")

    def probe(self) -> tuple[str, dict[str, Any]]:
        """The cheapest request that proves the source works (path and query: one small
        page, no paging); ``doctor`` sends it through the source's client."""
        raise NotImplementedError(f"{self.name} names no probe")

    def parse(self, model: type[M], items: list[Any]) -> list[M]:
        """Parse one page tolerantly, adding what it cost to :attr:`tally`."""
        tally = ParseTally()
        rows = parse_records(model, items, tally)
        self.tally.add(tally)
        return rows

    async def aclose(self) -> None:
        await self.client.aclose()


def utcnow() -> datetime:
    return datetime.now(UTC)
