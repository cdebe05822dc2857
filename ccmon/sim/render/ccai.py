"""CCAI Platform manager API v1 records, shaped like the examples in the docs.

Where the docs' examples disagree with their own models, the examples win: they are
what a server was seen to send (``agent_number`` is a number inside menu assignments,
``transfer`` is 0/1 in duration records, a single menu comes back as a one-item list).
"""

from __future__ import annotations

import functools
from typing import Any

from ccmon.sim.timefmt import iso_z, iso_z_or_none
from ccmon.sim.world.model import (
    ActivityLog,
    Agent,
    Channel,
    Contact,
    Menu,
    Phase,
    Queue,
    QueueGroup,
    Team,
)
from ccmon.sim.world.stats import QueueStatus
from ccmon.sim.world.statuses import WRAP_UP, UserStatus

Json = dict[str, Any]

_SUPPORT_NUMBERS = {"Main Line": "+18005550142"}
_ABANDONED_MESSAGE = "This call was abandoned by the customer."  # adapter_fail_code 20003
_CALL_STATUS = {
    Phase.SELECTING: "selecting",
    Phase.QUEUED: "queued",
    Phase.ASSIGNED: "assigned",
    Phase.CONNECTED: "connected",
    Phase.FINISHED: "finished",
    Phase.ABANDONED: "failed",
    Phase.EXPIRED: "failed",
}
_CHAT_STATUS = {
    Phase.SELECTING: "queued",
    Phase.QUEUED: "queued",
    Phase.ASSIGNED: "assigned",
    Phase.CONNECTED: "assigned",
    Phase.FINISHED: "finished",
    Phase.ABANDONED: "canceled",
    Phase.EXPIRED: "failed",
}


def call_status(contact: Contact) -> str:
    return _CALL_STATUS[contact.phase]


def chat_status(contact: Contact) -> str:
    return _CHAT_STATUS[contact.phase]


def fail_reason(contact: Contact) -> str | None:
    if contact.channel is Channel.CHAT:
        return "expired" if contact.phase is Phase.EXPIRED else None
    return "eu_abandoned" if contact.phase is Phase.ABANDONED else "nothing"


