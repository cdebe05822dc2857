"""``Engine``: sources + poll loops + store, started and stopped as one."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from ccmon.domain import (
    Action,
    Agent,
    AgentActivity,
    Collection,
    Interaction,
    Queue,
    Sla,
    newest_first,
)
from ccmon.engine.health import SourceHealth, source_health
from ccmon.engine.metrics import (
    ContactSummary,
    FloorMetrics,
    SlaPolicy,
    compute,
    summarize_contacts,
)
from ccmon.engine.scheduler import MAX_BACKOFF_S, FeedState, SourcePoller
from ccmon.engine.store import Listener, Store
from ccmon.sources.base import Clock, Feed, Source, utcnow

CONTACTS_REFRESH_S = 15
"""How long a contact summary is reused when no contact changed (the window slides)."""


class Engine:
    """Polls every source in the background and publishes diffs through its :class:`Store`.

    Runs inside the caller's event loop (the Textual app's, or ``watch``'s); every network
    wait happens in the pollers' tasks, never in the caller.
    """

    def __init__(
        self,
        sources: Sequence[Source],
        *,
        clock: Callable[[], float] = time.monotonic,
        max_backoff_s: float = MAX_BACKOFF_S,
        now: Clock | None = None,
    ) -> None:
        self.sources = list(sources)
        self.now: Clock = now or utcnow
        self.store = Store()
        self._clock = clock
        self._pollers = [
            SourcePoller(s, self._feed_done, clock=clock, max_backoff_s=max_backoff_s)
            for s in self.sources
        ]
        self._by_source = {p.source.name: p for p in self._pollers}
        self._contacts: tuple[tuple[int, SlaPolicy, int], ContactSummary] | None = None

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

    async def stop(self) -> None:
        for poller in self._pollers:
            await poller.stop()
        for source in self.sources:
            await source.aclose()

    def subscribe(self, listener: Listener, *, replay: bool = True) -> Callable[[], None]:
        return self.store.subscribe(listener, replay=replay)

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
                return poller.states[feed_id].age(self._clock())
        raise KeyError(feed_id)

    def health(self) -> list[SourceHealth]:
        now = self._clock()
        return [source_health(p.source, list(p.states.values()), now) for p in self._pollers]

    def collections(self) -> dict[Collection, int]:
        return {c: self.store.count(c) for c in Collection}

    def metrics(self, policy: SlaPolicy | None = None) -> FloorMetrics:
        """Floor metrics now. The pass over every contact is reused until the contacts
        change or ``CONTACTS_REFRESH_S`` passes (the window slides); agents and queues, which
        change every poll, are counted afresh."""
        policy = policy or SlaPolicy()
        now = self.now()
        of_type = self.store.of_type
        key = (
            self.store.version(Collection.INTERACTIONS),
            policy,
            int(now.timestamp() // CONTACTS_REFRESH_S),
        )
        if self._contacts is None or self._contacts[0] != key:
            interactions = of_type(Collection.INTERACTIONS, Interaction)
            self._contacts = (key, summarize_contacts(interactions, now=now, policy=policy))
        return compute(
            now=now,
            agents=of_type(Collection.AGENTS, Agent),
            queues=of_type(Collection.QUEUES, Queue),
            contacts=self._contacts[1],
            sla=of_type(Collection.SLA, Sla),
            actions=of_type(Collection.ACTIONS, Action),
            policy=policy,
        )
