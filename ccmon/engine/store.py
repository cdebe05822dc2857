"""The keyed snapshot store: the latest records per (collection, source), and who listens."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import TypeVar

from ccmon.domain import Action, Agent, Collection, Interaction, Period, Queue, Record, Sla
from ccmon.engine.diff import Diff, diff, keyed, patch
from ccmon.engine.events import DiffEvent

log = logging.getLogger(__name__)

Listener = Callable[[DiffEvent], None]
R = TypeVar("R", Agent, Queue, Sla, Interaction, Period, Action)


class Store:
    """Replace a source's whole collection, get the diff, tell every listener.

    Listeners are plain callables, called synchronously in the engine's task: a Textual app
    posts a message from one, ``watch`` puts events on a queue. A failing listener is logged
    and does not stop the others.
    """

    def __init__(self) -> None:
        self._data: dict[tuple[Collection, str], dict[str, Record]] = {}
        self._listeners: list[Listener] = []
        self._versions: dict[Collection, int] = dict.fromkeys(Collection, 0)
        self._published: set[tuple[Collection, str]] = set()
        """Slots that have had an event: the first one of a slot is its full dump, ``initial``."""

    def replace(self, collection: Collection, source: str, records: Iterable[Record]) -> Diff:
        slot = (collection, source)
        new = keyed(records)
        change = diff(self._data.get(slot, {}), new)
        self._data[slot] = new
        if change:
            self._versions[collection] += 1
            initial = slot not in self._published
            self._published.add(slot)
            self._publish(DiffEvent(collection, source, datetime.now(UTC), change, initial))
        return change

    def patch(
        self,
        collection: Collection,
        source: str,
        upserts: Mapping[str, Record],
        removed: Iterable[str] = (),
    ) -> Diff:
        """Change some records of a source's collection (a follower of someone else's diffs:
        a hub viewer); the same diff a :meth:`replace` to the result would publish."""
        slot = (collection, source)
        rows = dict(self._data.get(slot, {}))
        change = patch(rows, upserts, removed)
        self._data[slot] = rows
        if change:
            self._versions[collection] += 1
            self._publish(DiffEvent(collection, source, datetime.now(UTC), change))
        return change

    def records(self, collection: Collection) -> Iterator[Record]:
        for (kind, _source), rows in self._data.items():
            if kind is collection:
                yield from rows.values()

    def version(self, collection: Collection) -> int:
        """Changes so far to ``collection``: equal versions mean equal contents."""
        return self._versions[collection]

    def of_type(self, collection: Collection, kind: type[R]) -> Iterator[R]:
        """:meth:`records` narrowed to one record type, for typed consumers."""
        for record in self.records(collection):
            if isinstance(record, kind):
                yield record

    def slots(self) -> Iterator[tuple[Collection, str, dict[str, Record]]]:
        """Every (collection, source) held, with its records by key (a copy)."""
        for (collection, source), rows in self._data.items():
            yield collection, source, dict(rows)

    def count(self, collection: Collection) -> int:
        return sum(len(rows) for (kind, _), rows in self._data.items() if kind is collection)

    def subscribe(self, listener: Listener, *, replay: bool = True) -> Callable[[], None]:
        """Add ``listener``; with ``replay`` it first gets the current state as ``initial``
        events. Returns a function that unsubscribes."""
        if replay:
            now = datetime.now(UTC)
            for (collection, source), rows in self._data.items():
                if rows:
                    listener(DiffEvent(collection, source, now, Diff(added=dict(rows)), True))
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _publish(self, event: DiffEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("a diff listener failed")
