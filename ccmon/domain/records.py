"""The records every pane, metric and output format works with.

Each record is an immutable value with a stable ``key`` that is unique across sources (the
engine diffs collections by key) and names the ``source`` it came from. All strings in them
have passed :func:`ccmon.text.clean`. Times are aware UTC datetimes or None.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum


class Collection(StrEnum):
    """What a record is; one store, one diff stream and one pane family per collection."""

    AGENTS = "agents"
    QUEUES = "queues"
    SLA = "sla"
    INTERACTIONS = "interactions"
    PERIODS = "periods"
    ACTIONS = "actions"


class AgentState(StrEnum):
    """Normalised agent state; the vendor's own label is kept in ``Agent.status``."""

    AVAILABLE = "available"
    IN_CALL = "in_call"
    IN_CHAT = "in_chat"
    WRAP_UP = "wrap_up"
    AWAY = "away"
    """Logged in but not taking contacts: break, meal, unavailable, special task ..."""
    OFFLINE = "offline"
    OTHER = "other"


class Phase(StrEnum):
    """Where an interaction is in its life, whatever the vendor calls its status."""

    WAITING = "waiting"
    ACTIVE = "active"
    ENDED = "ended"
    ABANDONED = "abandoned"
    FAILED = "failed"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Agent:
    source: str
    id: str
    name: str
    state: AgentState
    status: str
    """The vendor's label for the state, e.g. "Meal" or a custom status."""
    state_since: datetime | None
    team: str | None

    @property
    def key(self) -> str:
        return f"{self.source}:{self.id}"


@dataclass(frozen=True, slots=True)
class Queue:
    source: str
    id: str
    name: str
    """The full menu path, e.g. "Main Line/Billing"."""
    channel: str
    """"call", "chat" or whatever else the vendor reports, lower case."""
    in_queue: int
    longest_wait_s: int | None
    oldest_since: datetime | None
    """When the longest-waiting contact joined; lets the UI tick the wait between polls."""
    agent_ids: tuple[str, ...] = ()
    """Agents assigned to this queue (same ``source``)."""

    @property
    def key(self) -> str:
        return f"{self.source}:{self.id}:{self.channel}"


@dataclass(frozen=True, slots=True)
class Sla:
    source: str
    scope: str
    """"queue" (a menu path) or "queue_group"."""
    id: str
    name: str
    channel: str
    sla_pct: float | None
    """Vendor-reported service level in percent; None when the vendor has no value."""
    lang: str | None = None

    @property
    def key(self) -> str:
        return f"{self.source}:{self.scope}:{self.channel}:{self.id}:{self.lang or ''}"


@dataclass(frozen=True, slots=True)
class Interaction:
    source: str
    kind: str
    """"call", "chat", "sms", "fax" ..."""
    id: str
    status: str
    """The vendor's status, e.g. "connected", "voicemail_received"."""
    phase: Phase
    queue: str | None
    agent: str | None
    created_at: datetime | None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    wait_s: int | None = None
    duration_s: int | None = None
    customer: str | None = None
    """Caller number, e-mail or name: personal data, masked by --mask-pii."""
    direction: str | None = None
    sla_event: str | None = None
    """"in_sla", "not_in_sla", "excluded" where the vendor classifies it."""
    updated_at: datetime | None = None

    @property
    def key(self) -> str:
        return f"{self.source}:{self.kind}:{self.id}"

    @property
    def waiting_since(self) -> datetime | None:
        """When a contact still waiting came in: its wait grows from there (a vendor gives
        the wait once it is answered or abandoned; CCAI sends 0 until then)."""
        return self.created_at if self.phase is Phase.WAITING else None

    @property
    def talking_since(self) -> datetime | None:
        """When a contact in progress was answered: its duration grows from there (CCAI sends
        0 until it ends)."""
        return self.answered_at if self.phase is Phase.ACTIVE else None

    def as_of(self, now: datetime) -> Interaction:
        """The record with ``wait_s`` and ``duration_s`` as they stand at ``now`` (what
        ``snapshot`` prints): a waiting contact's wait so far, an active one's talk so far."""
        waiting, talking = self.waiting_since, self.talking_since
        if waiting is None and talking is None:
            return self
        return replace(
            self,
            wait_s=_seconds(waiting, now) if waiting is not None else self.wait_s,
            duration_s=_seconds(talking, now) if talking is not None else self.duration_s,
        )


def _seconds(since: datetime, now: datetime) -> int:
    return max(0, int((now - since).total_seconds()))


@dataclass(frozen=True, slots=True)
class Period:
    source: str
    id: str
    name: str
    start: datetime | None
    end: datetime | None

    @property
    def key(self) -> str:
        return f"{self.source}:{self.id}"


@dataclass(frozen=True, slots=True)
class Action:
    source: str
    period_id: str
    id: str
    status: str
    """created, assigned, doing, closed, canceled, or any status the vendor adds."""
    classification: str | None
    sub_classification: str | None
    assignees: tuple[str, ...]
    created_at: datetime | None
    status_since: datetime | None
    """When the action reached its current status (the matching *Time field)."""
    created_by: str | None = None
    channel: str | None = None

    @property
    def key(self) -> str:
        return f"{self.source}:{self.period_id}:{self.id}"


@dataclass(frozen=True, slots=True)
class AgentActivity:
    """One entry of an agent's activity log (the agent detail view; not a polled collection):
    what happened, in words for people, and the status it left the agent in, for how long."""

    source: str
    agent_id: str
    id: str
    what: str
    """"Answered a call", "Status changed" ... (the vendor's code in ``code``)."""
    code: str | None
    started_at: datetime | None
    ended_at: datetime | None
    """None while the agent is still in this entry's status."""
    status: str | None
    """The vendor's label of the status, e.g. "In-call", "Meal"."""
    state: AgentState | None
    duration_s: int | None

    def order(self) -> tuple[float, float, int, str]:
        """Sort key, oldest first: start, then end (one still open last), then the id
        (numerically where it is a number): entries of the same second keep the order they
        happened in, so the newest-first list never shows a busy agent as free."""
        start = self.started_at.timestamp() if self.started_at is not None else float("-inf")
        end = self.ended_at.timestamp() if self.ended_at is not None else float("inf")
        number = int(self.id) if self.id.isascii() and self.id.isdigit() else -1
        return (start, end, number, self.id)


def newest_first(entries: Iterable[AgentActivity]) -> list[AgentActivity]:
    return sorted(entries, key=AgentActivity.order, reverse=True)


Record = Agent | Queue | Sla | Interaction | Period | Action

RECORD_TYPES: dict[Collection, type[Record]] = {
    Collection.AGENTS: Agent,
    Collection.QUEUES: Queue,
    Collection.SLA: Sla,
    Collection.INTERACTIONS: Interaction,
    Collection.PERIODS: Period,
    Collection.ACTIONS: Action,
}
"""The record type of each collection."""
