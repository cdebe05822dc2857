"""The simulated floor's objects: agents, teams, menus (queues), contacts and activity logs.

Plain mutable dataclasses; the engine (:mod:`.center`) changes them and the renderers
read them. Identity is the object (``eq=False``), ids are what the APIs show.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

from ccmon.sim.world.statuses import OFFLINE, UserStatus


class Channel(StrEnum):
    CALL = "call"
    CHAT = "chat"
    FAX = "fax"


class Phase(StrEnum):
    SELECTING = "selecting"  # caller still in the IVR menu
    QUEUED = "queued"
    ASSIGNED = "assigned"  # an agent took it; a call is still ringing through
    CONNECTED = "connected"
    FINISHED = "finished"
    ABANDONED = "abandoned"  # the customer gave up waiting
    EXPIRED = "expired"  # waited past the queue's maximum (chats)


ENDED_PHASES = frozenset({Phase.FINISHED, Phase.ABANDONED, Phase.EXPIRED})


@dataclass(eq=False, slots=True)
class QueueGroup:
    id: int
    name: str


@dataclass(eq=False, slots=True)
class Team:
    id: int
    name: str
    position: int
    parent: Team | None = field(default=None, repr=False)
    children: list[Team] = field(default_factory=list, repr=False)
    members: list[Agent] = field(default_factory=list, repr=False)

    def agents_count(self) -> int:
        """Members of this team and of every team below it."""
        return len(self.members) + sum(child.agents_count() for child in self.children)


@dataclass(eq=False, slots=True)
class Menu:
    id: int
    name: str
    position: int
    menu_type: str  # ivr_menu | web_menu | mobile_menu (Evo queues: evo_queue)
    parent: Menu | None = field(default=None, repr=False)
    output_msg: str | None = None
    children: list[Menu] = field(default_factory=list, repr=False)
    queues: list[Queue] = field(default_factory=list, repr=False)  # one per channel, leaves only
    path_id: int | None = None  # CCAI menu_path_id, leaves only
    external_id: str = ""  # Evo's string ids

    @property
    def path(self) -> str:
        names = []
        node: Menu | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "/".join(reversed(names))

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    @property
    def root(self) -> Menu:
        return self if self.parent is None else self.parent.root


@dataclass(eq=False, slots=True)
class TeamAssignment:
    team: Team
    queue_level: str  # primary | secondary


@dataclass(eq=False, slots=True)
class AgentAssignment:
    agent: Agent
    queue_level: str


@dataclass(eq=False, slots=True)
class Queue:
    """One channel of one leaf menu: where contacts wait and agents are routed from."""

    menu: Menu
    channel: Channel
    group: QueueGroup | None
    weight: float  # share of the center's arrivals
    lang: str = "en"
    target_time: int = 60  # service level: answered within this many seconds...
    target_percent: int = 80  # ...for this share of contacts
    abandon_threshold: int = 10  # abandoned sooner than this: excluded from SLA
    patience_mean: float = 180.0
    max_wait: float | None = None  # contacts expire after this long (chats)
    team_assignments: list[TeamAssignment] = field(default_factory=list, repr=False)
    agent_assignments: list[AgentAssignment] = field(default_factory=list, repr=False)
    waiting: deque[Contact] = field(default_factory=deque, repr=False)
    # Available agents in the order they became available: the first is the longest idle.
    available: dict[int, Agent] = field(default_factory=dict, repr=False)


@dataclass(eq=False, slots=True)
class Agent:
    id: int
    first_name: str
    last_name: str
    email: str
    agent_number: str
    location: str | None
    created_at: float
    roles: tuple[str, ...] = ("agent",)
    teams: list[Team] = field(default_factory=list, repr=False)
    queues: list[Queue] = field(default_factory=list, repr=False)
    status: UserStatus = OFFLINE
    status_since: float = 0.0
    last_login_at: float | None = None
    contact: Contact | None = field(default=None, repr=False)
    on_hold_since: float | None = None
    # Bumped on every status change; events scheduled for an older epoch are stale.
    epoch: int = 0
    # Set by a supervisor (the test API): the engine leaves the status alone.
    manual: bool = False
    logout_pending: bool = False
    shift: int = 0  # bumped at every login; shift-end events carry it
    open_log: ActivityLog | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def logged_in(self) -> bool:
        return self.status != OFFLINE


@dataclass(frozen=True, slots=True)
class Caller:
    name: str
    number: str
    end_user_id: int
    out_contact_id: str


@dataclass(eq=False, slots=True)
class Contact:
    """A call, chat or fax from arrival to the end of the agent's wrap-up."""

    id: int
    uid: str  # 32 hex digits: Evo session id, call SIDs
    channel: Channel
    queue: Queue | None = field(repr=False)
    subtype: str  # CCAI call_type / chat_type
    caller: Caller
    created_at: float
    updated_at: float
    phase: Phase = Phase.SELECTING
    queued_at: float | None = None
    assigned_at: float | None = None
    connected_at: float | None = None
    ended_at: float | None = None
    acw_ended_at: float | None = None
    agent: Agent | None = field(default=None, repr=False)
    queue_duration: int | None = None
    sla_event: str | None = None  # in_sla | not_in_sla | excluded
    hold_started_at: float | None = None
    hold_total: float = 0.0
    rating: int | None = None
    verified: bool = False
    disposition: str | None = None
    messages: int = 0
    missed_by: list[Agent] = field(default_factory=list, repr=False)
    # Human-readable history, shown by Evo as the session log.
    log: list[tuple[float, str]] = field(default_factory=list, repr=False)

    @property
    def ended(self) -> bool:
        return self.phase in ENDED_PHASES

    @property
    def talk_seconds(self) -> int:
        if self.connected_at is None:
            return 0
        end = self.ended_at if self.ended_at is not None else self.connected_at
        return round(end - self.connected_at)


@dataclass(eq=False, slots=True)
class ActivityLog:
    """One CCAI agent activity log: a stretch of time an agent spent in one status."""

    id: int
    agent_id: int
    status: UserStatus
    activity: str
    started_at: float
    ended_at: float | None = None
    call_id: int | None = None
    chat_id: int | None = None

    @property
    def duration(self) -> int:
        return 0 if self.ended_at is None else round(self.ended_at - self.started_at)
