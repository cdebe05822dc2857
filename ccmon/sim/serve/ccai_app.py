"""CCAI Platform manager API v1, under ``/manager/api/v1`` as the docs' URLs show it."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from ccmon.sim.config import SimConfig
from ccmon.sim.render.ccai import CcaiRenderer, call_status, chat_status, fail_reason
from ccmon.sim.serve.listing import BadParameter, Filters, PageRules, paginate, select
from ccmon.sim.serve.responses import error, respond, vendor_app
from ccmon.sim.serve.runtime import VendorRuntime
from ccmon.sim.timefmt import parse_iso
from ccmon.sim.world import World
from ccmon.sim.world.center import Center
from ccmon.sim.world.model import ActivityLog, Agent, Channel, Contact, Menu, Team
from ccmon.sim.world.stats import queue_status, sla_by_group, sla_by_queue
from ccmon.sim.world.statuses import ALL_STATUSES, WRAP_UP

BASE_PATH = "/manager/api/v1"
T = TypeVar("T")

AGENT_FILTERS: Filters[Agent] = Filters(
    matches={
        "id": lambda a: a.id,
        "agent_number": lambda a: a.agent_number,
        "status_id": lambda a: a.status.id,
        "online": lambda a: a.logged_in,
        "wrap_up": lambda a: a.status == WRAP_UP,
        "location": lambda a: a.location,
        "email": lambda a: a.email,
        "first_name": lambda a: a.first_name,
        "last_name": lambda a: a.last_name,
    },
    time_ranges={
        "last_login_time": lambda a: a.last_login_at,
        "status_updated_at": lambda a: a.status_since,
        "created_at": lambda a: a.created_at,
    },
    number_ranges={},
)
LOG_FILTERS: Filters[ActivityLog] = Filters(
    matches={
        "id": lambda log: log.id,
        "agent_id": lambda log: log.agent_id,
        "whodunnit_id": lambda log: None,
        "activity": lambda log: log.activity,
        "call_id": lambda log: log.call_id,
        "chat_id": lambda log: log.chat_id,
    },
    time_ranges={"started_at": lambda log: log.started_at, "ended_at": lambda log: log.ended_at},
    number_ranges={"duration": lambda log: log.duration},
)
_CONTACT_MATCHES: dict[str, Callable[[Contact], object]] = {
    "id": lambda c: c.id,
    "agent_id": lambda c: c.agent.id if c.agent else None,
    "end_user_id": lambda c: c.caller.end_user_id,
    "verified": lambda c: c.verified,
}
_CONTACT_TIMES: dict[str, Callable[[Contact], float | None]] = {
    "created_at": lambda c: c.created_at,
    "updated_at": lambda c: c.updated_at,
    "assigned_at": lambda c: c.assigned_at,
    "ends_at": lambda c: c.ended_at,
}
_CONTACT_NUMBERS: dict[str, Callable[[Contact], float | None]] = {
    "rating": lambda c: c.rating,
    "wait_duration": lambda c: c.queue_duration,
    "queue_duration": lambda c: c.queue_duration,
}
CALL_FILTERS: Filters[Contact] = Filters(
    matches=_CONTACT_MATCHES
    | {
        "call_status": call_status,
        "status": call_status,
        "call_fail_reason": fail_reason,
        "call_type": lambda c: c.subtype,
    },
    time_ranges=_CONTACT_TIMES
    | {"queued_at": lambda c: c.queued_at, "connected_at": lambda c: c.connected_at},
    number_ranges=_CONTACT_NUMBERS
    | {
        "call_duration": lambda c: c.talk_seconds if c.ended else 0,
        "hold_duration": lambda c: round(c.hold_total),
    },
)
CHAT_FILTERS: Filters[Contact] = Filters(
    matches=_CONTACT_MATCHES
    | {
        "chat_status": chat_status,
        "status": chat_status,
        "chat_fail_reason": fail_reason,
        "chat_type": lambda c: c.subtype,
    },
    time_ranges=_CONTACT_TIMES
    | {
        "first_msg_sent_at": lambda c: c.created_at + 2,
        "last_msg_sent_at": lambda c: c.ended_at,
    },
    number_ranges=_CONTACT_NUMBERS
    | {
        "chat_duration": lambda c: c.talk_seconds if c.ended else 0,
        "message_count": lambda c: c.messages,
    },
)
MENU_FILTERS: Filters[Menu] = Filters(
    matches={
        "id": lambda m: m.id,
        "name": lambda m: m.name,
        "parent_id": lambda m: m.parent.id if m.parent else None,
        "position": lambda m: m.position,
        "menu_type": lambda m: m.menu_type,
        "hidden": lambda m: False,
    },
    time_ranges={},
    number_ranges={},
)
TEAM_FILTERS: Filters[Team] = Filters(
    matches={
        "id": lambda t: t.id,
        "name": lambda t: t.name,
        "parent_id": lambda t: t.parent.id if t.parent else None,
        "position": lambda t: t.position,
    },
    time_ranges={},
    number_ranges={"agents_count": lambda t: t.agents_count()},
)


def _time_param(request: Request, key: str) -> float | None:
    raw = request.query_params.get(key)
    if not raw:
        return None
    try:
        return parse_iso(raw)
    except ValueError:
        raise BadParameter(f"Invalid {key}: {raw!r}") from None


def _changed_since(center: Center, channel: Channel, request: Request) -> Iterable[Contact]:
    """Contacts that may match ``updated_at[from]``, found from the change index (by id)."""
    since = _time_param(request, "updated_at[from]")
    if since is None:
        return center.contacts[channel].values()
    updates = center.updates[channel]
    first = bisect.bisect_left(updates, since, key=lambda entry: entry[0])
    changed = {contact.id: contact for _, contact in updates[first:]}
    return [changed[key] for key in sorted(changed)]


def _started_since(center: Center, request: Request) -> Sequence[ActivityLog]:
    """Logs that may match ``started_at[from]``: a bisection, as they are in started_at order."""
    logs = center.activity_logs
    since = _time_param(request, "started_at[from]")
    if since is None:
        return logs
    return logs[bisect.bisect_left(logs, since, key=lambda log: log.started_at) :]


class CcaiApi:
    """The endpoints; each reads the world under its lock and encodes outside it."""

    def __init__(self, runtime: VendorRuntime, config: SimConfig) -> None:
        self.live = runtime.live
        self.config = config
        self.render = CcaiRenderer(config.subdomain)
        self.pages = PageRules(
            config.per_page_default, config.per_page_max, config.pagination_headers
        )

    def _listing(
        self,
        request: Request,
        pick: Callable[[World], Iterable[T]],
        filters: Filters[T],
        render: Callable[[T], Any],
    ) -> Response:
        try:
            with self.live.current() as world:
                chosen = select(pick(world), filters, request.query_params)
                page, headers = paginate(chosen, request.url, request.query_params, self.pages)
                payload = [render(item) for item in page]
        except BadParameter as bad:
            return error(request, 400, str(bad))
        return respond(request, payload, headers=headers)

    async def agents(self, request: Request) -> Response:
        return self._listing(
            request, lambda w: w.ccai.floor.agents, AGENT_FILTERS, self.render.agent
        )

    async def agents_current_status(self, request: Request) -> Response:
        with self.live.current() as world:
            now = world.now
            payload = [
                self.render.agent_current_status(agent, now)
                for agent in world.ccai.floor.agents
                if agent.logged_in
            ]
        return respond(request, payload)

    async def activity_logs(self, request: Request) -> Response:
        return self._listing(
            request,
            lambda w: _started_since(w.ccai, request),
            LOG_FILTERS,
            self.render.activity_log,
        )

    async def calls(self, request: Request) -> Response:
        return self._listing(
            request,
            lambda w: _changed_since(w.ccai, Channel.CALL, request),
            CALL_FILTERS,
            self.render.call,
        )

    async def chats(self, request: Request) -> Response:
        return self._listing(
            request,
            lambda w: _changed_since(w.ccai, Channel.CHAT, request),
            CHAT_FILTERS,
            self.render.chat,
        )

    async def menus(self, request: Request) -> Response:
        return self._listing(request, lambda w: w.ccai.floor.menus, MENU_FILTERS, self.render.menu)

    async def menu_tree(self, request: Request) -> Response:
        types = set(request.query_params.getlist("menu_type[]")) or None
        with self.live.current() as world:
            payload = [
                self.render.menu_tree(root, types)
                for root in world.ccai.floor.roots
                if types is None or root.menu_type in types
            ]
        return respond(request, payload)

    async def menu(self, request: Request) -> Response:
        wanted = request.path_params["menu_id"]
        with self.live.current() as world:
            found = next((m for m in world.ccai.floor.menus if m.id == wanted), None)
            record = self.render.menu(found) if found else None
        if record is None:
            return error(request, 404, "Record not found")
        return respond(request, [record] if self.config.single_menu_as_list else record)

    async def menus_current_status(self, request: Request) -> Response:
        with self.live.current() as world:
            rows = queue_status(world.ccai, world.now)
            payload = [self.render.queue_status(row) for row in rows]
        return respond(request, payload)

    def _sla_window(self, request: Request) -> tuple[Channel, float] | Response:
        channel = request.query_params.get("channel", "").lower()
        minutes = request.query_params.get("minutes", "")
        try:
            window = float(minutes)
        except ValueError:
            window = -1.0
        if channel not in ("call", "chat") or not window > 0:
            return error(
                request, 400, "channel (call or chat) and minutes (a positive number) are required"
            )
        return Channel(channel), window

    async def menus_sla(self, request: Request) -> Response:
        window = self._sla_window(request)
        if isinstance(window, Response):
            return window
        with self.live.current() as world:
            rows = sla_by_queue(world.ccai, world.now, window[1], window[0])
        return respond(request, [self.render.menu_sla(queue, sla) for queue, sla in rows])

    async def menus_sla_by_queue_groups(self, request: Request) -> Response:
        window = self._sla_window(request)
        if isinstance(window, Response):
            return window
        with self.live.current() as world:
            rows = sla_by_group(world.ccai, world.now, window[1], window[0])
        return respond(request, [self.render.group_sla(group, sla) for group, sla in rows])

    async def user_statuses(self, request: Request) -> Response:
        return respond(request, [self.render.status(status) for status in ALL_STATUSES])

    async def teams(self, request: Request) -> Response:
        return self._listing(request, lambda w: w.ccai.floor.teams, TEAM_FILTERS, self.render.team)

    async def team_tree(self, request: Request) -> Response:
        with self.live.current() as world:
            roots = [team for team in world.ccai.floor.teams if team.parent is None]
            payload = [self.render.team_tree(team) for team in roots]
        return respond(request, payload)

    async def team(self, request: Request) -> Response:
        wanted = request.path_params["team_id"]
        with self.live.current() as world:
            found = next((t for t in world.ccai.floor.teams if t.id == wanted), None)
            record = self.render.team(found) if found else None
        if record is None:
            return error(request, 404, "Record not found")
        return respond(request, record)

    def routes(self) -> list[BaseRoute]:
        spellings = {"both": ("menus", "menu"), "plural": ("menus",), "singular": ("menu",)}
        menus, teams = [], []
        for menu in spellings[self.config.menu_paths]:
            menus += [
                Route(f"/{menu}", self.menus),
                Route(f"/{menu}/tree", self.menu_tree),
                Route(f"/{menu}/current_status", self.menus_current_status),
                Route(f"/{menu}/sla", self.menus_sla),
                # The reference spells it `menus/sla_by_queue_groups`, the prose
                # `menu/sla_by_queue_group`: each spelling mode serves its own.
                Route(
                    f"/{menu}/sla_by_queue_group{'s' if menu == 'menus' else ''}",
                    self.menus_sla_by_queue_groups,
                ),
                Route(f"/{menu}/{{menu_id:int}}", self.menu),
            ]
            team = menu.replace("menu", "team")
            teams += [
                Route(f"/{team}", self.teams),
                Route(f"/{team}/tree", self.team_tree),
                Route(f"/{team}/{{team_id:int}}", self.team),
            ]
        return [
            Mount(
                BASE_PATH,
                routes=[
                    Route("/agents", self.agents),
                    Route("/agents/current_status", self.agents_current_status),
                    Route("/agent_activity_logs", self.activity_logs),
                    Route("/calls", self.calls),
                    Route("/chats", self.chats),
                    Route("/user_statuses", self.user_statuses),
                    *menus,
                    *teams,
                ],
            )
        ]


def ccai_app(runtime: VendorRuntime, config: SimConfig) -> Starlette:
    return vendor_app(CcaiApi(runtime, config).routes(), runtime)
