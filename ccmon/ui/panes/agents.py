"""Agents: who is available, on a call, in wrap-up, and for how long."""

from __future__ import annotations

from collections import Counter

from ccmon.domain import Agent, AgentState
from ccmon.ui import format as fmt
from ccmon.ui.options import UiOptions
from ccmon.ui.widgets.pane import Pane
from ccmon.ui.widgets.record_table import Column, RecordTable, age_order

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


def columns() -> list[Column[Agent]]:
    return [
        Column("name", "Agent", lambda a: a.name, width=14, flex=3),
        Column("team", "Team", lambda a: a.team, width=10, flex=1, drop=3),
        Column(
            "state",
            "State",
            lambda a: (STATE_ORDER.index(a.state), state_text(a)),
            fmt=lambda v, _now: v[1],
            width=13,
            flex=1,
            style=lambda v: f"state--{STATE_ORDER[v[0]].value}",
        ),
        Column(
            "since",
            "In state",
            lambda a: a.state_since,
            fmt=lambda v, now: fmt.since(v, now),
            width=8,
            align="right",
            ticking=True,
            order=age_order,
        ),
        Column("source", "Src", lambda a: a.source, width=4, drop=2),
    ]


class AgentsPane(Pane):
    title = "Agents"
    number = 1
    noun = "agents"

    def __init__(self, options: UiOptions) -> None:
        table: RecordTable[Agent] = RecordTable.for_options(
            columns(), options, sort="state", id="agents-table"
        )
        super().__init__(table, id="agents")
