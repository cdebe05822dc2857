"""The recording file: gzip-compressed JSON lines, and what each line holds.

Line 1 is the header; then one line per diff and a health line every few seconds::

    {"format": "ccmon-recording", "version": 1, "ccmon": "0.1.0",
     "started_at": "2026-11-25T08:30:00Z", "started": 1795595400.0, "sources": ["ccai", "alo"]}
    {"kind": "diff", "t": 1.234, "at": …, "collection": "agents", "source": "ccai",
     "initial": false, "added": […], "removed": […], "changed": {…},
     "records": {"ccai:7": {…the full record…}}}
    {"kind": "health", "t": 5.0, "sources": [{"source": "ccai", "health": "ok", …}]}

``t`` is seconds since ``started`` (the engine's clock, millisecond precision). A diff line is
exactly what ``ccmon watch`` prints (``event_dict``) plus ``records``: every added or changed
record in full with exact times (``event_dict`` rounds to the second), so replay rebuilds
records exactly and never depends on field diffs. Readers ignore unknown line kinds and
unknown fields, so a newer ccmon can add both without a new format version.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ccmon import __version__
from ccmon.domain import RECORD_TYPES, Collection, Record
from ccmon.domain.serialize import iso, plain
from ccmon.engine.events import DiffEvent, event_dict
from ccmon.engine.health import SourceHealth

FORMAT = "ccmon-recording"
VERSION = 1
"""Bumped only for changes an older reader would misread; additions need no bump."""
DIFF, HEALTH = "diff", "health"


# -- writing ----------------------------------------------------------------------------------
def exact(value: Any) -> Any:
    """:func:`plain`, but times keep their microseconds and offset (records rebuild exactly)."""
    return value.isoformat() if isinstance(value, datetime) else plain(value)


def exact_dict(item: Any) -> dict[str, Any]:
    """A record or a health snapshot (any dataclass) as JSON data, exactly."""
    return {f.name: exact(getattr(item, f.name)) for f in dataclasses.fields(item)}


def header_line(sources: Sequence[str], started: datetime) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "ccmon": __version__,
        "started_at": iso(started),
        "started": started.timestamp(),
        "sources": list(sources),
    }


def diff_line(event: DiffEvent, t: float) -> dict[str, Any]:
    changed = {key: change.new for key, change in event.diff.changed.items()}
    records = {**event.diff.added, **changed}
    return {
        "kind": DIFF,
        "t": round(t, 3),
        **event_dict(event),
        "records": {key: exact_dict(record) for key, record in records.items()},
    }


def health_line(health: Sequence[SourceHealth], t: float) -> dict[str, Any]:
    return {"kind": HEALTH, "t": round(t, 3), "sources": [exact_dict(h) for h in health]}


# -- reading ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Header:
    version: int
    ccmon: str
    started: datetime
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RecordedDiff:
    """One diff line, rebuilt: what ``source``'s ``collection`` became at ``t``."""

    t: float
    collection: Collection
    source: str
    initial: bool
    """The whole collection (a subscriber's first view), not a change to it."""
    removed: tuple[str, ...]
    records: Mapping[str, Record]
    """Added and changed records, in full."""


@dataclass(frozen=True, slots=True)
class RecordedHealth:
    t: float
    sources: tuple[SourceHealth, ...]


Entry = RecordedDiff | RecordedHealth


def parse_header(data: Any) -> Header | None:
    """The header, or None if ``data`` is not a ccmon recording's header."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    try:
        version = _validate(int, data.get("version"))
        started = _validate(float, data.get("started"))
        sources = _validate(tuple[str, ...], data.get("sources", ()))
    except ValueError:
        return None
    return Header(
        version, str(data.get("ccmon", "?")), datetime.fromtimestamp(started, UTC), sources
    )


def parse_entry(data: Any) -> Entry | None:
    """A diff or health line rebuilt into domain objects; None for a kind of line (or a
    collection) this ccmon does not know, a newer writer's. Raises ``ValueError`` for a line
    that cannot be what it says it is."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    kind = data.get("kind")
    if kind not in (DIFF, HEALTH):
        return None
    t = _validate(float, data.get("t"))
    if kind == HEALTH:
        sources = data.get("sources")
        if not isinstance(sources, list):
            raise ValueError("health without sources")
        return RecordedHealth(t, tuple(_rebuild(SourceHealth, s) for s in sources))
    if data.get("collection") not in Collection._value2member_map_:
        return None  # a collection a newer ccmon added
    collection = Collection(data["collection"])
    kind_of_record = RECORD_TYPES[collection]
    records = data.get("records")
    if not isinstance(records, dict):
        raise ValueError("diff without records")
    rebuilt: dict[str, Record] = {key: _rebuild(kind_of_record, r) for key, r in records.items()}
    return RecordedDiff(
        t=t,
        collection=collection,
        source=_validate(str, data.get("source")),
        initial=bool(data.get("initial", False)),
        removed=_validate(tuple[str, ...], data.get("removed", ())),
        records=rebuilt,
    )


def _validate(kind: Any, value: Any) -> Any:
    try:
        return _adapter(kind).validate_python(value)
    except ValidationError as exc:
        raise ValueError(_first_error(exc)) from None


def _rebuild(kind: type, data: Any) -> Any:
    """A dataclass from its JSON form; extra fields are ignored, and an enum value this ccmon
    does not know becomes ``other`` where the enum has one (a newer ccmon's new state)."""
    if not isinstance(data, dict):
        raise ValueError(f"a {kind.__name__} that is not a JSON object")
    for name, enum in _enum_fields(kind).items():
        value = data.get(name)
        known = enum._value2member_map_
        if value is not None and value not in known and "other" in known:
            data = {**data, name: "other"}
    return _validate(kind, data)


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


@cache
def _enum_fields(kind: type) -> dict[str, type[Enum]]:
    hints = typing.get_type_hints(kind)
    return {
        name: hint
        for name, hint in hints.items()
        if isinstance(hint, type) and issubclass(hint, Enum)
    }


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])
