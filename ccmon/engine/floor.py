"""``Floor``: what every screen and command consumes, whoever feeds it.

The live :class:`~ccmon.engine.engine.Engine` polls the vendors; a replay plays a recording;
the still floor (screenshots, snapshot tests) holds one fixed read; a hub viewer follows what
one hub publishes. Each implements this protocol, and the consumers (``CcmonApp``, the
wallboard, ``watch``, ``--record``) take a ``Floor``, never one of them in particular.

:class:`StoreFloor` is the part they share: the keyed :class:`Store` that turns each new
state of a (collection, source) into a diff for the subscribers, and the floor metrics
computed from it. It is a base for implementations, not something consumers see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from ccmon.domain import Action, Agent, AgentActivity, Collection, Interaction, Queue, Sla
from ccmon.domain.policy import SlaPolicy
from ccmon.engine.health import SourceHealth
from ccmon.engine.metrics import (
    ContactSummary,
    FloorMetrics,
    compute,
    summarize_contacts,
)
from ccmon.engine.store import Listener, R, Store

CONTACTS_REFRESH_S = 15
"""How long a contact summary is reused when no contact changed (the window slides)."""


@runtime_checkable
class Floor(Protocol):
    """The floor as the screens see it: records, their diffs, health and figures."""

    @property
    def source_names(self) -> Sequence[str]:
        """The sources this floor is fed from, in their configured order."""
        ...

    def now(self) -> datetime:
        """The floor's time: wall time live, the recorded time in a replay."""
        ...

    def start(self) -> None:
        """Begin feeding (in the running event loop); diffs follow through ``subscribe``."""
        ...

    async def stop(self) -> None: ...

    def refresh_now(self) -> None:
        """Ask for fresh data as soon as the budget allows (a no-op where nothing is fetched)."""
        ...

    def subscribe(self, listener: Listener, *, replay: bool = True) -> Callable[[], None]:
        """Call ``listener`` with every diff; with ``replay`` the current state comes first
        as ``initial`` events. Returns a function that unsubscribes."""
        ...

    def records(self, collection: Collection, kind: type[R]) -> Iterator[R]:
        """The current records of ``collection`` (every source), of record type ``kind``."""
        ...

    def collections(self) -> dict[Collection, int]:
        """How many records each collection holds now."""
        ...

    def health(self) -> list[SourceHealth]:
        """Per source: health in words, data age, budget use, the latest error."""
        ...

    def feed_ages(self) -> dict[str, float | None]:
        """Seconds since each feed's last good read (``None``: never read), by feed id."""
        ...

    def metrics(self, policy: SlaPolicy | None = None) -> FloorMetrics:
        """The floor's computed figures now (formulas in :mod:`ccmon.engine.metrics`)."""
        ...

    def origin(self) -> str | None:
        """Where the data comes from when it is not this process's own polling (the hub
        that leads, for a viewer); shown in front of the status bar."""
        ...

    def pending(self) -> frozenset[Collection]:
        """Collections a feed of which has neither answered nor failed once yet: their
        figures are partial (no alert is raised from them)."""
        ...

    def has_agent_activity(self, key: str) -> bool:
        """Whether an activity log can be read for the agent ``key`` (an optional
        capability of a source; a replay, a still picture or a hub viewer has none)."""
        ...

    async def agent_activity(self, key: str, limit: int = 20) -> list[AgentActivity]:
        """The agent's latest activity, newest first; ``[]`` where there is none."""
        ...


class StoreFloor:
    """The store-backed half of a :class:`Floor`: records, diffs and metrics.

    Subclasses feed ``self.store`` and provide ``now``, health, feed ages and the
    lifecycle.
    """

    def __init__(self, now: Callable[[], datetime]) -> None:
        self.store = Store()
        self._now = now
        self._contacts: tuple[tuple[int, SlaPolicy, int], ContactSummary] | None = None

    def now(self) -> datetime:
        return self._now()

    def subscribe(self, listener: Listener, *, replay: bool = True) -> Callable[[], None]:
        return self.store.subscribe(listener, replay=replay)

    def records(self, collection: Collection, kind: type[R]) -> Iterator[R]:
        return self.store.of_type(collection, kind)

    def collections(self) -> dict[Collection, int]:
        return {c: self.store.count(c) for c in Collection}

    def origin(self) -> str | None:
        return None

    def pending(self) -> frozenset[Collection]:
        return frozenset()

    def has_agent_activity(self, key: str) -> bool:
        return False

    async def agent_activity(self, key: str, limit: int = 20) -> list[AgentActivity]:
        return []

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
