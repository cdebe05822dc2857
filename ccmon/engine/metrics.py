"""Derived floor metrics, with the formulas spelled out (vendors define them differently).

For the contacts of one queue created within the SLA window (``window_min``):

* **answered** — has an answer time, or an agent and an active/ended phase;
  **wait** — the vendor's queue duration, else answer time − creation time; an answered
  contact whose wait is unknown (Evo sessions say who answered, not when) counts for AHT and
  handled but not for service level or ASA;
* **abandoned** — phase abandoned; a *short abandon* (wait < ``short_abandon_s``) is left out
  of every ratio, as most contact centers do;
* **service level** = answered within ``threshold_s`` ÷ (answered + abandoned, the latter only if
  ``abandons_count``) × 100 — shown beside the vendor-reported SL where the vendor has one;
  none (—) below ``min_contacts`` contacts, where one call would swing it from 0 to 100 %;
* **ASA** = mean wait of answered contacts; **AHT** = mean handle (talk/chat) duration of
  answered contacts that ended; **abandonment %** = abandoned ÷ (answered + abandoned) × 100;
* **handled** = answered contacts that ended;
* **recent service level**: the same formula over the last ``recent_window_min`` (15) minutes
  only, so that a recovery (or a new rush) shows before the long window catches up.

ALO: actions per status, and the age of the oldest action that is not closed or canceled.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ccmon.domain import Action, Agent, AgentState, Interaction, Phase, Queue, Sla
from ccmon.domain.policy import CLOSED_ACTION_STATUSES, SlaPolicy


@dataclass(slots=True)
class ContactStats:
    offered: int = 0
    answered: int = 0
    answered_timed: int = 0
    """Answered with a known wait: the base of service level and ASA."""
    in_sl: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    handled: int = 0
    wait_total_s: float = 0.0
    """Of the answered with a known wait."""
    abandoned_timed: int = 0
    abandon_wait_total_s: float = 0.0
    """How long the abandoned with a known wait (short abandons apart) waited in all."""
    handle_total_s: float = 0.0
    handle_count: int = 0

    def sl_pct(self, policy: SlaPolicy) -> float | None:
        denominator = self.answered_timed + (self.abandoned if policy.abandons_count else 0)
        if denominator < max(1, policy.min_contacts):
            return None
        return 100.0 * self.in_sl / denominator

    @property
    def asa_s(self) -> float | None:
        return self.wait_total_s / self.answered_timed if self.answered_timed else None

    @property
    def aht_s(self) -> float | None:
        return self.handle_total_s / self.handle_count if self.handle_count else None

    @property
    def abandon_pct(self) -> float | None:
        total = self.answered + self.abandoned
        return 100.0 * self.abandoned / total if total else None

    def add(self, contact: Interaction, policy: SlaPolicy) -> None:
        self.offered += 1
        wait = contact_wait_s(contact)
        if contact.phase is Phase.ABANDONED:
            if wait is not None and wait < policy.short_abandon_s:
                self.short_abandoned += 1
            else:
                self.abandoned += 1
                if wait is not None:
                    self.abandoned_timed += 1
                    self.abandon_wait_total_s += wait
            return
        if not _answered(contact):
            return
        self.answered += 1
        if wait is not None:
            self.answered_timed += 1
            self.wait_total_s += wait
            if wait <= policy.threshold_s:
                self.in_sl += 1
        if contact.phase is Phase.ENDED:
            self.handled += 1
            if contact.duration_s is not None:
                self.handle_total_s += contact.duration_s
                self.handle_count += 1


def _answered(contact: Interaction) -> bool:
    if contact.answered_at is not None:
        return True
    return contact.agent is not None and contact.phase in (Phase.ACTIVE, Phase.ENDED)


def contact_wait_s(contact: Interaction) -> float | None:
    if contact.wait_s is not None:
        return float(contact.wait_s)
    if contact.answered_at is not None and contact.created_at is not None:
        return max(0.0, (contact.answered_at - contact.created_at).total_seconds())
    return None


_NO_CONTACTS = ContactStats()


@dataclass(frozen=True, slots=True)
class QueueMetrics:
    queue: Queue
    agents_available: int | None
    agents_logged_in: int | None
    """None when the queue's source reports no agents at all (Evo sessions only)."""
    stats: ContactStats
    sl_pct: float | None
    """Computed with the configured policy."""
    vendor_sl_pct: float | None
    """What the vendor reports for this queue and channel, if it does."""
    recent_stats: ContactStats = field(default_factory=ContactStats)
    """The contacts of the last ``policy.recent_window_min`` minutes."""
    recent_sl_pct: float | None = None


