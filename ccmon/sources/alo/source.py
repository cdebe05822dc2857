"""The ALO source: periods, and the actions of the current one (the action board)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from ccmon.domain import Action, Collection, Period
from ccmon.domain.periods import current_period
from ccmon.domain.serialize import iso
from ccmon.http import SourceClient, SourceError
from ccmon.http.errors import ErrorKind
from ccmon.http.pagination import PagePacer
from ccmon.sources.alo import mapping
from ccmon.sources.alo import models as m
from ccmon.sources.base import Feed, Reader, Source, Tier, WallClock


class AloSource(Source):
    name = mapping.SOURCE

    def __init__(
        self,
        client: SourceClient,
        *,
        periods_lookback_days: int = 40,
        intervals: dict[str, float] | None = None,
        now: WallClock | None = None,
    ) -> None:
        super().__init__(client, now=now, intervals=intervals)
        self.lookback = timedelta(days=periods_lookback_days)
        self._periods: list[Period] = []
        self._current: Period | None = None
        self._actions: list[Action] = []

    def feeds(self) -> list[Feed]:
        actions, periods = Collection.ACTIONS, Collection.PERIODS
        return [
            self.feed("actions", Tier.NEAR, 10.0, (actions,), self.poll_actions),
            self.feed("periods", Tier.REFERENCE, 300.0, (periods, actions), self.poll_periods),
        ]

    def readers(self) -> dict[Collection, Reader]:
        return {
            Collection.PERIODS: lambda: self._periods,
            Collection.ACTIONS: lambda: self._actions,
        }

    def probe(self) -> tuple[str, dict[str, Any]]:
        now = self.now()
        return "periods", {
            "start_date": iso(now - timedelta(days=1), millis=True),
            "end_date": iso(now + timedelta(days=1), millis=True),
        }

    @property
    def current_period(self) -> Period | None:
        return self._current

    def _envelope(self, data: Any, key: str, endpoint: str) -> list[Any]:
        items = data.get(key) if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise SourceError(
                ErrorKind.BAD_RESPONSE,
                f"{self.name}: {endpoint} sent no '{key}' list",
                endpoint=endpoint,
            )
        return items

    async def poll_periods(self, priority: float = 0.0, pacer: PagePacer | None = None) -> None:
        now = self.now()
        params = {
            "start_date": iso(now - self.lookback, millis=True),
            "end_date": iso(now + timedelta(days=1), millis=True),
        }
        response = await self.client.get_json("periods", params, priority=priority)
        rows = self.parse(m.Period, self._envelope(response.data, "periods", "/periods"))
        self._periods = [mapping.to_period(row) for row in rows]
        current = current_period(self._periods, now)
        if current is None or self._current is None or current.id != self._current.id:
            self._actions = []
        self._current = current

    async def poll_actions(self, priority: float = 0.0, pacer: PagePacer | None = None) -> None:
        if self._current is None:
            await self.poll_periods(priority)
        if self._current is None:
            self._actions = []
            return
        period_id = self._current.id
        endpoint = f"periods/{quote(period_id, safe='')}/actions"  # an id is one path segment
        response = await self.client.get_json(endpoint, priority=priority)
        rows: list[m.Action] = self.parse(
            m.Action, self._envelope(response.data, "actions", "/" + endpoint)
        )
        self._actions = [mapping.to_action(row, period_id) for row in rows]
