"""The hub's keys in Redis, all under one prefix, and the format version they carry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ccmon.domain import Collection

FORMAT = "ccmon-hub"
VERSION = 1
"""Bumped when an older viewer would misread what a newer hub writes."""
DEFAULT_PREFIX = "ccmon"
STREAM_MAXLEN = 10_000
"""Entries kept (``XADD … MAXLEN ~``): about an hour of a busy floor's diffs; a viewer
gone for longer reloads the state."""


@dataclass(frozen=True, slots=True)
class HubKeys:
    prefix: str = DEFAULT_PREFIX

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, f"v{VERSION}", *parts))

    @property
    def meta(self) -> str:
        """Hash: format, version, ccmon version, hub id, epoch, seq, sources."""
        return self._key("meta")

    @property
    def slots(self) -> str:
        """Set of ``collection/source`` names that have a slot hash."""
        return self._key("slots")

    def slot(self, collection: Collection, source: str) -> str:
        """Hash: record key → the record as JSON."""
        return self.slot_key(slot_name(collection, source))

    def slot_key(self, name: str) -> str:
        """The hash of a slot by its ``collection/source`` name (any collection)."""
        collection, _, source = name.partition("/")
        return self._key("slot", collection, source)

    @property
    def health(self) -> str:
        """String: the latest health line (JSON) with feed ages and when it was written."""
        return self._key("health")

    @property
    def stream(self) -> str:
        """Stream: one entry per diff or health line, ``e`` epoch, ``s`` seq, ``j`` JSON."""
        return self._key("stream")

    @property
    def lease(self) -> str:
        """String with a TTL: the id of the hub that polls."""
        return self._key("lease")

    @property
    def fence(self) -> str:
        """Counter: the fencing token, drawn anew by each hub that takes the lease."""
        return self._key("fence")

    @property
    def history(self) -> str:
        """String: what the hub's history holds (JSON: format, hub, when, ``problem``, the
        day, interval length, SLA settings, and a digest of each part below)."""
        return self._key("history")

    def history_part(self, part: str) -> str:
        """String: ``samples`` (the last hour's minute samples), ``floor`` (today's floor
        rows) or ``queues`` (queue name → digest of its rows), each JSON."""
        return self._key("history", part)

    def history_queue(self, queue: str) -> str:
        """String: one queue's rows today (JSON), named by a digest of the queue's name."""
        name = hashlib.blake2b(queue.encode(), digest_size=8).hexdigest()
        return self._key("history", "queue", name)

    def viewer(self, viewer_id: str) -> str:
        """String with a TTL: a viewer's heartbeat."""
        return self._key("viewer", viewer_id)

    @property
    def pattern(self) -> str:
        """Every key of this prefix, any version (for ``hub status`` and clean-up)."""
        return f"{self.prefix}:*"


def slot_name(collection: Collection, source: str) -> str:
    return f"{collection.value}/{source}"


def parse_slot_name(name: str) -> tuple[Collection, str] | None:
    """``agents/ccai`` → (AGENTS, "ccai"); None for a collection this ccmon does not know."""
    collection, _, source = name.partition("/")
    if not source or collection not in Collection._value2member_map_:
        return None
    return Collection(collection), source
