"""What subscribers receive from the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ccmon.domain import Collection
from ccmon.engine.diff import Diff


@dataclass(frozen=True, slots=True)
class DiffEvent:
    """One collection of one source changed; ``diff`` says how."""

    collection: Collection
    source: str
    at: datetime
    diff: Diff
    initial: bool = False
    """True for the full current state sent to a new subscriber (everything as added)."""
