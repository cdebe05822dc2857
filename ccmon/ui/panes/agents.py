"""Agents: who is available, on a call, in wrap-up, and for how long; on a wider screen also
the contact each one handles now (queue, how long, customer).

No vendor names the contact on the agent record (CCAI's current status carries none), so
the pane joins them: a contact in progress names its agent as the roster does, per source."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from ccmon.domain import Agent, AgentState, Collection, Interaction, Phase
from ccmon.engine.diff import Diff
from ccmon.engine.metrics import FloorMetrics
from ccmon.privacy import mask
from ccmon.ui.options import UiOptions
from ccmon.ui.widgets.columns import age, ranked
from ccmon.ui.widgets.pane import Pane, new_records, records_of
from ccmon.ui.widgets.record_table import Column, RecordTable

STATE_LABEL = {
    AgentState.AVAILABLE: "● Available",
    AgentState.IN_CALL: "◉ In call",
    AgentState.IN_CHAT: "◉ In chat",
    AgentState.WRAP_UP: "◐ Wrap-up",
    AgentState.AWAY: "◌",
    AgentState.OFFLINE: "○ Offline",
    AgentState.OTHER: "?",
}
STATE_ORDER = list(STATE_LABEL)

ContactOf = Callable[[Agent], Interaction | None]


def state_text(agent: Agent) -> str:
    label = STATE_LABEL[agent.state]
    if agent.state in (AgentState.AWAY, AgentState.OTHER):
        return f"{label} {agent.status}"
    return label


def summary(counts: Counter[AgentState]) -> str:
    order = [
        (AgentState.AVAILABLE, "available"),
        (AgentState.IN_CALL, "on call"),
        (AgentState.IN_CHAT, "in chat"),
        (AgentState.WRAP_UP, "wrap-up"),
        (AgentState.AWAY, "away"),
        (AgentState.OFFLINE, "offline"),
    ]
    return " · ".join(f"{counts[state]} {label}" for state, label in order if counts[state])


def columns(options: UiOptions, contact: ContactOf) -> list[Column[Agent]]:
    masked = options.mask_pii

    def customer(agent: Agent) -> str | None:
        current = contact(agent)
        if current is None or current.customer is None:
            return None
        return mask(current.customer) if masked else current.customer

    def talking_since(agent: Agent) -> datetime | None:
        current = contact(agent)
        return None if current is None else current.answered_at or current.created_at

    return [
        Column("name", "Agent", lambda a: a.name, width=16, flex=3, max_width=26),
        Column("team", "Team", lambda a: a.team, width=10, flex=1, drop=3, max_width=18),
        ranked(
            "state",
            "State",
            lambda a: STATE_ORDER.index(a.state),
            state_text,
            13,
            flex=1,
            max_width=20,
            style=lambda v: f"state--{STATE_ORDER[v[0]].value}",
        ),
        age("since", "In state", lambda a: a.state_since, 8),
        # The contact in progress: wider screens show it (the detail view has it too).
        Column(
            "contact_queue",
            "Contact queue",
            lambda a: (c := contact(a)) and c.queue,
            width=14,
            flex=2,
            max_width=36,
            drop=4,
            middle=True,
        ),
        age("contact_since", "Talk", talking_since, 5, drop=5),
        Column("customer", "Customer", customer, width=10, flex=1, max_width=22, drop=6),
        Column("source", "Src", lambda a: a.source, width=4, drop=2),
    ]


def _started(contact: Interaction) -> tuple[float, str]:
    start = contact.answered_at or contact.created_at
    return (start.timestamp() if start is not None else float("inf"), contact.id)


def contacts_in_progress(contacts: Iterable[Interaction]) -> ContactOf:
    """``contact_of`` over a fixed set of contacts (a snapshot): the same rule as the pane."""
    handling: dict[tuple[str, str], list[Interaction]] = {}
    for contact in contacts:
        if contact.phase is Phase.ACTIVE and contact.agent:
            handling.setdefault((contact.source, contact.agent), []).append(contact)

    def contact_of(agent: Agent) -> Interaction | None:
        mine = handling.get((agent.source, agent.name))
        return min(mine, key=_started) if mine else None

    return contact_of


class AgentsPane(Pane):
    title = "Agents"
    number = 1
    noun = "agents"
    collections = frozenset({Collection.AGENTS, Collection.INTERACTIONS})
    """The roster, and the contacts in progress that name an agent."""

    def __init__(self, options: UiOptions) -> None:
        table: RecordTable[Agent] = RecordTable.for_options(
            columns(options, self.contact_of), options, sort="state", id="agents-table"
        )
        super().__init__(table, id="agents")
        self._agent_keys: dict[tuple[str, str], set[str]] = {}
        """(source, name) → agent keys: a contact names its agent, the table keys by id."""
        self._who: dict[str, tuple[str, str]] = {}
        self._contacts: dict[str, Interaction] = {}
        """Contacts in progress that name an agent, by contact key."""
        self._handling: dict[tuple[str, str], set[str]] = {}
        """(source, agent name) → keys of the contacts that agent handles now."""

    def contact_of(self, agent: Agent) -> Interaction | None:
        """The contact ``agent`` handles now, the longest-running if several (chats)."""
        keys = self._handling.get((agent.source, agent.name))
        if not keys:
            return None
        return min((self._contacts[k] for k in keys), key=_started)

    def apply_diff(self, collection: Collection, diff: Diff, *, highlight: bool) -> None:
        changed = new_records(diff)
        if collection is Collection.AGENTS:
            self.apply(
                records_of(diff.added, Agent),
                diff.removed.keys(),
                records_of(changed, Agent),
                highlight=highlight,
            )
        else:
            self.contacts_changed(
                records_of(diff.added, Interaction),
                diff.removed.keys(),
                records_of(changed, Interaction),
            )

    def show_metrics(self, metrics: FloorMetrics) -> None:
        self.summary = summary(metrics.agents_by_state)

    def apply(
        self,
        added: Mapping[str, Agent],
        removed: Iterable[str],
        changed: Mapping[str, Agent],
        *,
        highlight: bool = True,
    ) -> None:
        removed = list(removed)
        for key in removed:
            self._forget(key)
        for key, agent in {**added, **changed}.items():
            who = (agent.source, agent.name)
            if self._who.get(key) != who:
                self._forget(key)
                self._who[key] = who
                self._agent_keys.setdefault(who, set()).add(key)
        self.table.apply(added, removed, changed, highlight=highlight)

    def _forget(self, key: str) -> None:
        who = self._who.pop(key, None)
        if who is not None:
            self._agent_keys.get(who, set()).discard(key)

    def contacts_changed(
        self,
        added: Mapping[str, Interaction],
        removed: Iterable[str],
        changed: Mapping[str, Interaction],
    ) -> None:
        """Follow the contacts in progress; re-evaluate the rows of the agents concerned."""
        touched: set[tuple[str, str]] = set()
        for key in removed:
            self._drop(key, touched)
        for key, contact in {**added, **changed}.items():
            self._drop(key, touched)
            if contact.phase is Phase.ACTIVE and contact.agent:
                self._contacts[key] = contact
                who = (contact.source, contact.agent)
                self._handling.setdefault(who, set()).add(key)
                touched.add(who)
        keys = [k for who in touched for k in self._agent_keys.get(who, ())]
        if keys:
            self.table.recompute(keys)

    def _drop(self, key: str, touched: set[tuple[str, str]]) -> None:
        old = self._contacts.pop(key, None)
        if old is not None and old.agent:
            who = (old.source, old.agent)
            self._handling.get(who, set()).discard(key)
            touched.add(who)
