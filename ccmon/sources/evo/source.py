"""The Evo source: live and recent sessions from ``/portal/activity``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from ccmon.domain import Collection, Interaction, Queue, Record
from ccmon.http import SourceClient
from ccmon.http.pagination import evo_pages
from ccmon.sources.base import Clock, Feed, Source, Tier, iso_z
from ccmon.sources.evo import mapping
from ccmon.sources.evo import models as m


class EvoSource(Source):
    name = mapping.SOURCE

    def __init__(
        self,
        client: SourceClient,
        *,
        history_minutes: int = 60,
        page_size: int = 100,
        intervals: dict[str, float] | None = None,
        now: Clock | None = None,
    ) -> None:
        super().__init__(client, now=now)
        self.history = timedelta(minutes=history_minutes)
        self.page_size = page_size
        self._intervals = intervals or {}
        self._sessions: list[Interaction] = []
        self._queues: list[Queue] = []

    def feeds(self) -> list[Feed]:
        return [
            Feed(
                self.name,
                "sessions",
                Tier.LIVE,
                self._intervals.get("sessions", 3.0),
                (Collection.INTERACTIONS, Collection.QUEUES),
                self.poll_sessions,
            ),
        ]

    def records(self, collection: Collection) -> Sequence[Record]:
        if collection is Collection.INTERACTIONS:
            return self._sessions
        if collection is Collection.QUEUES:
            return self._queues
        return []

    async def poll_sessions(self, priority: float = 0.0) -> None:
        params = {
            "StartDateTime": iso_z(self.now() - self.history),
            "SortField": "DateCreated",
            "SortOrder": "Descend",
        }
        sessions: list[Interaction] = []
        async for page in evo_pages(
            self.client, "portal/activity", params, per=self.page_size, priority=priority
        ):
            sessions.extend(mapping.to_interaction(row) for row in self.parse(m.Session, page))
        self._sessions = sessions
        self._queues = mapping.to_queues(sessions)
