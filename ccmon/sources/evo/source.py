"""The Evo source: live and recent sessions from ``/portal/activity``.

One login may reach several accounts: with ``account_ids`` each poll walks the list once
per account, sending it as ``AccountId``, and (with more than one) puts the account's name
before each queue's, so that two accounts' "Sales" queues stay apart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from ccmon.domain import Collection, Interaction, Queue
from ccmon.domain.serialize import iso
from ccmon.http import ErrorKind, SourceClient, SourceError
from ccmon.http.pagination import PagePacer, evo_pages
from ccmon.sources.base import Feed, Reader, Source, Tier, WallClock
from ccmon.sources.evo import mapping
from ccmon.sources.evo import models as m


class EvoSource(Source):
    name = mapping.SOURCE

    def __init__(
        self,
        client: SourceClient,
        *,
        account_ids: Sequence[str] = (),
        history_minutes: int = 60,
        page_size: int = 100,
        intervals: dict[str, float] | None = None,
        now: WallClock | None = None,
    ) -> None:
        super().__init__(client, now=now, intervals=intervals)
        self.history = timedelta(minutes=history_minutes)
        self.page_size = page_size
        self.account_ids = tuple(account_ids)
        self._sessions: list[Interaction] = []
        self._queues: list[Queue] = []

    def feeds(self) -> list[Feed]:
        fills = (Collection.INTERACTIONS, Collection.QUEUES)
        return [self.feed("sessions", Tier.LIVE, 3.0, fills, self.poll_sessions)]

    def readers(self) -> dict[Collection, Reader]:
        return {
            Collection.INTERACTIONS: lambda: self._sessions,
            Collection.QUEUES: lambda: self._queues,
        }

    def probe(self) -> tuple[str, dict[str, Any]]:
        return "portal/activity", {"Page": 0, "CountPerPage": 1, "SimplifiedPaging": "true"}

    async def poll_sessions(self, priority: float = 0.0, pacer: PagePacer | None = None) -> None:
        params = {
            "StartDateTime": iso(self.now() - self.history, millis=True),
            "SortField": "DateCreated",
            "SortOrder": "Descend",
        }
        sessions: dict[str, Interaction] = {}
        labelled = len(self.account_ids) > 1
        for account in self.account_ids or (None,):
            query = params if account is None else {**params, "AccountId": account}
            try:
                async for page in evo_pages(
                    self.client,
                    "portal/activity",
                    query,
                    per=self.page_size,
                    priority=priority,
                    pacer=pacer,
                ):
                    for row in self.parse(m.Session, page):
                        session = mapping.to_interaction(row, account if labelled else None)
                        sessions.setdefault(session.key, session)
            except SourceError as exc:
                if account is None or exc.kind is not ErrorKind.AUTH or exc.status != 403:
                    raise
                raise SourceError(
                    exc.kind,
                    f"{self.name}: access denied to account {account} (HTTP 403 on "
                    f"{exc.endpoint}) - check evo.account_ids: the login must reach each",
                    status=exc.status,
                    endpoint=exc.endpoint,
                ) from None
        self._sessions = list(sessions.values())
        self._queues = mapping.to_queues(self._sessions)
