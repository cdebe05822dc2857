"""Evo Voice ``/portal/activity`` sessions (ServiceStack camelCase JSON)."""

from __future__ import annotations

from typing import Any

from ccmon.sim.timefmt import iso_z, iso_z_or_none
from ccmon.sim.world.model import Agent, Channel, Contact, Phase
from ccmon.sim.world.names import COMPANIES

Json = dict[str, Any]

ACCOUNT_ID = "6a3f0c2e9b1d4e7f8a5c0b3d"
ACCOUNT_NAME = "Acme Telecom"
ACCOUNTS: tuple[tuple[str, str], ...] = (
    (ACCOUNT_ID, ACCOUNT_NAME),
    ("6a3f0c2e9b1d4e7f8a5c0b3e", "Acme Telecom West"),
)
"""(id, name) of the accounts the simulator's login reaches; a customer (a queue's line)
belongs to one of them, alternately."""
_CHANNELS = {Channel.CALL: "Voice", Channel.CHAT: "Chat", Channel.FAX: "Fax"}
_OUTCOMES = {Phase.FINISHED: "Completed", Phase.ABANDONED: "Abandoned", Phase.EXPIRED: "Expired"}


def _hex_id(number: int) -> str:
    """A stable 24-hex-digit id (Evo's ids look like MongoDB ObjectIds)."""
    return f"{number * 0x9E3779B97F4A7C15 % 2**96:024x}"


def endpoint_id(agent: Agent) -> str:
    return _hex_id(agent.id + 10_000)


def _customer(contact: Contact) -> tuple[str, str, str]:
    """(id, name, main number) of the Evo customer whose line the contact reached."""
    index = 0 if contact.queue is None else contact.queue.menu.id - 1
    name = COMPANIES[index % len(COMPANIES)]
    return _hex_id(index + 1), name, f"+1888555{index % 100:02d}{index % 10}0"


def account_of(contact: Contact) -> tuple[str, str]:
    """(id, name) of the account whose customer the contact reached."""
    index = 0 if contact.queue is None else contact.queue.menu.id - 1
    return ACCOUNTS[index % len(ACCOUNTS)]


def line_of(contact: Contact) -> str:
    """The number the customer dialled (or chatted to)."""
    return _customer(contact)[2]


def _call_state(contact: Contact) -> str:
    if contact.ended:
        return "Disconnected"
    return "Hold" if contact.hold_started_at is not None else "Connected"


def _queue_state(contact: Contact) -> str:
    if contact.queue is None or contact.phase is Phase.SELECTING:
        return "None"
    if contact.ended:
        return "Disconnected"
    if contact.phase is Phase.QUEUED:
        return "Queued"
    if contact.phase is Phase.ASSIGNED:
        return "Ringing"
    return "Hold" if contact.hold_started_at is not None else "Connected"


def _member_state(contact: Contact) -> str:
    if contact.ended:
        return "None"
    if contact.phase is Phase.ASSIGNED:
        return "Ringing"
    return "Hold" if contact.hold_started_at is not None else "Connected"


def _members(contact: Contact) -> list[Json]:
    caller = contact.caller
    members: list[Json] = [
        {
            "identity": caller.number,
            "endpointId": None,
            "displayName": caller.name,
            "isOriginalMember": True,
            "avatarUrl": None,
            "applicationData": {},
            "callState": "None" if contact.ended else "Connected",
            "role": "Caller",
            "callSid": f"CA{contact.uid}",
            "muted": False,
        }
    ]
    agent = contact.agent
    if agent is not None:
        members.append(
            {
                "identity": agent.email,
                "endpointId": endpoint_id(agent),
                "displayName": agent.name,
                "isOriginalMember": False,
                "avatarUrl": f"https://evovoice.example.com/avatars/{endpoint_id(agent)}.png",
                "applicationData": {"queue": contact.queue.menu.name if contact.queue else ""},
                "callState": _member_state(contact),
                "role": "Agent",
                "callSid": f"CA{contact.uid[::-1]}",
                "muted": False,
            }
        )
    return members


def session(contact: Contact) -> Json:
    customer_id, customer_name, line = _customer(contact)
    account_id, account_name = account_of(contact)
    agent = contact.agent
    queue = contact.queue
    waiting = contact.phase in (Phase.QUEUED, Phase.ASSIGNED)
    held = contact.hold_started_at is not None
    return {
        "dialState": "None",
        "callState": _call_state(contact),
        "queueState": _queue_state(contact),
        "accountId": account_id,
        "accountName": account_name,
        "customerId": customer_id,
        "customerBreadcrumb": [
            {"id": account_id, "name": account_name},
            {"id": customer_id, "name": customer_name},
        ],
        "customerName": customer_name,
        "endpointId": _hex_id(int(customer_id, 16) % 9973 + 20_000),
        "endpointName": f"{customer_name} main line",
        "dateCompleted": iso_z_or_none(contact.ended_at),
        "destination": line,
        "toAddress": line,
        "fromAddress": contact.caller.number,
        "fromName": contact.caller.name,
        "answeredByName": agent.name if agent and contact.connected_at is not None else None,
        "queueMemberId": endpoint_id(agent) if agent else None,
        "channel": _CHANNELS[contact.channel],
        "ended": contact.ended,
        "outcome": _OUTCOMES.get(contact.phase),
        "callSid": f"CA{contact.uid}",
        "consoleData": f"Disposition: {contact.disposition}" if contact.disposition else None,
        "holdQueueName": queue.menu.name if queue else None,
        "heldByUserId": endpoint_id(agent) if agent and held else None,
        "holdReason": "None",
        "conferenceSid": f"CF{contact.uid}" if agent else None,
        "displayName": f"{contact.caller.name} ({contact.caller.number})",
        "log": [{"date": iso_z(at), "message": message} for at, message in contact.log],
        "members": _members(contact),
        "callbackNumber": contact.caller.number,
        "answeredById": endpoint_id(agent) if agent and contact.connected_at is not None else None,
        "direction": "Incoming",
        "fromPhoneNumber": contact.caller.number if contact.channel is Channel.CHAT else None,
        "mostRecentParticipantCallSid": f"CA{contact.uid[::-1]}" if agent else None,
        "wasMissed": contact.phase in (Phase.ABANDONED, Phase.EXPIRED),
        "ringQueueId": queue.menu.external_id if queue and waiting else None,
        "id": contact.uid,
        "dateCreated": iso_z(contact.created_at),
        "dateLastModified": iso_z(contact.updated_at),
        "createdBy": "system",
        "lastModifiedBy": "system",
    }
