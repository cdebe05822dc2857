"""The watch lines of one floor for every ``/api/events`` client: one subscription to the
floor, numbered events, a short history for ``Last-Event-ID`` resume, and a bounded queue
per client (a client that falls behind is dropped; on reconnecting it gets the state again).
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections import deque
from collections.abc import Callable
from typing import Any

from ccmon.engine.events import DiffEvent, event_dict
from ccmon.engine.floor import Floor
from ccmon.privacy import mask

HISTORY = 2_000
"""Events kept for resume: a reconnect within a few minutes of a busy floor."""
QUEUE_SIZE = 256
"""Events a client may have unsent; one more and it is dropped."""


def frame(event_id: str, name: str, data: str, at: float | None = None) -> str:
    """One server-sent event as sent. ``time:`` (when the diff happened, Unix seconds) is a
    field browsers ignore, for scripts and the benchmark that time the delivery."""
    stamp = "" if at is None else f"time: {at:.3f}\n"
    return f"id: {event_id}\nevent: {name}\n{stamp}data: {data}\n\n"


def masked(line: dict[str, Any]) -> dict[str, Any]:
    """A watch line with every contact's customer masked (added and changed)."""
    for record in line["added"]:
        if record.get("customer") is not None:
            record["customer"] = mask(record["customer"])
    for fields in line["changed"].values():
        if "customer" in fields:
            fields["customer"] = [mask(v) if isinstance(v, str) else v for v in fields["customer"]]
    return line


class Client:
    """One connected reader: what it has yet to be sent."""

    def __init__(self, size: int) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue(size + 1)
        self.size = size
        self.dropped = False

    def put(self, item: str) -> bool:
        """Queue ``item``; False (and the client is dropped) if it is too far behind."""
        if self.dropped:
            return False
        if self.queue.qsize() >= self.size:
            self.dropped = True
            self.queue.put_nowait(None)  # the slot kept free for this: the reader ends
            return False
        self.queue.put_nowait(item)
        return True


class EventHub:
    def __init__(
        self,
        floor: Floor,
        *,
        mask_pii: bool = False,
        history: int = HISTORY,
        queue_size: int = QUEUE_SIZE,
    ) -> None:
        self.floor = floor
        self.mask_pii = mask_pii
        self.boot = secrets.token_hex(4)
        """Ids of another run of serve (before a restart) cannot be resumed from."""
        self.queue_size = queue_size
        self.clients: set[Client] = set()
        self.dropped_total = 0
        self._last = 0
        self._history: deque[tuple[int, str]] = deque(maxlen=history)
        """(number, frame): each event is formatted once, whatever the number of clients."""
        self._unsubscribe: Callable[[], None] | None = None
        self._state: tuple[int, list[str]] | None = None

    def start(self) -> None:
        self._unsubscribe = self.floor.subscribe(self._on_event, replay=False)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for client in list(self.clients):
            if not client.dropped:
                client.dropped = True
                client.queue.put_nowait(None)
        self.clients.clear()

    def _line(self, event: DiffEvent) -> str:
        line = event_dict(event)
        return json.dumps(masked(line) if self.mask_pii else line, ensure_ascii=False)

    def _id(self, n: int) -> str:
        return f"{self.boot}-{n}"

    def _on_event(self, event: DiffEvent) -> None:
        self._last += 1
        sent = frame(self._id(self._last), "diff", self._line(event), event.at.timestamp())
        self._history.append((self._last, sent))
        for client in list(self.clients):
            if not client.put(sent):
                self.detach(client)
                self.dropped_total += 1

    def _resumable(self, last_event_id: str | None) -> int | None:
        """The event number to resume after, if ``last_event_id`` is ours and still kept."""
        if not last_event_id:
            return None
        boot, _, number = last_event_id.partition("-")
        if boot != self.boot or not number.isdigit():
            return None
        n = int(number)
        oldest = self._history[0][0] if self._history else self._last + 1
        return n if oldest - 1 <= n <= self._last else None

    def attach(self, last_event_id: str | None = None) -> tuple[Client, list[str]]:
        """A new client and what it gets first: the events it missed, or (a new client, or
        one whose place is gone) ``reset`` and the whole current state as initial events."""
        client = Client(self.queue_size)
        after = self._resumable(last_event_id)
        if after is not None:
            first = [sent for n, sent in self._history if n > after]
        else:
            first = self._state_frames()
        self.clients.add(client)
        return client, first

    def _state_frames(self) -> list[str]:
        """``reset`` and the whole state, built once per state: when every TV and script
        reconnects at once (after a restart), the floor is serialised once, not per client."""
        if self._state is None or self._state[0] != self._last:
            state: list[DiffEvent] = []
            self.floor.subscribe(state.append, replay=True)()
            now = self._id(self._last)
            frames = [frame(now, "reset", "{}")]
            frames += [frame(now, "diff", self._line(e), e.at.timestamp()) for e in state]
            self._state = (self._last, frames)
        return self._state[1]

    def detach(self, client: Client) -> None:
        self.clients.discard(client)