@dataclass(frozen=True, slots=True)
class FloorMetrics:
    at: datetime
    policy: SlaPolicy
    agents_by_state: Counter[AgentState]
    waiting: int
    longest_wait_s: int | None
    stats: ContactStats
    sl_pct: float | None
    queues: dict[str, QueueMetrics] = field(default_factory=dict)
    actions_by_status: Counter[str] = field(default_factory=Counter)
    oldest_open_action_s: float | None = None
    recent_stats: ContactStats = field(default_factory=ContactStats)
    """The contacts of the last ``policy.recent_window_min`` minutes, every queue."""
    recent_sl_pct: float | None = None
    """Service level over the last ``policy.recent_window_min`` minutes (same formula)."""

    @property
    def waiting_rostered(self) -> int:
        """Contacts waiting in queues whose source reports agents: what "available" and "on
        contact" can be set against (Evo reports sessions, no agent roster)."""
        return sum(q.queue.in_queue for q in self.queues.values() if q.agents_logged_in is not None)

    @property
    def open_actions(self) -> int:
        """ALO actions that are not closed or canceled."""
        return sum(n for s, n in self.actions_by_status.items() if s not in CLOSED_ACTION_STATUSES)

    def longest_wait_at(self, now: datetime) -> float | None:
        """The longest current wait of any queue at ``now`` (it grows between polls)."""
        waits = [w for qm in self.queues.values() if (w := queue_wait(qm.queue, now)) is not None]
        return max(waits, default=None)


def sla_path(record: Queue | Sla) -> tuple[str, str, str]:
    """What joins a queue to the vendor's service level for it (a ``queue``-scope row): the
    source, the menu path and the channel. Vendors report SL per path, not per queue id."""
    return (record.source, record.name, record.channel)


def queue_wait(queue: Queue, now: datetime) -> float | None:
    """How long the queue's longest-waiting contact has waited at ``now``; None if nobody
    waits. From when that contact joined if the vendor says, else the vendor's figure."""
    if not queue.in_queue:
        return None
    if queue.oldest_since is not None:
        return max(0.0, (now - queue.oldest_since).total_seconds())
    return None if queue.longest_wait_s is None else float(queue.longest_wait_s)


@dataclass(frozen=True, slots=True)
class ContactSummary:
    """Contact statistics per (source, queue name, kind) and overall, for one window.

    The kind matters: one menu often takes calls and chats, each its own queue with its own
    vendor SL, and a call queue's figures must not include the chats.
    """

    per_queue: dict[tuple[str, str | None, str], ContactStats]
    overall: ContactStats
    recent_per_queue: dict[tuple[str, str | None, str], ContactStats] = field(default_factory=dict)
    recent_overall: ContactStats = field(default_factory=ContactStats)
    """The same over the last ``policy.recent_window_min`` minutes."""


def summarize_contacts(
    interactions: Iterable[Interaction], *, now: datetime, policy: SlaPolicy
) -> ContactSummary:
    """The expensive part (one pass over every contact): cache it while contacts don't change."""
    horizon = now - timedelta(minutes=policy.window_min)
    recent_horizon = now - timedelta(minutes=policy.recent_window_min)
    per_queue: dict[tuple[str, str | None, str], ContactStats] = {}
    overall = ContactStats()
    recent_per_queue: dict[tuple[str, str | None, str], ContactStats] = {}
    recent_overall = ContactStats()
    for contact in interactions:
        if contact.created_at is None or contact.created_at < horizon:
            continue  # a contact that cannot be placed in the window does not count
        key = (contact.source, contact.queue, contact.kind)
        per_queue.setdefault(key, ContactStats()).add(contact, policy)
        overall.add(contact, policy)
        if contact.created_at >= recent_horizon:
            recent_per_queue.setdefault(key, ContactStats()).add(contact, policy)
            recent_overall.add(contact, policy)
    return ContactSummary(per_queue, overall, recent_per_queue, recent_overall)


@dataclass(slots=True)
class _Staffing:
    """Per source, the ids of available and of logged-in agents: each queue's counts are then
    two set intersections (in C) instead of a Python loop over its assigned agents."""

    by_state: Counter[AgentState] = field(default_factory=Counter)
    available: dict[str, set[str]] = field(default_factory=dict)
    logged_in: dict[str, set[str]] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)
    """Sources with an agent roster (Evo reports sessions only)."""

    def count(self, among: dict[str, set[str]], queue: Queue) -> int | None:
        """How many of ``among`` are assigned to ``queue``; None where agents are not known."""
        if queue.source not in self.sources:
            return None
        return len(among.get(queue.source, _NOBODY).intersection(queue.agent_ids))


_NOBODY: frozenset[str] = frozenset()


