"""The contact-center engine: arrivals, queueing, routing, agent states, abandonment.

Every method that starts with ``_`` and is scheduled runs as an event at its sim time.
Agents and contacts carry what the renderers need; nothing here knows about JSON.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable, Iterable

from ccmon.sim.world import statuses as st
from ccmon.sim.world.floor import Floor
from ccmon.sim.world.model import ActivityLog, Agent, Caller, Channel, Contact, Phase, Queue
from ccmon.sim.world.names import FIRST_NAMES, LAST_NAMES
from ccmon.sim.world.scheduler import Scheduler

MINUTE = 60.0
HOUR = 3600.0

# (status, weight, shortest, longest seconds) for time away from the queues.
_AUX = (
    (st.BREAK, 40, 8 * MINUTE, 16 * MINUTE),
    (st.UNAVAILABLE, 20, 2 * MINUTE, 10 * MINUTE),
    (st.SPECIAL_TASK, 12, 10 * MINUTE, 30 * MINUTE),
    (st.MEAL, 6, 25 * MINUTE, 40 * MINUTE),
    (st.COACHING, 15, 15 * MINUTE, 30 * MINUTE),
)
_BUSYNESS = (0.55, 0.8, 1.0, 1.0, 1.25, 1.6)
_DISPOSITIONS = ("Resolved", "Billing question", "Product question", "Requires follow up")
_CHAT_SUBTYPES = {
    "web_menu": "Messaging Inbound (Web Chat)",
    "mobile_menu": "Messaging Inbound (App Chat)",
}
_CALL_SUBTYPES = {
    "ivr_menu": "Voice Inbound (IVR)",
    "mobile_menu": "Voice Inbound (App)",
    "web_menu": "Voice Callback (Web)",
}


class Center:
    """One contact center: a floor, its arrivals and everything that happened on it."""

    def __init__(
        self,
        *,
        floor: Floor,
        scheduler: Scheduler,
        rng: random.Random,
        interactions_per_day: int,
        first_ids: dict[Channel, int],
        keeps_activity_log: bool,
        fax_share: float = 0.0,
        miss_probability: float = 0.03,
        aux_after_wrap: float = 0.05,
    ) -> None:
        self.floor = floor
        self.agents_by_id = {agent.id: agent for agent in floor.agents}
        self.s = scheduler
        self.rng = rng
        self.rate_per_s = interactions_per_day / 86400
        self.keeps_activity_log = keeps_activity_log
        self.fax_share = fax_share
        self.miss_probability = miss_probability
        self.aux_after_wrap = aux_after_wrap
        self.busyness = 1.0
        self._spells: list[tuple[float, float, float]] = []
        self.on_abandon: Callable[[Contact], None] | None = None
        self._ids = {channel: itertools.count(first) for channel, first in first_ids.items()}
        self._log_ids = itertools.count(500_001)
        self._cum_weights = list(itertools.accumulate(q.weight for q in floor.queues))
        self.contacts: dict[Channel, dict[int, Contact]] = {ch: {} for ch in first_ids}
        # (updated_at, contact) in time order, one entry per change: updated_at[from] in O(k).
        self.updates: dict[Channel, list[tuple[float, Contact]]] = {ch: [] for ch in first_ids}
        # In id order, which is also started_at order: started_at[from] is a bisection.
        self.activity_logs: list[ActivityLog] = []
        # When a contact's time in queue ended, and how it counts for its queue's SLA.
        self.sla_times: list[float] = []
        self.sla_records: list[tuple[Queue, str]] = []

    # -- opening ---------------------------------------------------------------------------

    def open(self, spells: Iterable[tuple[float, float, float]] = ()) -> None:
        """Staff the floor at the start of the warm-up and start the arrivals.

        ``spells`` are (from, to, busyness) stretches of sim time with a set busyness, such
        as a rush of arrivals; the rest of the day switches between random spells.
        """
        now = self.s.now
        self._spells = list(spells)
        for begin, _, _ in self._spells:
            self.s.at(begin, self._change_spell, False)
        for agent in self.floor.agents:
            if self.rng.random() < 0.88:
                agent.last_login_at = float(int(now - self.rng.uniform(0, 3 * HOUR)))
                self._start_shift(agent, self.rng.uniform(0.5 * HOUR, 8 * HOUR))
                self._become_available(agent, "login")
            else:
                agent.status_since = now - self.rng.uniform(0, 8 * HOUR)
                self.s.after(
                    self.rng.uniform(5 * MINUTE, 2 * HOUR), self._login, agent, agent.epoch
                )
        if self.rate_per_s > 0 and self.floor.queues:
            self.s.after(self._next_gap(), self._arrive)
        self._change_spell(True)

    # -- the test API's pokes --------------------------------------------------------------

    def set_agent_status(self, agent: Agent, status: st.UserStatus) -> None:
        """Put ``agent`` in ``status`` as a supervisor would.

        Any status but Available sticks until the next call of this method; Available
        hands the agent back to the engine. An agent on a contact finishes it either way.
        """
        if status == st.AVAILABLE:
            agent.manual = False
            if agent.contact is not None:
                return
            if not agent.logged_in:
                agent.last_login_at = self.s.now
                self._start_shift(agent, self.rng.uniform(6 * HOUR, 9 * HOUR))
                self._become_available(agent, "login")
            else:
                self._become_available(agent, "user_status_changed")
            return
        agent.manual = True
        activity = "logout" if status == st.OFFLINE else "user_status_changed"
        self._set_status(agent, status, activity)

    def enqueue(self, queue: Queue, count: int) -> list[Contact]:
        """``count`` new contacts straight into ``queue`` (no IVR), routed like any other."""
        contacts = [self._new_contact(queue) for _ in range(count)]
        for contact in contacts:
            self._enqueue(contact)
        return contacts

    # -- agent states ----------------------------------------------------------------------

    def _set_status(
        self, agent: Agent, status: st.UserStatus, activity: str, contact: Contact | None = None
    ) -> None:
        now = self.s.now
        if agent.status == st.AVAILABLE and status != st.AVAILABLE:
            for queue in agent.queues:
                queue.available.pop(agent.id, None)
        elif status == st.AVAILABLE and agent.status != st.AVAILABLE:
            for queue in agent.queues:
                queue.available[agent.id] = agent
        agent.status = status
        agent.status_since = now
        agent.epoch += 1
        if self.keeps_activity_log:
            if agent.open_log is not None:
                agent.open_log.ended_at = now
            log = ActivityLog(next(self._log_ids), agent.id, status, activity, now)
            if contact is not None and contact.channel is Channel.CALL:
                log.call_id = contact.id
            elif contact is not None and contact.channel is Channel.CHAT:
                log.chat_id = contact.id
            self.activity_logs.append(log)
            agent.open_log = log

    def _become_available(self, agent: Agent, activity: str) -> None:
        self._set_status(agent, st.AVAILABLE, activity)
        self.s.after(self.rng.expovariate(1 / (50 * MINUTE)), self._idle_check, agent, agent.epoch)
        self._pull_work(agent)

    def _back_to_work(self, agent: Agent) -> None:
        if agent.logout_pending:
            self._logout(agent)
        else:
            self._become_available(agent, "user_status_changed")

    def _start_shift(self, agent: Agent, length: float) -> None:
        agent.shift += 1
        agent.logout_pending = False
        self.s.after(length, self._shift_end, agent, agent.shift)

    def _login(self, agent: Agent, epoch: int) -> None:
        if agent.epoch != epoch or agent.manual:
            return
        agent.last_login_at = self.s.now
        self._start_shift(agent, self.rng.uniform(6 * HOUR, 9 * HOUR))
        self._become_available(agent, "login")

    def _shift_end(self, agent: Agent, shift: int) -> None:
        if agent.shift != shift or agent.manual or not agent.logged_in:
            return
        if agent.contact is not None or agent.status == st.WRAP_UP:
            agent.logout_pending = True
        else:
            self._logout(agent)

    def _logout(self, agent: Agent) -> None:
        agent.logout_pending = False
        self._set_status(agent, st.OFFLINE, "logout")
        self.s.after(self.rng.uniform(15 * MINUTE, 60 * MINUTE), self._login, agent, agent.epoch)

    def _go_aux(self, agent: Agent) -> None:
        choice = self.rng.choices(_AUX, [weight for _, weight, _, _ in _AUX])[0]
        status, _, shortest, longest = choice
        self._set_status(agent, status, "user_status_changed")
        self.s.after(self.rng.uniform(shortest, longest), self._aux_done, agent, agent.epoch)

    def _aux_done(self, agent: Agent, epoch: int) -> None:
        if agent.epoch == epoch and not agent.manual:
            self._back_to_work(agent)

    def _idle_check(self, agent: Agent, epoch: int) -> None:
        if agent.epoch == epoch and not agent.manual and agent.status == st.AVAILABLE:
            self._go_aux(agent)

    # -- arrivals and routing --------------------------------------------------------------

    def _next_gap(self) -> float:
        return self.rng.expovariate(self.rate_per_s * self.busyness)

    def _change_spell(self, chain: bool) -> None:
        """Switch between busy and quiet spells; ``chain`` schedules the next switch."""
        now = self.s.now
        fixed = next((spell for spell in self._spells if spell[0] <= now < spell[1]), None)
        if fixed is not None:
            self.busyness = fixed[2]
            self.s.at(fixed[1], self._change_spell, False)
        else:
            self.busyness = self.rng.choice(_BUSYNESS)
        if chain:
            self.s.after(self.rng.uniform(10 * MINUTE, 40 * MINUTE), self._change_spell, True)

    def _arrive(self) -> None:
        self.s.after(self._next_gap(), self._arrive)
        if self.fax_share and self.rng.random() < self.fax_share:
            self._receive_fax()
            return
        pick = self.rng.random() * self._cum_weights[-1]
        queue = self.floor.queues[bisect.bisect_right(self._cum_weights, pick)]
        contact = self._new_contact(queue)
        if queue.channel is Channel.CALL and queue.menu.menu_type == "ivr_menu":
            self._note(contact, f"Caller entered menu {queue.menu.root.name}")
            self.s.after(self.rng.uniform(8, 45), self._enqueue, contact)
        else:
            self._enqueue(contact)

    def _draw_caller(self) -> Caller:
        end_user_id = self.rng.randint(1, 80_000)
        number = f"+1{self.rng.randint(201, 989)}5550{self.rng.randint(100, 199)}"
        name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        return Caller(name, number, end_user_id, str(360_000_000_000 + end_user_id * 7919))

    def _new_contact(self, queue: Queue | None) -> Contact:
        now = self.s.now
        channel = queue.channel if queue is not None else Channel.FAX
        if queue is None:
            subtype = "Fax"
        elif channel is Channel.CHAT:
            sms = queue.menu.menu_type == "web_menu" and self.rng.random() < 0.15
            subtype = "Messaging (SMS)" if sms else _CHAT_SUBTYPES.get(queue.menu.menu_type, "")
        else:
            subtype = _CALL_SUBTYPES.get(queue.menu.menu_type, "Voice Inbound (IVR)")
        contact = Contact(
            id=next(self._ids[channel]),
            uid=f"{self.rng.getrandbits(128):032x}",
            channel=channel,
            queue=queue,
            subtype=subtype,
            caller=self._draw_caller(),
            created_at=now,
            updated_at=now,
            verified=self.rng.random() < 0.6,
        )
        self.contacts[channel][contact.id] = contact
        self.updates[channel].append((now, contact))
        noun = {Channel.CALL: "Call", Channel.CHAT: "Chat", Channel.FAX: "Fax"}[channel]
        contact.log.append((now, f"{noun} received from {contact.caller.number}"))
        return contact

    def _touch(self, contact: Contact) -> None:
        now = self.s.now
        contact.updated_at = now
        self.updates[contact.channel].append((now, contact))

    def _note(self, contact: Contact, message: str) -> None:
        contact.log.append((self.s.now, message))

    def _enqueue(self, contact: Contact) -> None:
        queue = contact.queue
        assert queue is not None
        contact.phase = Phase.QUEUED
        contact.queued_at = self.s.now
        self._note(contact, f"Entered queue {queue.menu.path}")
        self._touch(contact)
        self.s.after(self.rng.expovariate(1 / queue.patience_mean), self._abandon, contact)
        if queue.max_wait is not None:
            self.s.after(queue.max_wait, self._expire, contact)
        queue.waiting.append(contact)
        self._route(queue)

    def _route(self, queue: Queue) -> None:
        while queue.waiting and queue.available:
            agent = next(iter(queue.available.values()))
            self._offer(queue.waiting.popleft(), agent)

    def _pull_work(self, agent: Agent) -> None:
        oldest: Contact | None = None
        for queue in agent.queues:
            if queue.waiting and (
                oldest is None or _queued_at(queue.waiting[0]) < _queued_at(oldest)
            ):
                oldest = queue.waiting[0]
        if oldest is not None and oldest.queue is not None:
            self._offer(oldest.queue.waiting.popleft(), agent)

    def _offer(self, contact: Contact, agent: Agent) -> None:
        queue = contact.queue
        assert queue is not None
        if contact.channel is Channel.CALL and self.rng.random() < self.miss_probability:
            contact.missed_by.append(agent)
            self._note(contact, f"{agent.name} did not answer")
            self._touch(contact)
            queue.waiting.appendleft(contact)  # keeps its place in line
            self._set_status(agent, st.MISSED_CALL, "deltacast_call_missed", contact)
            self.s.after(self.rng.uniform(20, 60), self._aux_done, agent, agent.epoch)
            return
        now = self.s.now
        waited = now - _queued_at(contact)
        contact.queue_duration = round(waited)
        self._record_sla(contact, "in_sla" if waited <= queue.target_time else "not_in_sla")
        contact.phase = Phase.ASSIGNED
        contact.assigned_at = now
        contact.agent = agent
        agent.contact = contact
        if contact.channel is Channel.CALL:
            self._set_status(agent, st.IN_CALL, "deltacast_call_picked_up", contact)
            self._note(contact, f"Ringing {agent.name}")
            self._touch(contact)
            self.s.after(self.rng.uniform(2, 9), self._connect, contact)
        else:
            self._set_status(agent, st.IN_CHAT, "chat_picked_up", contact)
            self._connect(contact)

    def _record_sla(self, contact: Contact, event: str) -> None:
        assert contact.queue is not None
        contact.sla_event = event
        self.sla_times.append(self.s.now)
        self.sla_records.append((contact.queue, event))

    # -- a contact with an agent -----------------------------------------------------------

    def _connect(self, contact: Contact) -> None:
        assert contact.agent is not None
        contact.phase = Phase.CONNECTED
        contact.connected_at = self.s.now
        self._note(contact, f"Answered by {contact.agent.name}")
        self._touch(contact)
        if contact.channel is Channel.CHAT:
            talk = self.rng.lognormvariate(6.0, 0.5)  # median ~7 min
            contact.messages = max(2, int(talk / 35))
            self.s.after(talk, self._finish, contact)
            return
        talk = self.rng.lognormvariate(5.45, 0.55)  # median ~4 min
        hold = 0.0
        if self.rng.random() < 0.25:
            hold_at = talk * self.rng.uniform(0.3, 0.6)
            hold = self.rng.uniform(20, 120)
            self.s.after(hold_at, self._hold, contact)
            self.s.after(hold_at + hold, self._resume, contact)
        self.s.after(talk + hold, self._finish, contact)

    def _hold(self, contact: Contact) -> None:
        contact.hold_started_at = self.s.now
        if contact.agent is not None and contact.agent.contact is contact:
            contact.agent.on_hold_since = self.s.now
        self._note(contact, "Caller placed on hold")
        self._touch(contact)

    def _resume(self, contact: Contact) -> None:
        if contact.hold_started_at is not None:
            contact.hold_total += self.s.now - contact.hold_started_at
            contact.hold_started_at = None
        if contact.agent is not None:
            contact.agent.on_hold_since = None
        self._note(contact, "Caller taken off hold")
        self._touch(contact)

    def _finish(self, contact: Contact) -> None:
        contact.phase = Phase.FINISHED
        contact.ended_at = self.s.now
        if self.rng.random() < 0.3:
            contact.rating = self.rng.choices((1, 2, 3, 4, 5), (1, 1, 2, 5, 8))[0]
        contact.disposition = self.rng.choice(_DISPOSITIONS)
        self._note(contact, f"{contact.channel.value.capitalize()} ended")
        self._touch(contact)
        agent = contact.agent
        if agent is None:
            return
        agent.contact = None
        agent.on_hold_since = None
        if agent.manual:
            return
        self._set_status(agent, st.WRAP_UP, "user_status_changed", contact)
        self.s.after(self.rng.uniform(20, 90), self._wrap_done, contact, agent, agent.epoch)

    def _wrap_done(self, contact: Contact, agent: Agent, epoch: int) -> None:
        contact.acw_ended_at = self.s.now
        self._touch(contact)
        if agent.epoch != epoch or agent.manual:
            return
        if not agent.logout_pending and self.rng.random() < self.aux_after_wrap:
            self._go_aux(agent)
        else:
            self._back_to_work(agent)

    def _receive_fax(self) -> None:
        contact = self._new_contact(None)
        contact.phase = Phase.CONNECTED
        contact.connected_at = self.s.now
        self._note(contact, "Fax transmission started")
        self.s.after(self.rng.uniform(30, 180), self._finish, contact)

    # -- leaving the queue without an agent ------------------------------------------------

    def _give_up(self, contact: Contact, phase: Phase, event: str, message: str) -> None:
        assert contact.queue is not None
        contact.queue.waiting.remove(contact)
        contact.phase = phase
        contact.ended_at = self.s.now
        contact.queue_duration = round(self.s.now - _queued_at(contact))
        self._record_sla(contact, event)
        self._note(contact, message)
        self._touch(contact)

    def _abandon(self, contact: Contact) -> None:
        if contact.phase is not Phase.QUEUED:
            return
        assert contact.queue is not None
        quick = self.s.now - _queued_at(contact) < contact.queue.abandon_threshold
        self._give_up(
            contact,
            Phase.ABANDONED,
            "excluded" if quick else "not_in_sla",
            "Caller hung up in queue",
        )
        if self.on_abandon is not None:
            self.on_abandon(contact)

    def _expire(self, contact: Contact) -> None:
        if contact.phase is Phase.QUEUED:
            self._give_up(contact, Phase.EXPIRED, "not_in_sla", "Expired in queue")

    # -- memory ----------------------------------------------------------------------------

    def forget_before(self, cutoff: float) -> None:
        """Drop what ended before ``cutoff``: ended contacts, closed logs, SLA samples."""
        for channel, contacts in self.contacts.items():
            self.contacts[channel] = {
                key: c for key, c in contacts.items() if not (c.ended and c.updated_at < cutoff)
            }
            updates = self.updates[channel]
            del updates[: bisect.bisect_left(updates, cutoff, key=lambda entry: entry[0])]
        self.activity_logs = [
            log for log in self.activity_logs if log.ended_at is None or log.ended_at >= cutoff
        ]
        keep_from = bisect.bisect_left(self.sla_times, cutoff)
        del self.sla_times[:keep_from]
        del self.sla_records[:keep_from]


def _queued_at(contact: Contact) -> float:
    return contact.queued_at if contact.queued_at is not None else contact.created_at
