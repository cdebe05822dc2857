"""Vendor-neutral records the engine diffs and the UI shows."""

from ccmon.domain.records import (
    RECORD_TYPES,
    Action,
    Agent,
    AgentActivity,
    AgentState,
    Collection,
    Interaction,
    Period,
    Phase,
    Queue,
    Record,
    Sla,
    newest_first,
)

__all__ = [
    "RECORD_TYPES",
    "Action",
    "Agent",
    "AgentActivity",
    "AgentState",
    "Collection",
    "Interaction",
    "Period",
    "Phase",
    "Queue",
    "Record",
    "Sla",
    "newest_first",
]
