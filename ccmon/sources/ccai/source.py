"""The CCAI source: feeds over the manager API and the joined view of their results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel

from ccmon.domain import (
    Agent,
    AgentActivity,
    Collection,
    Interaction,
    Phase,
    Queue,
    Sla,
)
from ccmon.domain.serialize import iso
from ccmon.http import SourceClient, SourceError
from ccmon.http.errors import ErrorKind
from ccmon.http.pagination import PagePacer, ccai_pages, expect_list
from ccmon.sources.base import Feed, FeedRun, Reader, Source, Tier, WallClock
from ccmon.sources.ccai import mapping
from ccmon.sources.ccai import models as m

M = TypeVar("M", bound=BaseModel)

OVERLAP = timedelta(seconds=120)
"""Incremental call/chat polls start this long before the newest ``updated_at`` seen, so a
clock difference between ccmon and the vendor, or a late commit there, loses nothing."""

MAX_INTERACTIONS = 5000
"""Recent calls and chats kept; beyond it the oldest go first."""


class CcaiSource(Source):
    name = mapping.SOURCE

    def __init__(
        self,
        client: SourceClient,
        *,
        sla_minutes: int = 60,
        sla_channels: Sequence[str] = ("call", "chat"),
        history_minutes: int = 60,
        page_size: int = 100,
        intervals: dict[str, float] | None = None,
        now: WallClock | None = None,
    ) -> None:
        super().__init__(client, now=now, intervals=intervals)
        self.sla_minutes = sla_minutes
        self.sla_channels = tuple(sla_channels)
        self.history = timedelta(minutes=history_minutes)
        self.page_size = page_size
        self._spelling: dict[tuple[str, str], str] = {}
        """(resource, suffix) → the spelling of the path that answered."""
        self._statuses: dict[str, m.UserStatus] = {}
        self._team_of: dict[str, str] = {}
        self._roster: dict[str, mapping.RosterEntry] = {}
        self._current: dict[str, m.AgentCurrentStatus] = {}
        self._menus: dict[str, mapping.MenuEntry] = {}
        self._waiting: list[m.MenuCurrentStatus] = []
        self._sla: dict[tuple[str, str], list[Sla]] = {}
        self._contacts: dict[str, Interaction] = {}
        self._high_water: dict[str, datetime] = {}

    # -- feeds -----------------------------------------------------------------------------
    def feeds(self) -> list[Feed]:
        feed = self.feed
        agents, queues, sla = (Collection.AGENTS,), (Collection.QUEUES,), (Collection.SLA,)
        contacts = (Collection.INTERACTIONS,)
        feeds = [
            feed("agent_status", Tier.LIVE, 2.5, agents, self.poll_agent_status),
            feed("queue_status", Tier.LIVE, 2.5, queues, self.poll_queue_status),
            feed("calls", Tier.HISTORY, 30, contacts, self.poll_calls),
            feed("chats", Tier.HISTORY, 30, contacts, self.poll_chats),
            # First among equals on the live screen's first fill: names come with the first
            # statuses (the feeds' order breaks ties at the limiter).
            feed("agents", Tier.REFERENCE, 600, agents + queues, self.poll_roster, bulky=True),
            feed("menus", Tier.REFERENCE, 600, queues, self.poll_menus),
            feed("user_statuses", Tier.REFERENCE, 3600, agents, self.poll_statuses),
            feed("teams", Tier.REFERENCE, 3600, agents, self.poll_teams),
        ]
        for channel in self.sla_channels:
            feeds.append(
                feed(f"sla_{channel}", Tier.NEAR, 60, sla, self._sla_poller("sla", channel))
            )
            group_sla = self._sla_poller("sla_by_queue_groups", channel)
            feeds.append(feed(f"group_sla_{channel}", Tier.NEAR, 120, sla, group_sla))
        return feeds

    def readers(self) -> dict[Collection, Reader]:
        return {
            Collection.AGENTS: self.agents,
            Collection.QUEUES: self.queues,
            Collection.SLA: lambda: [row for rows in self._sla.values() for row in rows],
            Collection.INTERACTIONS: lambda: list(self._contacts.values()),
        }

    def probe(self) -> tuple[str, dict[str, Any]]:
        return "agents/current_status", {}

    # -- joined views ----------------------------------------------------------------------
    def agents(self) -> list[Agent]:
        ids = list(self._roster) + [i for i in self._current if i not in self._roster]
        return [
            mapping.to_agent(
                self._roster.get(i), self._current.get(i), self._statuses, self._team_of
            )
            for i in ids
        ]

    def queues(self) -> list[Queue]:
        by_menu: dict[str, set[str]] = {}
        for agent in self._roster.values():
            for menu_id in agent.menu_ids:
                by_menu.setdefault(menu_id, set()).add(agent.id)
        return mapping.to_queues(self._menus, self._waiting, by_menu)

    # -- fetching --------------------------------------------------------------------------
    async def _list(
        self,
        model: type[M],
        path: str,
        priority: float,
        params: dict[str, Any] | None = None,
        pacer: PagePacer | None = None,  # one page: nothing to space
    ) -> list[M]:
        """One unpaged list endpoint (current_status, sla ...), parsed tolerantly."""
        response = await self.client.get_json(path, params, priority=priority)
        return self.parse(model, expect_list(self.client, response, "/" + path))

    async def _paged(
        self,
        model: type[M],
        path: str,
        priority: float,
        params: dict[str, Any] | None = None,
        pacer: PagePacer | None = None,
    ) -> list[M]:
        rows: list[M] = []
        async for page in ccai_pages(
            self.client, path, params, per=self.page_size, priority=priority, pacer=pacer
        ):
            rows.extend(self.parse(model, page))
        return rows

    async def _either_spelling(
        self,
        resource: str,
        model: type[M],
        suffix: str,
        priority: float,
        params: dict[str, Any] | None = None,
        pacer: PagePacer | None = None,
        paged: bool = False,
    ) -> list[M]:
        """GET <resource>/<suffix> (``menus``, ``teams``), falling back on a 404 to the
        singular spellings the vendor's prose uses (``menu/…``, and ``menu/sla_by_queue_group``
        for ``menus/sla_by_queue_groups``), and remembering the one that works."""
        fetch = self._paged if paged else self._list
        singular = resource.removesuffix("s")
        candidates = [f"{resource}/{suffix}", f"{singular}/{suffix}"]
        if suffix.endswith("s"):
            candidates.append(f"{singular}/{suffix.removesuffix('s')}")
        known = self._spelling.get((resource, suffix))
        for path in [known] if known else candidates:
            try:
                rows = await fetch(model, path.rstrip("/"), priority, params, pacer)
            except SourceError as exc:
                if exc.kind is not ErrorKind.NOT_FOUND or known or path == candidates[-1]:
                    raise
                continue
            self._spelling[(resource, suffix)] = path
            return rows
        raise AssertionError("unreachable: the last candidate returns or raises")

    async def poll_agent_status(
        self, priority: float = 0.0, pacer: PagePacer | None = None
    ) -> None:
        rows = await self._list(m.AgentCurrentStatus, "agents/current_status", priority)
        self._current = {row.id: row for row in rows}

    async def poll_queue_status(
        self, priority: float = 0.0, pacer: PagePacer | None = None
    ) -> None:
        self._waiting = await self._either_spelling(
            "menus", m.MenuCurrentStatus, "current_status", priority
        )

    async def poll_roster(self, priority: float = 0.0, pacer: PagePacer | None = None) -> None:
        """Each page counts as it arrives (a walk cut short keeps what it read); a complete
        walk then drops agents who are no longer on the roster."""
        walked: dict[str, mapping.RosterEntry] = {}
        async for page in ccai_pages(
            self.client, "agents", per=self.page_size, priority=priority, pacer=pacer
        ):
            entries = {row.id: mapping.roster_entry(row) for row in self.parse(m.Agent, page)}
            walked.update(entries)
            self._roster.update(entries)
        self._roster = walked

    async def poll_menus(self, priority: float = 0.0, pacer: PagePacer | None = None) -> None:
        rows = await self._either_spelling("menus", m.Menu, "", priority, pacer=pacer, paged=True)
        self._menus = {row.id: mapping.menu_entry(row) for row in rows}

    async def poll_teams(self, priority: float = 0.0, pacer: PagePacer | None = None) -> None:
        rows = await self._either_spelling("teams", m.Team, "", priority, pacer=pacer, paged=True)
        self._team_of = mapping.team_members(rows)

    async def poll_statuses(self, priority: float = 0.0, pacer: PagePacer | None = None) -> None:
        rows = await self._list(m.UserStatus, "user_statuses", priority)
        self._statuses = {row.id: row for row in rows}

    def _sla_poller(self, endpoint: str, channel: str) -> FeedRun:
        async def poll(priority: float = 0.0, pacer: PagePacer | None = None) -> None:
            params = {"channel": channel, "minutes": self.sla_minutes}
            if endpoint == "sla":
                rows = await self._either_spelling("menus", m.MenuSla, "sla", priority, params)
                self._sla[(endpoint, channel)] = [mapping.to_menu_sla(r, channel) for r in rows]
            else:
                groups = await self._either_spelling(
                    "menus", m.QueueGroupSla, endpoint, priority, params
                )
                self._sla[(endpoint, channel)] = [mapping.to_group_sla(r, channel) for r in groups]

        return poll

    has_agent_activity = True

    async def agent_activity(self, agent_id: str, limit: int = 20) -> list[AgentActivity]:
        """An agent's latest activity log entries (``agent_activity_logs``; the vendor sorts
        them by start, the engine puts same-second entries in order)."""
        params = {
            "agent_id[]": agent_id,
            "sort_column": "started_at",
            "sort_direction": "DESC",
            "page": 1,
            "per": limit,
        }
        rows = await self._list(m.ActivityLog, "agent_activity_logs", 0.0, params)
        return [mapping.to_activity(row, agent_id) for row in rows]

    async def poll_calls(self, priority: float = 0.0, pacer: PagePacer | None = None) -> None:
        await self._poll_contacts("calls", m.Call, priority, pacer)

    async def poll_chats(self, priority: float = 0.0, pacer: PagePacer | None = None) -> None:
        await self._poll_contacts("chats", m.Chat, priority, pacer)

    async def _poll_contacts(
        self,
        path: str,
        model: type[m.Call] | type[m.Chat],
        priority: float,
        pacer: PagePacer | None = None,
    ) -> None:
        """Incremental: only what changed since the newest ``updated_at`` seen (minus overlap)."""
        now = self.now()
        horizon = now - self.history
        since = (
            max(horizon, self._high_water[path] - OVERLAP) if path in self._high_water else horizon
        )
        params = {
            "updated_at[from]": iso(since, millis=True),
            "sort_column": "updated_at",
            "sort_direction": "ASC",
        }
        rows: Sequence[m.Call | m.Chat] = await self._paged(model, path, priority, params, pacer)
        self._expire(horizon, "call" if path == "calls" else "chat")
        for row in rows:
            record = mapping.to_interaction(row)
            self._contacts[record.key] = record
            if row.updated_at is not None and (
                path not in self._high_water or row.updated_at > self._high_water[path]
            ):
                self._high_water[path] = row.updated_at

    def _expire(self, horizon: datetime, kind: str) -> None:
        """Forget ended contacts older than the window (before new rows are added)."""

        def last_seen(record: Interaction) -> datetime:
            return record.updated_at or record.ended_at or record.created_at or horizon

        stale = [
            k
            for k, r in self._contacts.items()
            if r.kind == kind
            and r.phase in (Phase.ENDED, Phase.ABANDONED, Phase.FAILED)
            and last_seen(r) < horizon
        ]
        for key in stale:
            del self._contacts[key]
        if len(self._contacts) > MAX_INTERACTIONS:
            newest = sorted(self._contacts.values(), key=last_seen, reverse=True)
            self._contacts = {r.key: r for r in newest[:MAX_INTERACTIONS]}
