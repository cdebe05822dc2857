"""Evo sessions → interactions, and the queues they wait in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ccmon.domain import Interaction, Phase, Queue
from ccmon.sources.evo import models as m
from ccmon.text import clean

SOURCE = "evo"

_KIND_BY_CHANNEL = {"voice": "call", "chat": "chat", "fax": "fax", "sms": "sms"}


def _state(session: m.Session) -> tuple[str, Phase]:
    """A status word and phase from the session's ended/queue/call/dial states."""
    call = (session.call_state or "").lower()
    queue = (session.queue_state or "").lower()
    dial = (session.dial_state or "").lower()
    if session.ended:
        if session.was_missed:
            return "missed", Phase.ABANDONED
        return "ended", Phase.ENDED
    if queue in ("queued", "ringing"):
        return queue, Phase.WAITING
    if call in ("connected", "hold"):
        return ("on hold" if call == "hold" else "connected"), Phase.ACTIVE
    if call == "ringing" or dial == "ringing":
        return "ringing", Phase.WAITING
    if call == "disconnected" or dial == "disconnected":
        return "disconnected", Phase.ENDED
    if dial == "active":
        return "active", Phase.ACTIVE
    return clean(call or dial or queue) or "unknown", Phase.OTHER


def _agent(session: m.Session) -> str | None:
    if session.answered_by_name:
        return clean(session.answered_by_name)
    for member in session.members or ():
        if (member.role or "").lower() == "agent" and member.display_name:
            return clean(member.display_name)
    return None


def to_interaction(session: m.Session, account_id: str | None = None) -> Interaction:
    """With ``account_id`` (several accounts are read) the queue's name is labelled with the
    account's: its name as the session gives it, else the id."""
    status, phase = _state(session)
    queue = clean(session.hold_queue_name) or clean(session.ring_queue_id)
    if account_id is not None and queue is not None:
        queue = f"{clean(session.account_name, max_len=60) or account_id} / {queue}"
    channel = (session.channel or "voice").lower()
    created, completed = session.date_created, session.date_completed
    duration = (
        int((completed - created).total_seconds())
        if created is not None and completed is not None and completed >= created
        else None
    )
    return Interaction(
        source=SOURCE,
        kind=_KIND_BY_CHANNEL.get(channel, clean(channel) or "call"),
        id=session.id,
        status=status,
        phase=phase,
        queue=queue,
        agent=_agent(session),
        created_at=created,
        ended_at=completed,
        duration_s=duration,
        customer=clean(session.from_name or session.from_address or session.from_phone_number),
        direction=clean((session.direction or "").lower()),
        updated_at=session.date_last_modified,
    )


def to_queues(sessions: Iterable[Interaction]) -> list[Queue]:
    """A queue per (queue name, kind) seen in the window, with its waiting sessions counted.

    Evo has no queue endpoint: a queue is known once a session has used it, and then stays
    on screen (at 0 when nobody waits) for as long as such a session is in the window.
    Evo gives no wait: the record carries when the longest-waiting session joined
    (``oldest_since``), which changes only when that session leaves the queue; a wait
    computed here would tick on every poll, a change in every diff and every ``watch``
    line. The screen ticks it, a snapshot computes it when it is taken."""
    seen: dict[tuple[str, str], list[datetime]] = {}
    for session in sessions:
        if session.queue is None:
            continue
        joined = seen.setdefault((session.queue, session.kind), [])
        if session.phase is Phase.WAITING and session.created_at is not None:
            joined.append(session.created_at)
    queues = []
    for (name, kind), since in sorted(seen.items()):
        queues.append(Queue(SOURCE, name, name, kind, len(since), None, min(since, default=None)))
    return queues