class CcaiRenderer:
    def __init__(self, subdomain: str) -> None:
        self.site = f"https://{subdomain}.ccaip.example.com"
        self._static: dict[Agent, Json] = {}

    # -- small pieces shared by several endpoints ----------------------------------------

    @staticmethod
    @functools.cache
    def status(status: UserStatus) -> Json:
        """A status object; shared, like every cached piece, so never changed in place."""
        return {
            "id": status.id,
            "name": status.name,
            "color": status.color,
            "wfm_id": status.wfm_id,
        }

    def agent_ref(self, agent: Agent, *, numeric_number: bool = False) -> Json:
        return {
            "id": agent.id,
            "name": agent.name,
            "last_name": agent.last_name,
            "first_name": agent.first_name,
            "agent_number": int(agent.agent_number) if numeric_number else agent.agent_number,
            "avatar_url": f"{self.site}/default-profile.png",
        }

    @staticmethod
    def team_summary(team: Team) -> Json:
        return {
            "id": team.id,
            "name": team.name,
            "parent_id": team.parent.id if team.parent else None,
            "position": team.position,
            "agents_count": team.agents_count(),
            "deleted": False,
        }

    @staticmethod
    def menu_summary(menu: Menu) -> Json:
        return {
            "id": menu.id,
            "name": menu.name,
            "parent_id": menu.parent.id if menu.parent else None,
            "position": menu.position,
            "deleted": False,
            "menu_type": menu.menu_type,
            "output_msg": menu.output_msg,
            "hidden": False,
        }

    @staticmethod
    def menu_path(menu: Menu) -> Json:
        return {"items_count": menu.depth, "name": menu.name, "materialized_path": menu.path}

    # -- agents ----------------------------------------------------------------------------

    def _agent_static(self, agent: Agent) -> Json:
        """The parts of an agent's record that never change, built once per agent.

        Shared between answers: nothing may change them in place (the data faults
        work on deep copies).
        """
        cached = self._static.get(agent)
        if cached is None:
            cached = self._static[agent] = {
                "id": agent.id,
                "email": agent.email,
                "roles": list(agent.roles),
                "first_name": agent.first_name,
                "middle_name": None,
                "last_name": agent.last_name,
                "avatar_url": f"{self.site}/default-profile.png",
                "agent_number": agent.agent_number,
                "crm_authenticated": None,
                "status": None,
                "online": None,
                "wrap_up": None,
                "call_count": None,
                "chat_count": None,
                "location": agent.location,
                "created_at": iso_z(agent.created_at),
                "last_login_time": None,
                "status_updated_at": None,
                "teams": [self.team_summary(team) for team in agent.teams],
                "channels": [
                    {"channel_type": _channel_type(q), "menu": self.menu_summary(q.menu)}
                    for q in agent.queues
                ],
            }
        return cached

    def agent(self, agent: Agent) -> Json:
        contact = agent.contact
        return self._agent_static(agent) | {
            "crm_authenticated": agent.logged_in,
            "status": self.status(agent.status),
            "online": agent.logged_in,
            "wrap_up": agent.status == WRAP_UP,
            "call_count": int(contact is not None and contact.channel is Channel.CALL),
            "chat_count": int(contact is not None and contact.channel is Channel.CHAT),
            "last_login_time": iso_z_or_none(agent.last_login_at),
            "status_updated_at": iso_z(agent.status_since),
        }

    @staticmethod
    def agent_current_status(agent: Agent, now: float) -> Json:
        held = agent.on_hold_since
        return {
            "id": agent.id,
            "status": agent.status.name,
            "status_id": agent.status.id,
            "status_updated_at": iso_z(agent.status_since),
            "on_hold": held is not None,
            "on_hold_duration": 0 if held is None else round(now - held),
        }

    def activity_log(self, log: ActivityLog) -> Json:
        return {
            "id": log.id,
            "agent_id": log.agent_id,
            "status": self.status(log.status),
            "started_at": iso_z(log.started_at),
            "ended_at": iso_z_or_none(log.ended_at),
            "duration": log.duration,
            "call_id": log.call_id,
            "chat_id": log.chat_id,
            "activity": log.activity,
            "whodunnit": None,
        }

    # -- calls and chats -------------------------------------------------------------------

    def _selected(self, contact: Contact) -> Menu | None:
        """The leaf menu, once the customer has picked it (not while still in the IVR)."""
        if contact.queue is None or contact.phase is Phase.SELECTING:
            return None
        return contact.queue.menu

    def _common(self, contact: Contact) -> Json:
        menu = self._selected(contact)
        agent = contact.agent
        return {
            "id": contact.id,
            "lang": contact.queue.lang if contact.queue else "en",
            "created_at": iso_z(contact.created_at),
            "assigned_at": iso_z_or_none(contact.assigned_at),
            "ends_at": iso_z_or_none(contact.ended_at),
            "updated_at": iso_z(contact.updated_at),
            "queue_duration": contact.queue_duration or 0,
            "wait_duration": contact.queue_duration or 0,
            "verified": contact.verified,
            "rating": contact.rating,
            "has_feedback": contact.rating is not None,
            "out_ticket_id": str(contact.id + 7000) if contact.ended else None,
            "out_ticket_url": None,
            "selected_menu": self.menu_summary(menu) if menu else None,
            "menu_path": self.menu_path(menu) if menu else None,
            "agent_info": self.agent_ref(agent) if agent else None,
            "end_user": {
                "id": contact.caller.end_user_id,
                "identifier": contact.caller.name,
                "out_contact_id": contact.caller.out_contact_id,
            },
            "photos": [],
            "videos": [],
            "transfers": [],
            "participants": self._participants(contact),
            "offer_type": "cascade" if contact.queued_at is not None else None,
            "offer_events": (
                [{"casting_time": iso_z(contact.queued_at), "group": "Group 1"}]
                if contact.queued_at is not None
                else []
            ),
            "queue_durations": self._queue_durations(contact),
            "consumer_event_durations": [],
            "virtual_agent": None,
            "virtual_agent_deflected_escalations": [],
            "virtual_agent_handle_durations": [],
        }

    def _participants(self, contact: Contact) -> list[Json]:
        ended = contact.ended
        status = "finished" if contact.phase is Phase.FINISHED else "failed" if ended else "waiting"
        if contact.connected_at is not None and not ended:
            status = "connected"
        common = {
            "status": status,
            "call_id": contact.id,
            "call_duration": contact.talk_seconds,
            "hold_duration": None,
            "connected_at": iso_z_or_none(contact.connected_at),
            "ended_at": iso_z_or_none(contact.ended_at),
            "fail_reason": "nothing",
            "adapter_fail_code": None,
            "adapter_fail_message": None,
        }
        rows = [
            {"id": contact.id * 10 + 1, "type": "end_user", "user_id": None}
            | {"end_user_id": contact.caller.end_user_id}
            | common
        ]
        if contact.agent is not None:
            rows.append(
                {"id": contact.id * 10 + 2, "type": "agent", "user_id": contact.agent.id}
                | {"end_user_id": None}
                | common
            )
        return rows

    def _queue_durations(self, contact: Contact) -> list[Json]:
        queue, menu = contact.queue, self._selected(contact)
        if queue is None or menu is None or contact.sla_event is None or contact.queued_at is None:
            return []
        ended = contact.assigned_at if contact.assigned_at is not None else contact.ended_at
        return [
            {
                "id": contact.id * 10 + 3,
                "agent_id": contact.agent.id if contact.agent else None,
                "queue_duration": contact.queue_duration or 0,
                "menu_path_id": menu.path_id,
                "menu_path": menu.path,
                "lang": queue.lang,
                "transfer": 0,
                "transfer_id": None,
                "transfer_cold": 0,
                "started_at": iso_z(contact.queued_at),
                "ended_at": iso_z_or_none(ended),
                "service_level_abandon_time_threshold": queue.abandon_threshold,
                "service_level_event": contact.sla_event,
                "service_level_target_percent": queue.target_percent,
                "service_level_target_time": queue.target_time,
            }
        ]

    def _handle_durations(self, contact: Contact, talk_key: str, extra: Json) -> list[Json]:
        menu, agent = self._selected(contact), contact.agent
        if menu is None or agent is None or contact.phase is not Phase.FINISHED:
            return []
        assert contact.connected_at is not None
        assert contact.assigned_at is not None
        assert contact.ended_at is not None
        acw_end = contact.acw_ended_at
        acw = 0 if acw_end is None else round(acw_end - contact.ended_at)
        return [
            {
                "id": contact.id * 10 + 4,
                "agent_id": agent.id,
                "acw_duration": acw,
                "bcw_duration": 0,
                talk_key: contact.talk_seconds,
                "wait_duration": contact.queue_duration or 0,
                "assigned_connection_duration": round(contact.connected_at - contact.assigned_at),
                "hold_duration": round(contact.hold_total),
                "menu_path_id": menu.path_id,
                "menu_path": menu.path,
                "lang": contact.queue.lang if contact.queue else "en",
                "barged": 0,
                "transfer": 0,
                "transfer_id": None,
                "transfer_cold": 0,
                "started_at": iso_z(contact.connected_at),
                "ended_at": iso_z_or_none(contact.ended_at),
                "scheduled_at": None,
            }
            | extra
        ]

    def call(self, contact: Contact) -> Json:
        finished = contact.phase is Phase.FINISHED
        abandoned = contact.phase is Phase.ABANDONED
        menu = self._selected(contact)
        root = contact.queue.menu.root.name if contact.queue else ""
        return self._common(contact) | {
            "parent_id": None,
            "call_type": contact.subtype,
            "status": call_status(contact),
            "queued_at": iso_z_or_none(contact.queued_at),
            "connected_at": iso_z_or_none(contact.connected_at),
            "scheduled_at": None,
            "call_duration": contact.talk_seconds if finished else 0,
            "hold_duration": round(contact.hold_total),
            "voip_provider": "voip_provider_twilio",
            "recording_url": None,
            "recording_permission": "not_asked",
            "voicemail_reason": "not_voicemail",
            "deflection": "no_deflection",
            "disconnected_by": "disconnected_by_unknown",
            "fail_reason": fail_reason(contact),
            "fail_details": None,
            "adapter_fail_code": 20003 if abandoned else None,
            "adapter_fail_message": _ABANDONED_MESSAGE if abandoned else None,
            "support_number": _SUPPORT_NUMBERS.get(root),
            "queue_priority_level": 0,
            "recordings": self._recordings(contact) if finished else [],
            "answer_type": "manual" if contact.agent else None,
            "outbound_number": None,
            "dispositions": self._dispositions(contact),
            "consumer_handle_durations": self._consumer_handle(contact, "call_duration", {}),
            "consumer_in_menu_durations": self._in_menu(contact, menu),
            "handle_durations": self._handle_durations(contact, "call_duration", {}),
            "wait_time_sms": [],
            "in_call_sms": [],
        }

    def chat(self, contact: Contact) -> Json:
        finished = contact.phase is Phase.FINISHED
        responses = _chat_responses(contact)
        return self._common(contact) | {
            "chat_type": contact.subtype,
            "status": chat_status(contact),
            "first_msg_sent_at": iso_z(contact.created_at + 2),
            "last_msg_sent_at": iso_z_or_none(contact.ended_at),
            "chat_duration": contact.talk_seconds if finished else 0,
            "fail_reason": fail_reason(contact),
            "message_count": contact.messages if finished else 0,
            "average_response_time": responses["response_time_avg"],
            "longest_response_time": responses["response_time_max"],
            "consumer_handle_durations": self._consumer_handle(
                contact, "chat_duration", {"message_count": contact.messages} | responses
            ),
            "handle_durations": self._handle_durations(contact, "chat_duration", responses),
        }

    def _recordings(self, contact: Contact) -> list[Json]:
        if contact.connected_at is None:
            return []
        return [
            {
                "id": contact.id * 10 + 5,
                "call_id": contact.id,
                "conference_sid": f"CF{contact.uid}",
                "duration": contact.talk_seconds,
                "recording_type": "default",
                "redaction_times": [],
                "started_at": iso_z(contact.connected_at),
            }
        ]

    @staticmethod
    def _dispositions(contact: Contact) -> list[Json]:
        if contact.agent is None or contact.disposition is None:
            return []
        return [
            {
                "user_id": contact.agent.id,
                "participant_id": contact.id * 10 + 2,
                "code": contact.disposition,
                "transfer_id": None,
            }
        ]

    @staticmethod
    def _consumer_handle(contact: Contact, talk_key: str, extra: Json) -> list[Json]:
        if contact.phase is not Phase.FINISHED or contact.connected_at is None:
            return []
        return [
            {
                "id": contact.id * 10 + 6,
                talk_key: contact.talk_seconds,
                "hold_duration": round(contact.hold_total),
                "started_at": iso_z(contact.connected_at),
                "ended_at": iso_z_or_none(contact.ended_at),
            }
            | extra
        ]

    @staticmethod
    def _in_menu(contact: Contact, menu: Menu | None) -> list[Json]:
        if menu is None or contact.queued_at is None or contact.queued_at == contact.created_at:
            return []
        return [
            {
                "id": contact.id * 10 + 7,
                "event": "finished",
                "duration": round(contact.queued_at - contact.created_at),
                "menu_path_id": menu.path_id,
                "menu_path": menu.path,
                "lang": contact.queue.lang if contact.queue else "en",
                "started_at": iso_z(contact.created_at),
                "ended_at": iso_z(contact.queued_at),
            }
        ]

    # -- menus -----------------------------------------------------------------------------

    def menu(self, menu: Menu) -> Json:
        agent_rows = []
        team_rows = []
        for queue in menu.queues:
            for direct in queue.agent_assignments:
                agent_rows.append(
                    _assignment(queue, direct.queue_level)
                    | {"assignee": self.agent_ref(direct.agent, numeric_number=True)}
                )
            for by_team in queue.team_assignments:
                team = self.team_summary(by_team.team) | {
                    "assignees": [self.agent_ref(a) for a in by_team.team.members]
                }
                team_rows.append(_assignment(queue, by_team.queue_level) | {"team": team})
        return self.menu_summary(menu) | {
            "agent_assignments": agent_rows,
            "team_assignments": team_rows,
        }

    def menu_tree(self, menu: Menu, menu_types: set[str] | None = None) -> Json:
        children = [
            self.menu_tree(child, menu_types)
            for child in menu.children
            if menu_types is None or child.menu_type in menu_types
        ]
        return self.menu_summary(menu) | {"children": children}

    @staticmethod
    def queue_status(row: QueueStatus) -> Json:
        menu = row.queue.menu
        return {
            "menu_id": menu.id,
            "lang": row.queue.lang,
            "menu_path_id": menu.path_id,
            "menu_path": menu.path,
            "comm_type": "Call" if row.queue.channel is Channel.CALL else "Chat",
            "in_queue_count": row.in_queue_count,
            "oldest_in_queue": iso_z(row.oldest_queued_at),
            "oldest_duration_in_queue": row.oldest_wait,
            "total_queue_duration": row.total_wait,
            "average_queue_duration": row.average_wait,
        }

    @staticmethod
    def menu_sla(queue: Queue, sla: float | None) -> Json:
        return {
            "menu_path_id": queue.menu.path_id,
            "lang": queue.lang,
            "menu_path": queue.menu.path,
            "sla": sla,
        }

    @staticmethod
    def group_sla(group: QueueGroup, sla: float | None) -> Json:
        return {"queue_group_id": group.id, "queue_group_name": group.name, "sla": sla}

    # -- teams -----------------------------------------------------------------------------

    def team(self, team: Team) -> Json:
        return self.team_summary(team) | {"assignees": [self.agent_ref(a) for a in team.members]}

    def team_tree(self, team: Team) -> Json:
        return self.team_summary(team) | {"children": [self.team_tree(c) for c in team.children]}


def _chat_responses(contact: Contact) -> Json:
    """Agent response times of a finished chat (made up, but stable per chat)."""
    if contact.phase is not Phase.FINISHED:
        return dict.fromkeys(
            ("response_count", "response_time_total", "response_time_max", "response_time_avg"), 0
        )
    count = max(1, contact.messages // 2)
    average = 15 + contact.id % 20
    return {
        "response_count": count,
        "response_time_total": count * average,
        "response_time_max": average * 2 + contact.id % 7,
        "response_time_avg": average,
    }


def _channel_type(queue: Queue) -> str:
    return "voice_call" if queue.channel is Channel.CALL else "chat"


def _assignment(queue: Queue, level: str) -> Json:
    return {"lang": queue.lang, "queue_level": level, "channel_type": _channel_type(queue)}
