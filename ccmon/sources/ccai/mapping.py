"""CCAI payloads → domain records. Pure functions; every vendor string passes ``clean``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from ccmon.domain import Agent, AgentActivity, AgentState, Interaction, Phase, Queue, Sla
from ccmon.sources.ccai import models as m
from ccmon.text import clean, clean_or

SOURCE = "ccai"

# Built-in user statuses (ids from the vendor's user_statuses list). Accounts add their own
# statuses with positive ids; those are matched by name below.
_STATE_BY_STATUS_ID = {
    "0": AgentState.AVAILABLE,
    "-1": AgentState.AWAY,  # Unavailable
    "-2": AgentState.AWAY,  # Break
    "-3": AgentState.AWAY,  # Special Task
    "-4": AgentState.AWAY,  # Meal
    "-5": AgentState.AWAY,  # Missed Call
    "-6": AgentState.WRAP_UP,
    "-7": AgentState.IN_CALL,
    "-8": AgentState.IN_CHAT,
    "-10": AgentState.OFFLINE,
}
_STATE_BY_NAME = {
    "available": AgentState.AVAILABLE,
    "wrap-up": AgentState.WRAP_UP,
    "wrap up": AgentState.WRAP_UP,
    "in-call": AgentState.IN_CALL,
    "in call": AgentState.IN_CALL,
    "in-chat": AgentState.IN_CHAT,
    "in chat": AgentState.IN_CHAT,
    "offline": AgentState.OFFLINE,
}

# Call and chat statuses (seed enums) by phase; anything else is OTHER.
_PHASE_BY_STATUS = {
    "selecting": Phase.WAITING,
    "queued": Phase.WAITING,
    "assigned": Phase.ACTIVE,
    "connecting": Phase.ACTIVE,
    "connected": Phase.ACTIVE,
    "switching": Phase.ACTIVE,
    "action_only": Phase.ACTIVE,
    "finished": Phase.ENDED,
    "recovered": Phase.ENDED,
    "action_only_finished": Phase.ENDED,
    "deflected": Phase.ENDED,
    "voicemail": Phase.ENDED,
    "voicemail_received": Phase.ENDED,
    "voicemail_read": Phase.ENDED,
    "scheduled": Phase.OTHER,
    "failed": Phase.FAILED,
    "canceled": Phase.ABANDONED,
    "no_response": Phase.ABANDONED,
}
_ABANDON_REASONS = frozenset(
    {"eu_abandoned", "eu_in_menu_abandoned", "eu_canceled", "expired", "no_response"}
)
_CHANNEL_BY_TYPE = {"voice_call": "call", "call": "call", "chat": "chat", "messaging": "chat"}


def agent_state(status_id: str | None, status_name: str | None) -> AgentState:
    if status_id in _STATE_BY_STATUS_ID:
        return _STATE_BY_STATUS_ID[status_id]
    if status_name is None:
        return AgentState.OTHER
    return _STATE_BY_NAME.get(status_name.strip().lower(), AgentState.AWAY)


def channel_of(channel_type: str | None, default: str = "call") -> str:
    if not channel_type:
        return default
    value = channel_type.strip().lower()
    return _CHANNEL_BY_TYPE.get(value, clean_or(value, default))


def agent_name(agent: m.Agent | m.Person) -> str:
    if isinstance(agent, m.Person) and agent.name:
        return clean_or(agent.name, f"#{agent.id}")
    parts = [agent.first_name, getattr(agent, "middle_name", None), agent.last_name]
    full = " ".join(part.strip() for part in parts if part and part.strip())
    if full:
        return clean_or(full, f"#{agent.id}")
    email = getattr(agent, "email", None)
    return clean_or(email, f"#{agent.id}")


def _team_name(agent: m.Agent) -> str | None:
    for team in agent.teams or ():
        if team.name and not team.deleted:
            return clean(team.name)
    return None


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """What ccmon keeps of a roster record (``/agents``): a few fields, not the model, so
    5,000 agents with their menu assignments stay small in memory."""

    id: str
    name: str
    team: str | None
    status_id: str | None
    status_name: str | None
    status_since: datetime | None
    menu_ids: tuple[str, ...]


def roster_entry(agent: m.Agent) -> RosterEntry:
    status = agent.status
    return RosterEntry(
        id=agent.id,
        name=agent_name(agent),
        team=_team_name(agent),
        status_id=status.id if status else None,
        status_name=status.name if status else None,
        status_since=agent.status_updated_at,
        menu_ids=tuple(
            sorted({c.menu.id for c in agent.channels or () if c.menu and c.menu.id is not None})
        ),
    )


def to_agent(
    listed: RosterEntry | None,
    current: m.AgentCurrentStatus | None,
    statuses: Mapping[str, m.UserStatus],
    team_of: Mapping[str, str] | None = None,
) -> Agent:
    """Join the roster entry (names, teams) with the live status, whichever exists.

    A logged-in agent comes from ``current_status``; one that is not falls back to the status
    the roster holds for it, so the vendor's own value is shown rather than a guess.
    """
    if current is not None:
        status_id = current.status_id
        known = statuses.get(status_id) if status_id is not None else None
        label = current.status or (known.name if known is not None else None)
        since = current.status_updated_at
    elif listed is not None:
        status_id, label, since = listed.status_id, listed.status_name, listed.status_since
    else:
        status_id, label, since = None, None, None
    agent_id = current.id if current is not None else listed.id if listed is not None else "?"
    return Agent(
        source=SOURCE,
        id=agent_id,
        name=listed.name if listed is not None else f"#{agent_id}",
        state=agent_state(status_id, label),
        status=clean_or(label, "unknown"),
        state_since=since,
        team=(listed.team if listed is not None else None) or (team_of or {}).get(agent_id),
    )


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """What ccmon keeps of a menu (``/menus``): its place in the tree, its channels and the
    agents assigned to it directly or through a team."""

    id: str
    name: str
    parent_id: str | None
    deleted: bool
    channels: frozenset[str]
    agent_ids: frozenset[str]


def menu_entry(menu: m.Menu) -> MenuEntry:
    return MenuEntry(
        id=menu.id,
        name=clean_or(menu.name, f"#{menu.id}"),
        parent_id=menu.parent_id,
        deleted=bool(menu.deleted),
        channels=frozenset(menu_channels(menu)),
        agent_ids=frozenset(assigned_agents(menu)),
    )


def team_members(teams: Iterable[m.Team]) -> dict[str, str]:
    """Agent id → team name from ``/teams`` (for agents whose roster entry names none)."""
    members: dict[str, str] = {}
    for team in teams:
        name = clean(team.name)
        people = team.assignees if isinstance(team.assignees, list) else [team.assignees]
        if name is None or team.deleted:
            continue
        for person in people:
            if person is not None and person.id is not None:
                members.setdefault(person.id, name)
    return members


def menu_paths(menus: Mapping[str, MenuEntry]) -> dict[str, str]:
    """Full "Parent/Child" path of every menu, built from parent ids (cycles cut)."""
    paths: dict[str, str] = {}
    for menu_id in menus:
        names: list[str] = []
        seen: set[str] = set()
        node: str | None = menu_id
        while node is not None and node in menus and node not in seen:
            seen.add(node)
            names.append(menus[node].name)
            node = menus[node].parent_id
        paths[menu_id] = "/".join(reversed(names))
    return paths


def menu_channels(menu: m.Menu) -> set[str]:
    kinds = {channel_of(a.channel_type) for a in menu.agent_assignments or () if a.channel_type}
    kinds |= {channel_of(a.channel_type) for a in menu.team_assignments or () if a.channel_type}
    return kinds


def assigned_agents(menu: m.Menu) -> set[str]:
    ids: set[str] = set()
    for assignment in menu.agent_assignments or ():
        if assignment.assignee is not None and assignment.assignee.id is not None:
            ids.add(assignment.assignee.id)
    for team_assignment in menu.team_assignments or ():
        team = team_assignment.team
        members = team.assignees if team is not None else None
        for person in members if isinstance(members, list) else [members] if members else []:
            if person.id is not None:
                ids.add(person.id)
    return ids


def to_queues(
    menus: Mapping[str, MenuEntry],
    waiting: Iterable[m.MenuCurrentStatus],
    agents_by_menu: Mapping[str, set[str]],
) -> list[Queue]:
    """Every leaf menu per channel (0 waiting unless current_status says otherwise).

    ``menus/current_status`` lists only menus with someone waiting; joining it with the menu
    list keeps empty queues on screen. Several languages of one menu are summed.
    """
    paths = menu_paths(menus)
    parents = {menu.parent_id for menu in menus.values() if menu.parent_id is not None}
    queues: dict[tuple[str, str], Queue] = {}
    for menu in menus.values():
        if menu.id in parents or menu.deleted:
            continue
        agents = tuple(sorted(menu.agent_ids | agents_by_menu.get(menu.id, set())))
        for channel in sorted(menu.channels or {"call"}):
            queues[(menu.id, channel)] = Queue(
                SOURCE, menu.id, paths[menu.id], channel, 0, None, None, agents
            )
    for row in waiting:
        channel = channel_of(row.comm_type)
        key = (row.menu_id, channel)
        base = queues.get(key)
        count = max(0, row.in_queue_count or 0)
        name = clean(row.menu_path) or paths.get(row.menu_id) or f"#{row.menu_id}"
        if base is None or base.in_queue == 0:
            previous_count, previous_wait, previous_since = 0, None, None
        else:
            previous_count, previous_wait, previous_since = (
                base.in_queue,
                base.longest_wait_s,
                base.oldest_since,
            )
        queues[key] = Queue(
            source=SOURCE,
            id=row.menu_id,
            name=name,
            channel=channel,
            in_queue=previous_count + count,
            longest_wait_s=_max_opt(previous_wait, row.oldest_duration_in_queue),
            oldest_since=_min_opt(previous_since, row.oldest_in_queue),
            agent_ids=base.agent_ids if base is not None else (),
        )
    return sorted(queues.values(), key=lambda q: (q.name, q.channel))


def _max_opt(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def _min_opt(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def to_menu_sla(row: m.MenuSla, channel: str) -> Sla:
    return Sla(
        source=SOURCE,
        scope="queue",
        id=row.menu_path_id,
        name=clean_or(row.menu_path, f"#{row.menu_path_id}"),
        channel=channel,
        sla_pct=row.sla,
        lang=clean(row.lang),
    )


def to_group_sla(row: m.QueueGroupSla, channel: str) -> Sla:
    return Sla(
        source=SOURCE,
        scope="queue_group",
        id=row.queue_group_id,
        name=clean_or(row.queue_group_name, f"#{row.queue_group_id}"),
        channel=channel,
        sla_pct=row.sla,
    )


def _contact_phase(status: str | None, fail_reason: str | None) -> Phase:
    if status is None:
        return Phase.OTHER
    phase = _PHASE_BY_STATUS.get(status.lower(), Phase.OTHER)
    if phase is Phase.FAILED and fail_reason in _ABANDON_REASONS:
        return Phase.ABANDONED
    return phase


def _queue_name(contact: m.Call | m.Chat) -> str | None:
    if contact.menu_path is not None:
        path = contact.menu_path.materialized_path or contact.menu_path.name
        if path:
            return clean(path)
    return clean(contact.selected_menu.name) if contact.selected_menu else None


def _sla_event(contact: m.Call | m.Chat) -> str | None:
    events = [q.service_level_event for q in contact.queue_durations or () if q.service_level_event]
    return clean(events[0]) if events else None


def to_interaction(contact: m.Call | m.Chat) -> Interaction:
    if isinstance(contact, m.Call):
        kind, answered, duration = "call", contact.connected_at, contact.call_duration
        customer = contact.end_user.identifier if contact.end_user else None
    else:
        kind, answered, duration = "chat", contact.assigned_at, contact.chat_duration
        customer = contact.end_user.identifier if contact.end_user else None
    phase = _contact_phase(contact.status, contact.fail_reason)
    wait = contact.queue_duration if contact.queue_duration is not None else contact.wait_duration
    # CCAI counts a wait once the contact is answered and a talk once it ends, and sends 0
    # until then: that 0 is "not yet", not a figure (Interaction.as_of gives the time so far).
    if phase is Phase.WAITING and not wait:
        wait = None
    if phase in (Phase.WAITING, Phase.ACTIVE) and not duration:
        duration = None
    return Interaction(
        source=SOURCE,
        kind=kind,
        id=contact.id,
        status=clean_or(contact.status, "unknown"),
        phase=phase,
        queue=_queue_name(contact),
        agent=agent_name(contact.agent_info) if contact.agent_info is not None else None,
        created_at=contact.created_at,
        answered_at=answered,
        ended_at=contact.ends_at,
        wait_s=wait,
        duration_s=duration,
        customer=clean(customer),
        direction="outbound"
        if isinstance(contact, m.Call) and (contact.call_type or "").endswith("Outbound")
        else "inbound",
        sla_event=_sla_event(contact),
        updated_at=contact.updated_at,
    )


# What an activity log entry says happened, in words for people (the seed's activity table).
_ACTIVITY_WORDS = {
    "login": "Logged in",
    "logout": "Logged out",
    "user_status_changed": "Status changed",
    "call_outbound_dialing": "Dialled out",
    "call_notification_offered": "Offered a call",
    "deltacast_call_notification_offered": "Offered a call",
    "multicast_call_notification_offered": "Offered a call (to all)",
    "call_pick_up_attempt": "Tried to answer a call",
    "deltacast_call_pick_up_attempt": "Tried to answer a call",
    "multicast_call_pick_up_attempt": "Tried to answer a call",
    "call_picked_up": "Answered a call",
    "deltacast_call_picked_up": "Answered a call",
    "multicast_call_picked_up": "Answered a call",
    "deltacast_call_missed": "Missed a call",
    "deltacast_call_projected": "Call put through",
    "deltacast_call_bounced": "Call passed on",
    "chat_notification_offered": "Offered a chat",
    "chat_pick_up_attempt": "Tried to take a chat",
    "chat_picked_up": "Took a chat",
}


def activity_words(code: str | None) -> str:
    """``deltacast_call_picked_up`` → "Answered a call"; a code not in the vendor's list
    reads as its words ("Some new event")."""
    if not code:
        return "—"
    known = _ACTIVITY_WORDS.get(code.strip().lower())
    if known is not None:
        return known
    return clean_or(code.replace("_", " ").strip().capitalize(), "—")


def to_activity(row: m.ActivityLog, agent_id: str) -> AgentActivity:
    status = row.status
    label = clean(status.name) if status is not None else None
    return AgentActivity(
        source=SOURCE,
        agent_id=row.agent_id or agent_id,
        id=row.id,
        what=activity_words(row.activity),
        code=clean(row.activity),
        started_at=row.started_at,
        ended_at=row.ended_at,
        status=label,
        state=agent_state(status.id, status.name) if status is not None else None,
        duration_s=row.duration,
    )
