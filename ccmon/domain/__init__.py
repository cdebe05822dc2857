"""Vendor-neutral records the engine diffs and the UI shows."""

from ccmon.domain.records import (
    RECORD_TYPES,
    Action,
    Agent,
    AgentState,
    Collection,
    Interaction,
    Period,
    Phase,
    Queue,
    Record,
    Sla,
)

__all__ = [
    "RECORD_TYPES",
    "Action",
    "Agent",
    "AgentState",
    "Collection",
    "Interaction",
    "Period",
    "Phase",
    "Queue",
    "Record",
    "Sla",
]
