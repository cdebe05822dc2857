"""Google CCAI Platform manager API v1 payloads, as far as a monitor needs them.

Shapes follow the seed docs (``shared/seeds/002_…``). Every field but the identifying one is
optional, enums are kept as plain strings (vendors add values), and a field may arrive in
either of the shapes the docs show (team ``assignees`` is an object in the model block and a
list in the examples).
"""

from __future__ import annotations

from ccmon.sources.tolerant import Id, UtcDatetime, VendorModel


class StatusRef(VendorModel):
    id: str | None = None
    name: str | None = None
    color: str | None = None
    wfm_id: str | None = None


class Person(VendorModel):
    """An agent as embedded in other records (agent_info, assignee, whodunnit ...)."""

    id: Id | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    agent_number: str | None = None


class TeamRef(VendorModel):
    id: str | None = None
    name: str | None = None
    parent_id: str | None = None
    deleted: bool | None = None
    agents_count: int | None = None
    assignees: list[Person] | Person | None = None


class MenuRef(VendorModel):
    id: str | None = None
    name: str | None = None
    parent_id: str | None = None
    deleted: bool | None = None
    hidden: bool | None = None
    menu_type: str | None = None


class ChannelAssignment(VendorModel):
    channel_type: str | None = None
    menu: MenuRef | None = None


class Agent(VendorModel):
    """``GET /agents``."""

    id: Id
    email: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    agent_number: str | None = None
    status: StatusRef | None = None
    status_updated_at: UtcDatetime | None = None
    online: bool | None = None
    wrap_up: bool | None = None
    location: str | None = None
    teams: list[TeamRef] | None = None
    channels: list[ChannelAssignment] | None = None


class AgentCurrentStatus(VendorModel):
    """``GET /agents/current_status``: logged-in agents only."""

    id: Id
    status: str | None = None
    status_id: str | None = None
    status_updated_at: UtcDatetime | None = None
    on_hold: bool | None = None
    on_hold_duration: int | None = None


class ActivityLog(VendorModel):
    """``GET /agent_activity_logs``."""

    id: str
    agent_id: str | None = None
    whodunnit: Person | None = None
    status: StatusRef | None = None
    started_at: UtcDatetime | None = None
    ended_at: UtcDatetime | None = None
    duration: int | None = None
    activity: str | None = None
    call_id: str | None = None
    chat_id: str | None = None


class MenuPathRef(VendorModel):
    name: str | None = None
    materialized_path: str | None = None


class EndUser(VendorModel):
    id: str | None = None
    identifier: str | None = None


class QueueDuration(VendorModel):
    agent_id: str | None = None
    queue_duration: int | None = None
    menu_path_id: str | None = None
    menu_path: str | None = None
    started_at: UtcDatetime | None = None
    ended_at: UtcDatetime | None = None
    service_level_event: str | None = None
    service_level_target_percent: float | None = None
    service_level_target_time: int | None = None
    service_level_abandon_time_threshold: int | None = None


class _Contact(VendorModel):
    """What calls and chats share."""

    id: Id
    lang: str | None = None
    status: str | None = None
    created_at: UtcDatetime | None = None
    assigned_at: UtcDatetime | None = None
    ends_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None
    queue_duration: int | None = None
    wait_duration: int | None = None
    """Deprecated by the vendor in favour of queue_duration; read as a fallback."""
    fail_reason: str | None = None
    selected_menu: MenuRef | None = None
    menu_path: MenuPathRef | None = None
    agent_info: Person | None = None
    end_user: EndUser | None = None
    queue_durations: list[QueueDuration] | None = None


class Call(_Contact):
    """``GET /calls``."""

    call_type: str | None = None
    queued_at: UtcDatetime | None = None
    connected_at: UtcDatetime | None = None
    call_duration: int | None = None
    hold_duration: int | None = None
    support_number: str | None = None


class Chat(_Contact):
    """``GET /chats``."""

    chat_type: str | None = None
    chat_duration: int | None = None
    first_msg_sent_at: UtcDatetime | None = None


class Assignment(VendorModel):
    lang: str | None = None
    queue_level: str | None = None
    channel_type: str | None = None
    assignee: Person | None = None


class TeamAssignment(VendorModel):
    lang: str | None = None
    channel_type: str | None = None
    team: TeamRef | None = None


class Menu(VendorModel):
    """``GET /menus`` (and ``/menus/tree`` with ``children``)."""

    id: Id
    name: str | None = None
    parent_id: str | None = None
    position: int | None = None
    deleted: bool | None = None
    hidden: bool | None = None
    menu_type: str | None = None
    agent_assignments: list[Assignment] | None = None
    team_assignments: list[TeamAssignment] | None = None
    children: list[Menu] | None = None


class MenuCurrentStatus(VendorModel):
    """``GET /menus/current_status``: only menus with someone waiting."""

    menu_id: Id
    lang: str | None = None
    menu_path_id: str | None = None
    menu_path: str | None = None
    comm_type: str | None = None
    in_queue_count: int | None = None
    oldest_in_queue: UtcDatetime | None = None
    oldest_duration_in_queue: int | None = None
    total_queue_duration: int | None = None
    average_queue_duration: float | None = None


class MenuSla(VendorModel):
    """``GET /menus/sla?channel=&minutes=``."""

    menu_path_id: Id
    lang: str | None = None
    menu_path: str | None = None
    sla: float | None = None


class QueueGroupSla(VendorModel):
    """``GET /menus/sla_by_queue_groups?channel=&minutes=``."""

    queue_group_id: Id
    queue_group_name: str | None = None
    sla: float | None = None


class UserStatus(VendorModel):
    """``GET /user_statuses``."""

    id: str
    name: str | None = None
    color: str | None = None
    wfm_id: str | None = None


class Team(VendorModel):
    """``GET /teams`` (and ``/teams/tree`` with ``children``)."""

    id: str
    name: str | None = None
    parent_id: str | None = None
    agents_count: int | None = None
    deleted: bool | None = None
    assignees: list[Person] | Person | None = None
    children: list[Team] | None = None
