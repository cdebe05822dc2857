"""``Engine``: sources + poll loops + store, started and stopped as one: the live floor."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

from ccmon.domain import AgentActivity, Collection, newest_first
from ccmon.engine.floor import StoreFloor
from ccmon.engine.health import SourceHealth, source_health
from ccmon.engine.scheduler import MAX_BACKOFF_S, FeedState, SourcePoller
from ccmon.sources.base import Feed, Source, WallClock, utcnow


class Companion(Protocol):
    """Something that runs with the engine, started after its pollers and stopped before its
    sources close (the history recorder)."""

    def start(self) -> None: ...

    async def stop(self) -> None: ...


class Engine(StoreFloor):
    """The live :class:`~ccmon.engine.floor.Floor`: polls every source in the background
    and publishes diffs through its store.

    Runs inside the caller's event loop (the Textual app's, or ``watch``'s); every network
    wait happens in the pollers' tasks, never in the caller.
    """

    def __init__(
        self,
        sources: Sequence[Source],
        *,
        monotonic: Callable[[], float] = time.monotonic,
        max_backoff_s: float = MAX_BACKOFF_S,
        now: WallClock | None = None,
    ) -> None:
        super().__init__(now or utcnow)
        self.sources = list(sources)
        self._monotonic = monotonic
        self._pollers = [
            SourcePoller(s, self._feed_done, monotonic=monotonic, max_backoff_s=max_backoff_s)
            for s in self.sources
        ]
        self._by_source = {p.source.name: p for p in self._pollers}
        self.companions: list[Companion] = []

    @property
    def source_names(self) -> list[str]:
        return [s.name for s in self.sources]

    def _feed_done(self, feed: Feed) -> None:
        source = self._by_source[feed.source].source
        for collection in feed.collections:
            self.store.replace(collection, source.name, source.records(collection))

    async def __aenter__(self) -> Engine:
        self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def start(self) -> None:
        for poller in self._pollers:
            poller.start()
        for companion in self.companions:
            companion.start()

    async def stop(self) -> None:
        for poller in self._pollers:
            await poller.stop()
        for companion in self.companions:
            await companion.stop()
        for source in self.sources:
            await source.aclose()

    def refresh_now(self) -> None:
        for poller in self._pollers:
            poller.refresh_now()

    def _source_of(self, key: str) -> tuple[Source | None, str]:
        name, _, agent_id = key.partition(":")
        poller = self._by_source.get(name)
        return (poller.source if poller is not None else None), agent_id

    def has_agent_activity(self, key: str) -> bool:
        """Whether the source of the agent ``key`` (``ccai:101``) keeps an activity log."""
        source, _ = self._source_of(key)
        return source is not None and source.has_agent_activity

    async def agent_activity(self, key: str, limit: int = 20) -> list[AgentActivity]:
        """The agent's latest activity, newest first (one request, within the rate limit);
        ``[]`` where its source keeps no log. Raises ``SourceError`` as a poll would."""
        source, agent_id = self._source_of(key)
        if source is None or not source.has_agent_activity:
            return []
        return newest_first(await source.agent_activity(agent_id, limit))

    def feed_states(self) -> list[FeedState]:
        return [state for p in self._pollers for state in p.states.values()]

    def feed_age(self, feed_id: str) -> float | None:
        for poller in self._pollers:
            if feed_id in poller.states:
                return poller.states[feed_id].age(self._monotonic())
        raise KeyError(feed_id)

    def pending(self) -> frozenset[Collection]:
        return frozenset(
            c for s in self.feed_states() if not (s.runs or s.error) for c in s.feed.collections
        )

    def feed_ages(self) -> dict[str, float | None]:
        now = self._monotonic()
        return {state.feed.id: state.age(now) for state in self.feed_states()}

    def health(self) -> list[SourceHealth]:
        now = self._monotonic()
        return [source_health(p.source, list(p.states.values()), now) for p in self._pollers]