def _staffing(agents: Iterable[Agent]) -> _Staffing:
    staffing = _Staffing()
    for agent in agents:
        staffing.by_state[agent.state] += 1
        staffing.sources.add(agent.source)
        if agent.state is not AgentState.OFFLINE:
            staffing.logged_in.setdefault(agent.source, set()).add(agent.id)
            if agent.state is AgentState.AVAILABLE:
                staffing.available.setdefault(agent.source, set()).add(agent.id)
    return staffing


def _queue_metrics(
    queue: Queue,
    staffing: _Staffing,
    contacts: ContactSummary,
    vendor_sl: dict[tuple[str, str, str], float | None],
    policy: SlaPolicy,
) -> QueueMetrics:
    key = (queue.source, queue.name, queue.channel)
    stats = contacts.per_queue.get(key, _NO_CONTACTS)
    recent = contacts.recent_per_queue.get(key, _NO_CONTACTS)
    return QueueMetrics(
        queue=queue,
        agents_available=staffing.count(staffing.available, queue),
        agents_logged_in=staffing.count(staffing.logged_in, queue),
        stats=stats,
        sl_pct=stats.sl_pct(policy),
        vendor_sl_pct=vendor_sl.get(sla_path(queue)),
        recent_stats=recent,
        recent_sl_pct=recent.sl_pct(policy),
    )


def _longest_wait_s(queues: Iterable[Queue], now: datetime) -> int | None:
    longest = None
    for queue in queues:
        # The vendor's figure, else (Evo) the wait now from when the oldest contact joined.
        wait = queue.longest_wait_s if queue.longest_wait_s is not None else queue_wait(queue, now)
        if wait is not None:
            longest = max(longest or 0, int(wait))
    return longest


def _action_figures(actions: Iterable[Action], now: datetime) -> tuple[Counter[str], float | None]:
    """Actions by status, and the age of the oldest open one (seconds)."""
    by_status: Counter[str] = Counter()
    oldest: float | None = None
    for action in actions:
        by_status[action.status] += 1
        if action.status not in CLOSED_ACTION_STATUSES and action.created_at is not None:
            age = (now - action.created_at).total_seconds()
            oldest = age if oldest is None else max(oldest, age)
    return by_status, oldest


def compute(
    *,
    now: datetime,
    agents: Iterable[Agent],
    queues: Iterable[Queue],
    interactions: Iterable[Interaction] = (),
    contacts: ContactSummary | None = None,
    sla: Iterable[Sla] = (),
    actions: Iterable[Action] = (),
    policy: SlaPolicy | None = None,
) -> FloorMetrics:
    """Floor metrics; pass ``contacts`` (from :func:`summarize_contacts`) to reuse a summary."""
    policy = policy or SlaPolicy()
    if contacts is None:
        contacts = summarize_contacts(interactions, now=now, policy=policy)
    staffing = _staffing(agents)
    vendor_sl = {sla_path(s): s.sla_pct for s in sla if s.scope == "queue"}
    queues = list(queues)
    by_status, oldest = _action_figures(actions, now)
    overall, recent = contacts.overall, contacts.recent_overall
    return FloorMetrics(
        at=now,
        policy=policy,
        agents_by_state=staffing.by_state,
        waiting=sum(queue.in_queue for queue in queues),
        longest_wait_s=_longest_wait_s(queues, now),
        stats=overall,
        sl_pct=overall.sl_pct(policy),
        queues={q.key: _queue_metrics(q, staffing, contacts, vendor_sl, policy) for q in queues},
        actions_by_status=by_status,
        oldest_open_action_s=oldest,
        recent_stats=recent,
        recent_sl_pct=recent.sl_pct(policy),
    )


def floor_figures(metrics: FloorMetrics, now: datetime) -> dict[str, Any]:
    """The KPI strip's figures as numbers, for ``snapshot`` (its ``floor`` object), unrounded
    (the screen writes whole seconds and one decimal); None where the screen shows "—"."""
    states = metrics.agents_by_state
    longest = metrics.longest_wait_at(now)
    agents = sum(states.values())
    stats = metrics.stats
    return {
        "waiting": metrics.waiting if metrics.queues else None,
        "waiting_rostered": metrics.waiting_rostered if metrics.queues else None,
        "longest_wait_s": (int(longest or 0) if metrics.waiting else 0) if metrics.queues else None,
        "sl_pct": metrics.sl_pct,
        "sl_target_pct": metrics.policy.target_pct,
        "sl_threshold_s": metrics.policy.threshold_s,
        "window_min": metrics.policy.window_min,
        "asa_s": stats.asa_s,
        "abandon_pct": stats.abandon_pct,
        "agents": {state.value: states[state] for state in AgentState} if agents else None,
        "on_contact": states[AgentState.IN_CALL] + states[AgentState.IN_CHAT] if agents else None,
        "open_actions": metrics.open_actions,
    }
