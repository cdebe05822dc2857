"""Keyed diff of two snapshots of one collection: added, removed, changed fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ccmon.domain import Record


@dataclass(frozen=True, slots=True)
class Change:
    old: Record
    new: Record
    fields: Mapping[str, tuple[Any, Any]]
    """Changed field name → (old value, new value)."""


@dataclass(frozen=True, slots=True)
class Diff:
    added: Mapping[str, Record] = field(default_factory=dict)
    removed: Mapping[str, Record] = field(default_factory=dict)
    changed: Mapping[str, Change] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    @property
    def size(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)


EMPTY = Diff()


def keyed(records: Iterable[Record]) -> dict[str, Record]:
    """Index records by key; with duplicate keys the last one wins (vendors repeat rows)."""
    return {record.key: record for record in records}


def changed_fields(old: Record, new: Record) -> dict[str, tuple[Any, Any]]:
    return {
        f.name: (a, b)
        for f in dataclasses.fields(old)
        if (a := getattr(old, f.name)) != (b := getattr(new, f.name))
    }


def diff(old: Mapping[str, Record], new: Mapping[str, Record]) -> Diff:
    """What turns ``old`` into ``new``. Order never matters; equal records cost one ``==``."""
    if old is new:
        return EMPTY
    added = {k: r for k, r in new.items() if k not in old}
    removed = {k: r for k, r in old.items() if k not in new}
    changed: dict[str, Change] = {}
    for key, record in new.items():
        before = old.get(key)
        if before is not None and before != record:
            changed[key] = Change(before, record, changed_fields(before, record))
    return Diff(added, removed, changed) if (added or removed or changed) else EMPTY
