"""What subscribers receive from the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ccmon.domain import Collection
from ccmon.domain.serialize import iso, plain, record_dict
from ccmon.engine.diff import Diff


@dataclass(frozen=True, slots=True)
class DiffEvent:
    """One collection of one source changed; ``diff`` says how."""

    collection: Collection
    source: str
    at: datetime
    diff: Diff
    initial: bool = False
    """True for a full dump, everything as added: the first data of a collection of one
    source, or the current state sent to a subscriber that joins later."""


def event_dict(event: DiffEvent) -> dict[str, Any]:
    """The JSON form of an event: one line of ``watch`` and of a recording."""
    diff = event.diff
    return {
        "at": iso(event.at),
        "collection": event.collection.value,
        "source": event.source,
        "initial": event.initial,
        "added": [record_dict(r) for r in diff.added.values()],
        "removed": sorted(diff.removed),
        "changed": {
            key: {name: [plain(old), plain(new)] for name, (old, new) in change.fields.items()}
            for key, change in diff.changed.items()
        },
    }
