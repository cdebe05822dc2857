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


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    # dataclasses.fields() builds a new tuple on every call: most of a tick's diff time.
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


def changed_fields(old: Record, new: Record) -> dict[str, tuple[Any, Any]]:
    return {
        name: (a, b)
        for name in _field_names(type(old))
        if (a := getattr(old, name)) != (b := getattr(new, name))
    }


def patch(
    current: dict[str, Record], upserts: Mapping[str, Record], removed: Iterable[str]
) -> Diff:
    """Apply ``upserts`` and ``removed`` to ``current`` in place and return what changed:
    a diff that costs the size of the change, not of the collection."""
    added: dict[str, Record] = {}
    gone: dict[str, Record] = {}
    changed: dict[str, Change] = {}
    for key in removed:
        record = current.pop(key, None)
        if record is not None:
            gone[key] = record
    for key, record in upserts.items():
        before = current.get(key)
        current[key] = record
        if before is None:
            added[key] = record
        elif before != record:
            changed[key] = Change(before, record, changed_fields(before, record))
    return Diff(added, gone, changed) if (added or gone or changed) else EMPTY


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
